/**
 * `world: 'history'`: the demo world plus a cluster with 20,000 export jobs. Every page of that cluster, walked
 * the way the dashboard does (500 a page, links[rel=next]), answers the official schema; the pages add up to
 * the total they all state, to the simulator's own count and to its per-state counts; and the demo world around
 * it is the default one, untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS, mediaType } from '../../src/atlas/operations.ts';
import { startSimulator, type RunningSimulator } from '../../src/simulator/server.ts';
import { API, bearerClient, token, world, type WorldSummary } from '../support/sim-client.ts';
import { createValidator } from './simulator-schema.ts';

type Json = Record<string, unknown>;
type JobPage = {
  results: { id: string; state: string; createdAt: string; snapshotId: string }[];
  totalCount: number;
  links: { rel: string; href: string }[];
};

const validator = createValidator();
const op = (id: string) => OPERATIONS.find((o) => o.operationId === id)!;
let sim: RunningSimulator;
let demo: RunningSimulator;
let get: ReturnType<typeof bearerClient>;
let w: WorldSummary;
let huge: NonNullable<WorldSummary['hugeCluster']>;
let base: string;

beforeAll(async () => {
  // speed 0: the clock stands still, so no job changes state between the first page and the fortieth.
  [sim, demo] = await Promise.all([
    startSimulator({ world: 'history', speed: 0, rateLimits: false }),
    startSimulator({ speed: 0, rateLimits: false }),
  ]);
  get = bearerClient(sim.url, await token(sim.url));
  w = await world(sim.url);
  huge = w.hugeCluster!;
  base = `${API}/groups/${huge.groupId}/clusters/${huge.name}`;
});
afterAll(async () => {
  await sim?.close();
  await demo?.close();
});

async function valid(path: string, operationId: string): Promise<Json> {
  const res = await get(path);
  expect(res.status, path).toBe(200);
  const spec = op(operationId);
  expect(res.headers.get('content-type')).toBe(mediaType(spec.version));
  const body = (await res.json()) as Json;
  expect(validator.check(spec.responseSchema, body), path).toBeUndefined();
  return body;
}

describe('the 20,000-job cluster', () => {
  it('is the demo world plus one project, one cluster and 20,000 jobs', async () => {
    const d = await world(demo.url);
    expect(huge).toMatchObject({ name: 'events-archive', jobs: 20_000 });
    expect(d.hugeCluster).toBeUndefined();
    expect(w.counts).toMatchObject({
      orgs: d.counts.orgs,
      projects: d.counts.projects + 1,
      clusters: d.counts.clusters + 1,
      jobs: d.counts.jobs + 20_000,
    });
    expect(w.projects.slice(0, d.projects.length)).toEqual(d.projects);
    expect(w.bigCluster).toEqual(d.bigCluster);
    const row = w.clusters.find((c) => c.groupId === huge.groupId && c.name === huge.name);
    expect(row).toMatchObject({ project: 'archive-prod', backupEnabled: true, jobs: 20_000, autoExport: null });
  });

  it('answers every page of 500 in the spec schema; the pages add up to the stated totals', async () => {
    const ids = new Set<string>();
    const states: Record<string, number> = {};
    let newest = '9999';
    const outOfOrder: string[] = [];
    let next: string | undefined = `${base}/backup/exports?itemsPerPage=500`;
    let pages = 0;
    while (next) {
      const page = (await valid(next, 'listGroupClusterBackupExports')) as unknown as JobPage;
      expect(page.totalCount).toBe(20_000);
      for (const job of page.results) {
        ids.add(job.id);
        states[job.state] = (states[job.state] ?? 0) + 1;
        // Newest first across page boundaries, as Atlas lists them.
        if (job.createdAt > newest) outOfOrder.push(job.id);
        newest = job.createdAt;
      }
      next = page.links.find((l) => l.rel === 'next')?.href.replace(sim.url, '');
      pages++;
      expect(pages).toBeLessThanOrEqual(40);
    }
    expect(pages).toBe(40);
    expect(outOfOrder).toEqual([]);
    expect(ids.size).toBe(20_000);
    expect(Object.values(states).reduce((a, b) => a + b, 0)).toBe(20_000);
    // Every state an operator filters by is there, with failures a small share as in the demo's big cluster.
    expect(Object.keys(states).sort()).toEqual(['Cancelled', 'Failed', 'InProgress', 'Queued', 'Successful']);
    expect(states.Failed).toBeGreaterThan(1000);
    expect(states.Failed).toBeLessThan(2000);
    // The simulator's own summary counts the same jobs in the same states.
    const row = w.clusters.find((c) => c.groupId === huge.groupId && c.name === huge.name)!;
    expect(row.inProgress).toBe(states.InProgress);
    expect(row.queued).toBe(states.Queued);
    expect(row.failures.length).toBeGreaterThan(0);
  });

  it('answers its cluster, project, buckets, snapshots, schedule and single jobs in the spec schema', async () => {
    await valid(`${API}/groups/${huge.groupId}`, 'getGroup');
    await valid(`${API}/groups/${huge.groupId}/clusters`, 'listGroupClusters');
    await valid(base, 'getGroupCluster');
    await valid(`${base}/backup/schedule`, 'getGroupClusterBackupSchedule');
    await valid(`${API}/groups/${huge.groupId}/backup/exportBuckets`, 'listGroupBackupExportBuckets');
    const snaps = (await valid(`${base}/backup/snapshots?itemsPerPage=500`, 'listGroupClusterBackupSnapshots')) as {
      totalCount: number;
    };
    expect(snaps.totalCount).toBeGreaterThanOrEqual(20_000);
    const last = (await valid(
      `${base}/backup/exports?itemsPerPage=500&pageNum=40`,
      'listGroupClusterBackupExports',
    )) as unknown as JobPage;
    expect(last.results).toHaveLength(500);
    expect(last.links.map((l) => l.rel)).toEqual(['previous', 'self']);
    for (const job of [last.results[0]!, last.results.at(-1)!]) {
      const one = (await valid(`${base}/backup/exports/${job.id}`, 'getGroupClusterBackupExport')) as { id: string };
      expect(one.id).toBe(job.id);
      await valid(`${base}/backup/snapshots/${job.snapshotId}`, 'getGroupClusterBackupSnapshot');
    }
  });
});
