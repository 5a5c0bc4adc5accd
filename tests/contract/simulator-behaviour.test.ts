/** Versioning, rate limits, the job lifecycle on the simulated clock, and creating export jobs. */
import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/server.ts';
import { API, bearerClient, control, token, world, type WorldSummary } from '../support/sim-client.ts';

type Job = {
  id: string;
  state: string;
  exportStatus: { exportedCollections: number; totalCollections: number };
  finishedAt?: string;
  components?: { exportId: string; replicaSetName: string }[];
};

let sim: RunningSimulator;
let get: ReturnType<typeof bearerClient>;
let w: WorldSummary;
let accessToken: string;
beforeAll(async () => {
  // Tokens outlive the clock jumps below (a month), so each test needs only one.
  sim = await startSimulator({ speed: 0, rateLimits: false, tokenLifetimeSec: 30 * 86_400 });
  w = await world(sim.url);
});
afterAll(() => sim?.close());
beforeEach(async () => {
  await control(sim.url, 'reset', {});
  accessToken = await token(sim.url);
  get = bearerClient(sim.url, accessToken);
});

/** A GET with exactly these headers (fetch always adds `accept: *\/*`, so a missing Accept needs node:http). */
function rawGet(
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; contentType?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${sim.url}${path}`, { headers }, (res) => {
      let body = '';
      res
        .setEncoding('utf8')
        .on('data', (d: string) => (body += d))
        .on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body }));
    });
    req.on('error', reject).end();
  });
}

describe('versioned Accept negotiation', () => {
  const cases: [string, string | undefined, string, number, string?][] = [
    ['missing Accept', undefined, '/orgs', 406],
    ['application/json', 'application/json', '/orgs', 406],
    ['*/*', '*/*', '/orgs', 406],
    ['preview', 'application/vnd.atlas.preview+json', '/orgs', 406],
    ['impossible date', 'application/vnd.atlas.2025-02-30+json', '/orgs', 406],
    ['date before the first version', 'application/vnd.atlas.2022-12-31+json', '/orgs', 406],
    ['exact version', 'application/vnd.atlas.2023-01-01+json', '/orgs', 200, '2023-01-01'],
    ['later date on /orgs', 'application/vnd.atlas.2025-03-12+json', '/orgs', 200, '2023-01-01'],
    ['clusters before 2024-08-05', 'application/vnd.atlas.2024-08-04+json', '/groups/GROUP/clusters', 406],
    ['clusters at 2025-03-12', 'application/vnd.atlas.2025-03-12+json', '/groups/GROUP/clusters', 200, '2024-08-05'],
    ['buckets before 2024-05-30', 'application/vnd.atlas.2024-01-01+json', '/groups/GROUP/backup/exportBuckets', 406],
    [
      'buckets at 2024-06-01',
      'application/vnd.atlas.2024-06-01+json',
      '/groups/GROUP/backup/exportBuckets',
      200,
      '2024-05-30',
    ],
    [
      'a list picks the best date',
      'application/json, application/vnd.atlas.2025-03-12+json;q=0.9',
      '/orgs',
      200,
      '2023-01-01',
    ],
  ];
  for (const [name, accept, path, status, served] of cases) {
    it(`${name} -> ${status}${served ? ` (${served})` : ''}`, async () => {
      const res = await rawGet(`${API}${path.replace('GROUP', w.bigCluster.groupId)}`, {
        authorization: `Bearer ${accessToken}`,
        ...(accept ? { accept } : {}),
      });
      expect(res.status).toBe(status);
      if (status === 406) {
        expect(res.contentType).toBe('application/json');
        expect(JSON.parse(res.body)).toEqual({
          error: 406,
          errorCode: 'INVALID_VERSION_DATE',
          reason: 'Not Acceptable',
          detail: 'Invalid accept header or version date.',
          parameters: [],
        });
      } else {
        expect(res.contentType).toBe(`application/vnd.atlas.${served}+json`);
      }
    });
  }
});

describe('rate limits (token bucket per set and scope)', () => {
  let limited: RunningSimulator;
  beforeAll(async () => {
    limited = await startSimulator({ speed: 0, rateLimits: { capacity: 3, refillPerMinute: 60 } });
  });
  afterAll(() => limited?.close());

  it('counts down RateLimit-Remaining, then 429 RATE_LIMITED with Retry-After; refills with time', async () => {
    const get = bearerClient(limited.url, await token(limited.url));
    const path = `${API}/groups/${w.bigCluster.groupId}/backup/exportBuckets`;
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBe('3');
      remaining.push(res.headers.get('ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const refused = await get(`${API}/groups/${w.bigCluster.groupId}/clusters/${w.bigCluster.name}/backup/exports`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ error: 429, errorCode: 'RATE_LIMITED', reason: 'Too Many Requests' });
    // Another project has its own bucket; another endpoint set too.
    expect((await get(`${API}/groups/${w.projects[1]!.id}/backup/exportBuckets`)).status).toBe(200);
    expect((await get(`${API}/groups/${w.bigCluster.groupId}/clusters`)).status).toBe(200);
    await control(limited.url, 'clock', { advanceMs: 1_000 });
    expect((await get(path)).status).toBe(200);
  });
});

describe('jobs move on the simulated clock', () => {
  const jobsPath = () => `${API}/groups/${w.bigCluster.groupId}/clusters/${w.bigCluster.name}/backup/exports`;
  const job = async (id: string) => (await (await get(`${jobsPath()}/${id}`)).json()) as Job;

  it('Queued -> InProgress with exportedCollections rising -> Successful with finishedAt', async () => {
    const list = (await (await get(`${jobsPath()}?itemsPerPage=5`)).json()) as { results: Job[] };
    const queued = list.results.find((j) => j.state === 'Queued')!;
    expect(queued.exportStatus).toEqual({ exportedCollections: 0, totalCollections: 0 });
    await control(sim.url, 'clock', { advanceMs: 60_000 });
    const running = await job(queued.id);
    expect(running.state).toBe('InProgress');
    expect(running.exportStatus.exportedCollections).toBeGreaterThan(0);
    await control(sim.url, 'clock', { advanceMs: 30_000 });
    const later = await job(queued.id);
    expect(later.exportStatus.exportedCollections).toBeGreaterThan(running.exportStatus.exportedCollections);
    await control(sim.url, 'clock', { advanceMs: 3_600_000 });
    const done = await job(queued.id);
    expect(done.state).toBe('Successful');
    expect(done.exportStatus.exportedCollections).toBe(done.exportStatus.totalCollections);
    expect(Date.parse(done.finishedAt!)).toBeGreaterThan(0);
  });

  it('the auto-export policy adds a Queued job on a fresh snapshot every 10 simulated minutes', async () => {
    const page = async () =>
      (await (await get(`${jobsPath()}?itemsPerPage=1`)).json()) as {
        results: (Job & { snapshotId: string })[];
        totalCount: number;
      };
    const before = await page();
    expect(before.totalCount).toBe(w.bigCluster.jobs);
    await control(sim.url, 'clock', { advanceMs: 10 * 60_000 });
    const after = await page();
    expect(after.totalCount).toBe(w.bigCluster.jobs + 1);
    const fresh = after.results[0]!;
    expect(fresh.id).not.toBe(before.results[0]!.id);
    expect(fresh.state).toBe('Queued');
    const snapshot = await get(
      `${API}/groups/${w.bigCluster.groupId}/clusters/${w.bigCluster.name}/backup/snapshots/${fresh.snapshotId}`,
    );
    expect(snapshot.status).toBe(200);
    await control(sim.url, 'clock', { advanceMs: 2 * 3_600_000 });
    expect((await page()).totalCount).toBe(w.bigCluster.jobs + 13);
  });

  it('GET /__sim/clock reports the advanced time', async () => {
    const before = Date.parse(((await control(sim.url, 'clock')) as { now: string }).now);
    await control(sim.url, 'clock', { advanceMs: 90_000 });
    const after = Date.parse(((await control(sim.url, 'clock')) as { now: string }).now);
    expect(after - before).toBe(90_000);
  });
});

describe('POST createGroupClusterBackupExport', () => {
  const base = () => `${API}/groups/${w.shardedCluster.groupId}`;
  const post = (cluster: string, body: unknown) =>
    get(`${base()}/clusters/${cluster}/backup/exports`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.atlas.2023-01-01+json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  async function ids(cluster: string) {
    const snaps = (await (await get(`${base()}/clusters/${cluster}/backup/snapshots/shardedClusters`)).json()) as {
      results: { id: string }[];
    };
    const buckets = (await (await get(`${base()}/backup/exportBuckets`)).json()) as { results: { _id: string }[] };
    return { snapshotId: snaps.results.at(-1)!.id, exportBucketId: buckets.results[0]!._id };
  }

  it('queues a job (one component per shard), lists it first, refuses a second export of the same snapshot', async () => {
    const body = await ids(w.shardedCluster.name);
    const res = await post(w.shardedCluster.name, body);
    expect(res.status).toBe(200);
    const created = (await res.json()) as Job;
    expect(created.state).toBe('Queued');
    expect(created.components!.length).toBeGreaterThanOrEqual(2);
    const list = (await (
      await get(`${base()}/clusters/${w.shardedCluster.name}/backup/exports?itemsPerPage=1`)
    ).json()) as { results: Job[]; totalCount: number };
    expect(list.results[0]!.id).toBe(created.id);
    expect(list.totalCount).toBe(w.shardedCluster.jobs + 1);
    const again = await post(w.shardedCluster.name, body);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: 409, errorCode: 'EXPORT_ALREADY_IN_PROGRESS' });
    await control(sim.url, 'clock', { advanceMs: 3_600_000 });
    expect((await post(w.shardedCluster.name, body)).status).toBe(200);
  });

  it('validates the body (400 with badRequestDetail) and the referenced snapshot and bucket (404)', async () => {
    const body = await ids(w.shardedCluster.name);
    const bad = await post(w.shardedCluster.name, { exportBucketId: body.exportBucketId, snapshotId: 'xyz' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      errorCode: 'VALIDATION_ERROR',
      badRequestDetail: { fields: [{ field: 'snapshotId' }] },
    });
    expect((await post(w.shardedCluster.name, '{not json')).status).toBe(400);
    expect((await post(w.shardedCluster.name, { snapshotId: body.snapshotId })).status).toBe(400);
    const none = '0123456789abcdef01234567';
    expect(await (await post(w.shardedCluster.name, { ...body, snapshotId: none })).json()).toMatchObject({
      error: 404,
      errorCode: 'SNAPSHOT_NOT_FOUND',
    });
    expect(await (await post(w.shardedCluster.name, { ...body, exportBucketId: none })).json()).toMatchObject({
      error: 404,
      errorCode: 'EXPORT_BUCKET_NOT_FOUND',
    });
    expect(await (await post('no-such-cluster', body)).json()).toMatchObject({
      error: 404,
      errorCode: 'CLUSTER_NOT_FOUND',
    });
  });
});
