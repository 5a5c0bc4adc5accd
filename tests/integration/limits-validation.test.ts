/**
 * Issue 7 "Limits" and "Operations": query names that collide with Object.prototype, int32 paging parameters,
 * the proxy's own refusals worded as the dashboard's and marked `X-Error-Source`, and `/healthz` for any Host.
 * Against the real simulator over HTTP, both through the proxy and directly (it is the faithful fake).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerClient, token } from '../support/sim-client.ts';
import { rawRequest } from './support/raw-http.ts';
import { startHarness, worldOf, type Harness } from './support/harness.ts';

const V2 = '/api/atlas/v2';
let h: Harness;
let exportsPath: string;
let simGet: ReturnType<typeof bearerClient>;
beforeAll(async () => {
  // A short token back-off: the Atlas-401 case below must not leave the later cases failing fast.
  h = await startHarness({ env: { PROXY_TOKEN_BACKOFF_MS: '100' } });
  const w = await worldOf(h);
  exportsPath = `${V2}/groups/${w.groupId}/clusters/${w.clusterName}/backup/exports`;
  simGet = bearerClient(h.sim.url, await token(h.sim.url));
});
afterAll(() => h.close());

const errorLines = () => h.logs.map((l) => JSON.parse(l) as { level: string }).filter((l) => l.level === 'error');
type Body = { error: number; errorCode: string; detail: string };

describe('query names that are Object.prototype members', () => {
  const names = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

  it.each(names)('?%s=1 through the proxy: 200, dropped before Atlas, no error log', async (name) => {
    const res = await h.get(`${exportsPath}?${name}=1&itemsPerPage=10`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { results: unknown[] }).results).toHaveLength(10);
    expect(errorLines()).toEqual([]);
  });

  it.each(names)('?%s=1 against the simulator: ignored, as Atlas ignores unknown names', async (name) => {
    const res = await simGet(`${exportsPath}?${name}=1&itemsPerPage=10`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { results: unknown[] }).results).toHaveLength(10);
  });
});

describe('int32 paging parameters', () => {
  it.each([
    ['pageNum=999999999999999999', 'pageNum'],
    ['pageNum=2147483648', 'pageNum'],
    ['pageNum=01', 'pageNum'],
    ['itemsPerPage=0500', 'itemsPerPage'],
    ['pageNum=0', 'pageNum'],
  ])('%s: the proxy answers 400 in its own words, nothing reaches Atlas', async (qs, field) => {
    const before = await h.simCalls();
    const res = await h.get(`${exportsPath}?${qs}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('x-error-source')).toBe('dashboard');
    const body = (await res.json()) as Body & { badRequestDetail: { fields: { field: string }[] } };
    expect(body).toMatchObject({ error: 400, errorCode: 'INVALID_QUERY_PARAMETER' });
    expect(body.badRequestDetail.fields[0]!.field).toBe(field);
    expect(body.detail).toMatch(new RegExp(`^The dashboard does not forward ${field}=`));
    expect(await h.simCalls()).toBe(before);
  });

  it('pageNum=0 is explained as Atlas explains paging', async () => {
    const body = (await (await h.get(`${exportsPath}?pageNum=0`)).json()) as Body;
    expect(body.detail).toBe('The dashboard does not forward pageNum=0: Atlas pages start at 1.');
  });

  it.each(['pageNum=999999999999999999', 'pageNum=2147483648', 'pageNum=01'])(
    '%s against the simulator: 400 as Atlas answers',
    async (qs) => {
      const res = await simGet(`${exportsPath}?${qs}`);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 400, errorCode: 'INVALID_QUERY_PARAMETER' });
    },
  );

  it('the largest int32 pageNum is forwarded as it is (an empty page)', async () => {
    const res = await h.get(`${exportsPath}?pageNum=2147483647&itemsPerPage=500`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { results: unknown[] }).results).toEqual([]);
  });
});

describe('X-Error-Source: who refused', () => {
  it.each([
    ['a non-allowlisted path (404)', `${V2}/groups/5f0000000000000000000001/databaseUsers`, 404, /^The dashboard /],
    ['a bad path parameter (400)', `${V2}/groups/XYZ/clusters`, 400, /^The dashboard does not forward /],
    ['an over-long query (414)', `${V2}/groups?name=${'a'.repeat(2100)}`, 414, /^The dashboard does not forward /],
    ['an unknown /api path (404)', '/api/nothing', 404, /^The dashboard /],
  ])('%s: dashboard', async (_, path, status, detail) => {
    const res = await h.get(path);
    expect(res.status).toBe(status);
    expect(res.headers.get('x-error-source')).toBe('dashboard');
    expect(((await res.json()) as Body).detail).toMatch(detail);
  });

  it('a write method (405): dashboard', async () => {
    const res = await fetch(`${h.url}${V2}/groups`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('x-error-source')).toBe('dashboard');
    expect(((await res.json()) as Body).detail).toMatch(/^The dashboard does not forward DELETE requests/);
  });

  it('a foreign Host (421), a cross-site call (403), a bad request target (400), huge headers (431): dashboard', async () => {
    const host = await rawRequest(h.url, `GET ${V2}/groups HTTP/1.1`, { Host: 'evil.example' });
    expect([host.status, host.headers['x-error-source']]).toEqual([421, 'dashboard']);
    const site = await h.get(`${V2}/groups`, { 'sec-fetch-site': 'cross-site' });
    expect([site.status, site.headers.get('x-error-source')]).toEqual([403, 'dashboard']);
    const target = await rawRequest(h.url, `GET ${V2}/groups/%2e%2e/x HTTP/1.1`);
    expect([target.status, target.headers['x-error-source']]).toEqual([400, 'dashboard']);
    const big = await rawRequest(h.url, `GET ${V2}/groups HTTP/1.1`, { 'X-Big': 'x'.repeat(17 * 1024) });
    expect([big.status, big.headers['x-error-source']]).toEqual([431, 'dashboard']);
    expect(JSON.parse(big.body)).toMatchObject({ error: 431, errorCode: 'REQUEST_HEADERS_TOO_LARGE' });
    // A page address pasted with a 20,000-character search: a page a person can read, not raw JSON.
    const page = await rawRequest(h.url, `GET /projects/x/clusters/y/exports?q=${'a'.repeat(20_000)} HTTP/1.1`);
    expect([page.status, page.headers['x-error-source']]).toEqual([431, 'dashboard']);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('This address is too long');
    expect(page.body).toContain('<a href="/">Go to the projects</a>');
  });

  it('a success carries no X-Error-Source', async () => {
    const res = await h.get(`${V2}/groups`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-error-source')).toBeNull();
  });

  it.each([
    [403, 403],
    [404, 404],
    [500, 502],
    [401, 502],
  ])('Atlas answering %i (relayed as %i): atlas', async (status, relayed) => {
    await h.fault({ match: 'getGroup', status, times: 3 });
    const res = await h.get(`${V2}/groups/5f0000000000000000000042`);
    expect(res.status).toBe(relayed);
    expect(res.headers.get('x-error-source')).toBe('atlas');
    await fetch(`${h.sim.url}/__sim/faults`, { method: 'DELETE' });
    h.server.proxy.cache.clear();
  });
});

describe('/healthz answers any Host; everything else keeps the Host guard', () => {
  it('a probe addressed by the pod IP gets 200 and nothing but a status', async () => {
    const res = await rawRequest(h.url, 'GET /healthz HTTP/1.1', { Host: '10.1.2.3:8080' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'ok' });
  });

  it.each(['/readyz', '/api/info', `${V2}/groups`, '/'])('%s with a foreign Host is still 421', async (path) => {
    const res = await rawRequest(h.url, `GET ${path} HTTP/1.1`, { Host: '10.1.2.3:8080' });
    expect(res.status).toBe(421);
  });
});
