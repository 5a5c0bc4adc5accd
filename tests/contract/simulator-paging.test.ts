/** Atlas paging over real HTTP: links, counts, bounds, and a full walk of the 1,200+ job cluster. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/server.ts';
import { API, bearerClient, token, world, type WorldSummary } from '../support/sim-client.ts';

type Page = {
  results: { id: string; state: string; createdAt: string }[];
  totalCount?: number;
  links: { rel: string; href: string }[];
  status?: number;
};

let sim: RunningSimulator;
let get: ReturnType<typeof bearerClient>;
let w: WorldSummary;
let exportsPath: string;
beforeAll(async () => {
  // speed 0 freezes the clock: nothing moves between pages, so the walk's expectations are exact.
  sim = await startSimulator({ speed: 0, rateLimits: false });
  get = bearerClient(sim.url, await token(sim.url));
  w = await world(sim.url);
  exportsPath = `${API}/groups/${w.bigCluster.groupId}/clusters/${w.bigCluster.name}/backup/exports`;
});
afterAll(() => sim?.close());

const page = async (path: string): Promise<Page> => {
  const res = await get(path);
  expect(res.status, path).toBe(200);
  return (await res.json()) as Page;
};
const rels = (p: Page) => p.links.map((l) => l.rel);

describe('walking links[rel=next]', () => {
  it('visits every job of the big cluster exactly once, newest first, then stops', async () => {
    expect(w.bigCluster.jobs).toBeGreaterThan(1200);
    const seen: string[] = [];
    const created: string[] = [];
    let next: string | undefined = `${sim.url}${exportsPath}?itemsPerPage=97`;
    let pages = 0;
    let total: number | undefined;
    while (next) {
      const p: Page = await page(next.replace(sim.url, ''));
      total ??= p.totalCount;
      expect(p.totalCount).toBe(total);
      seen.push(...p.results.map((r) => r.id));
      created.push(...p.results.map((r) => r.createdAt));
      next = p.links.find((l) => l.rel === 'next')?.href;
      pages++;
      expect(pages).toBeLessThan(100);
    }
    expect(total).toBe(w.bigCluster.jobs);
    expect(seen).toHaveLength(w.bigCluster.jobs);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(Math.ceil(w.bigCluster.jobs / 97));
    expect(created).toEqual([...created].sort().reverse());
  });

  it('holds every job state across the big cluster', async () => {
    const states = new Set<string>();
    for (let n = 1; n <= 3; n++)
      (await page(`${exportsPath}?itemsPerPage=500&pageNum=${n}`)).results.forEach((r) => states.add(r.state));
    expect([...states].sort()).toEqual(['Cancelled', 'Failed', 'InProgress', 'Queued', 'Successful']);
  });
});

describe('page links and counts', () => {
  it('first page: self and next; middle: previous, self, next; last: previous and self', async () => {
    expect(rels(await page(`${exportsPath}?itemsPerPage=500`))).toEqual(['self', 'next']);
    const middle = await page(`${exportsPath}?itemsPerPage=500&pageNum=2`);
    expect(rels(middle)).toEqual(['previous', 'self', 'next']);
    expect(middle.links[0]!.href).toBe(`${sim.url}${exportsPath}?includeCount=true&pageNum=1&itemsPerPage=500`);
    const last = await page(`${exportsPath}?itemsPerPage=500&pageNum=3`);
    expect(rels(last)).toEqual(['previous', 'self']);
    expect(last.results).toHaveLength(w.bigCluster.jobs - 1000);
  });

  it('defaults to 100 per page and page 1; past the end is an empty page', async () => {
    const p = await page(exportsPath);
    expect(p.results).toHaveLength(100);
    expect(p.links.find((l) => l.rel === 'self')!.href).toBe(
      `${sim.url}${exportsPath}?includeCount=true&pageNum=1&itemsPerPage=100`,
    );
    const beyond = await page(`${exportsPath}?pageNum=99`);
    expect(beyond.results).toEqual([]);
    expect(beyond.totalCount).toBe(w.bigCluster.jobs);
  });

  it('includeCount=false leaves totalCount out but keeps next links', async () => {
    const p = await page(`${exportsPath}?includeCount=false&itemsPerPage=10`);
    expect(p).not.toHaveProperty('totalCount');
    expect(p.links.find((l) => l.rel === 'next')!.href).toContain('includeCount=false&pageNum=2&itemsPerPage=10');
  });

  it('itemsPerPage=500 is allowed, 501 and 0 are 400 with badRequestDetail; unknown params are ignored', async () => {
    expect((await page(`${exportsPath}?itemsPerPage=500`)).results).toHaveLength(500);
    for (const q of [
      'itemsPerPage=501',
      'itemsPerPage=0',
      'itemsPerPage=ten',
      'pageNum=-1',
      'pageNum=1&pageNum=2',
      'envelope=1',
    ]) {
      const res = await get(`${exportsPath}?${q}`);
      expect(res.status, q).toBe(400);
      const body = (await res.json()) as { badRequestDetail: { fields: { field: string }[] } };
      expect(body.badRequestDetail.fields[0]!.field, q).toBe(q.split('=')[0]);
    }
    expect((await get(`${exportsPath}?sort=state&itemsPerPage=1`)).status).toBe(200);
  });

  it('an empty list is 200 with results []; a missing parent is 404', async () => {
    const empty = await page(
      `${API}/groups/${w.noExportsCluster.groupId}/clusters/${w.noExportsCluster.name}/backup/exports`,
    );
    expect(empty).toMatchObject({ results: [], totalCount: 0 });
    expect(rels(empty)).toEqual(['self']);
    expect((await get(`${API}/groups/${w.bigCluster.groupId}/clusters/gone/backup/exports`)).status).toBe(404);
  });

  it('envelope=true adds status to a list; pretty=true indents', async () => {
    const p = await page(`${exportsPath}?envelope=true&itemsPerPage=1`);
    expect(p.status).toBe(200);
    expect(p.results).toHaveLength(1);
    const text = await (await get(`${API}/groups?pretty=true`)).text();
    expect(text).toMatch(/^\{\n {2}"links": \[/);
  });

  it('name filters orgs by case-insensitive prefix and is kept in links', async () => {
    const p = await page(`${API}/orgs?name=ACME`);
    expect(p.results.map((o) => (o as unknown as { name: string }).name)).toEqual([w.orgs[0]!.name]);
    expect(p.links[0]!.href).toContain('name=ACME');
  });
});
