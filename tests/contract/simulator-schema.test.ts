/**
 * Every kind of simulator response (list, single entity, enveloped, POST, errors) against the vendored OpenAPI
 * schemas, through a strict validator (unknown fields fail). Also proves the validator catches a drifted field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS, mediaType, type OperationSpec } from '../../src/atlas/operations.ts';
import { startSimulator, type RunningSimulator } from '../../src/simulator/server.ts';
import { API, bearerClient, control, token, world, type WorldSummary } from '../support/sim-client.ts';
import { createValidator } from './simulator-schema.ts';

const validator = createValidator();
let sim: RunningSimulator;
let get: ReturnType<typeof bearerClient>;
let w: WorldSummary;
const paths = new Map<string, string[]>();

type Json = Record<string, unknown>;
const first = async (path: string): Promise<Json[]> =>
  ((await (await get(path)).json()) as { results: Json[] }).results;

beforeAll(async () => {
  sim = await startSimulator({ rateLimits: false });
  get = bearerClient(sim.url, await token(sim.url));
  w = await world(sim.url);
  const g = `${API}/groups/${w.bigCluster.groupId}`;
  const big = `${g}/clusters/${w.bigCluster.name}`;
  const sharded = `${g}/clusters/${w.shardedCluster.name}`;
  const buckets = await first(`${g}/backup/exportBuckets`);
  const bigJobs = await first(`${big}/backup/exports?itemsPerPage=20`);
  const shardedJobs = await first(`${sharded}/backup/exports?itemsPerPage=3`);
  const snaps = await first(`${big}/backup/snapshots?itemsPerPage=2`);
  const shardedSnaps = await first(`${sharded}/backup/snapshots/shardedClusters`);
  const add = (id: string, ...p: string[]) => paths.set(id, p);
  add('listOrgs', `${API}/orgs`, `${API}/orgs?name=acme`);
  add('getOrg', ...w.orgs.map((o) => `${API}/orgs/${o.id}`));
  add('getOrgGroups', ...w.orgs.map((o) => `${API}/orgs/${o.id}/groups`));
  add('listGroups', `${API}/groups`, `${API}/groups?includeCount=false&itemsPerPage=2&pageNum=2`);
  // Projects the credentials hold no role on answer 403 (checked below); every other one answers its schema.
  const readable = w.projects.filter((p) => p.access !== 'none');
  add('getGroup', ...readable.map((p) => `${API}/groups/${p.id}`));
  add('listGroupClusters', ...readable.map((p) => `${API}/groups/${p.id}/clusters`));
  add('getGroupCluster', big, sharded, `${g}/clusters/${w.noBackupCluster.name}`);
  add('listGroupBackupExportBuckets', `${g}/backup/exportBuckets`);
  add('getGroupBackupExportBucket', ...buckets.map((b) => `${g}/backup/exportBuckets/${String(b._id)}`));
  add(
    'listGroupClusterBackupExports',
    `${big}/backup/exports?itemsPerPage=500`,
    `${big}/backup/exports?itemsPerPage=500&pageNum=3`,
    `${sharded}/backup/exports`,
    `${g}/clusters/${w.noExportsCluster.name}/backup/exports`,
  );
  add(
    'getGroupClusterBackupExport',
    ...[...bigJobs, ...shardedJobs].map((j) => `${(j.links as { href: string }[])[0]!.href.replace(sim.url, '')}`),
  );
  add('listGroupClusterBackupSnapshots', `${big}/backup/snapshots`);
  add('getGroupClusterBackupSnapshot', ...snaps.map((s) => `${big}/backup/snapshots/${String(s.id)}`));
  const auto = w.clusters.filter((c) => c.autoExport !== null);
  add(
    'getGroupClusterBackupSchedule',
    `${big}/backup/schedule`,
    `${sharded}/backup/schedule`,
    ...auto.map((c) => `${API}/groups/${c.groupId}/clusters/${c.name}/backup/schedule`),
  );
  add('listGroupClusterBackupSnapshotShardedClusters', `${sharded}/backup/snapshots/shardedClusters`);
  add(
    'getGroupClusterBackupSnapshotShardedCluster',
    ...shardedSnaps.slice(0, 3).map((s) => `${sharded}/backup/snapshots/shardedCluster/${String(s.id)}`),
  );
});
afterAll(() => sim?.close());

function expectValid(schema: string, body: unknown): void {
  expect(validator.check(schema, body), JSON.stringify(body).slice(0, 300)).toBeUndefined();
}

const getOps = OPERATIONS.filter((op) => op.method === 'GET') as readonly OperationSpec[];

describe('every GET operation answers its spec schema, with its version media type', () => {
  it('covers all 16 GET operations', () => {
    expect(getOps.map((o) => o.operationId).filter((id) => !paths.has(id))).toEqual([]);
  });
  for (const op of getOps) {
    it(op.operationId, async () => {
      for (const path of paths.get(op.operationId) ?? []) {
        const res = await get(path);
        expect(res.status, path).toBe(200);
        expect(res.headers.get('content-type')).toBe(mediaType(op.version));
        const body = (await res.json()) as Json;
        expectValid(op.responseSchema, body);
        if (op.paginated) expect((body.links as { rel: string }[]).some((l) => l.rel === 'self')).toBe(true);
      }
    });
    it(`${op.operationId} with envelope=true`, async () => {
      const path = paths.get(op.operationId)![0]!;
      const res = await get(`${path}${path.includes('?') ? '&' : '?'}envelope=true`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Json;
      expect(body.status).toBe(200);
      if (op.responseSchema.startsWith('Paginated')) {
        const { status: _status, ...page } = body;
        expectValid(op.responseSchema, page);
      } else {
        expect(Object.keys(body).sort()).toEqual(['content', 'status']);
        expectValid(op.responseSchema, body.content);
      }
    });
  }
});

describe('POST createGroupClusterBackupExport', () => {
  it('returns 200 with a Queued DiskBackupExportJob', async () => {
    const g = `${API}/groups/${w.noExportsCluster.groupId}`;
    const [snapshot] = await first(`${g}/clusters/${w.noExportsCluster.name}/backup/snapshots?itemsPerPage=1`);
    const [bucket] = await first(`${g}/backup/exportBuckets`);
    const res = await get(`${g}/clusters/${w.noExportsCluster.name}/backup/exports`, {
      method: 'POST',
      headers: { 'content-type': mediaType('2023-01-01') },
      body: JSON.stringify({
        snapshotId: snapshot!.id,
        exportBucketId: bucket!._id,
        customData: [{ key: 'k', value: 'v' }],
      }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(mediaType('2023-01-01'));
    const job = (await res.json()) as Json;
    expectValid('DiskBackupExportJob', job);
    expect(job).toMatchObject({
      state: 'Queued',
      snapshotId: snapshot!.id,
      exportBucketId: bucket!._id,
      customData: [{ key: 'k', value: 'v' }],
    });
  });
});

describe('POST createGroupClusterBackupExport: every refusal is an ApiError as Atlas words it', () => {
  const post = (groupId: string, cluster: string, body: unknown) =>
    get(`${API}/groups/${groupId}/clusters/${cluster}/backup/exports`, {
      method: 'POST',
      headers: { 'content-type': mediaType('2023-01-01') },
      body: JSON.stringify(body),
    });
  async function refused(res: Response, status: number, code: string): Promise<Json> {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as Json;
    expectValid('ApiError', body);
    expect(body).toMatchObject({ error: status, errorCode: code });
    return body;
  }
  it('400 for a snapshot not completed and for a fallback snapshot; 409 for a second export; 403 naming the role', async () => {
    const { groupId, name } = w.noExportsCluster;
    const [bucket] = await first(`${API}/groups/${groupId}/backup/exportBuckets`);
    const exportBucketId = String(bucket!._id);
    const running = (await control(sim.url, 'snapshots', { groupId, clusterName: name, status: 'inProgress' })) as {
      id: string;
    };
    const fallback = (await control(sim.url, 'snapshots', {
      groupId,
      clusterName: name,
      snapshotType: 'fallback',
    })) as {
      id: string;
    };
    const ok = (await control(sim.url, 'snapshots', { groupId, clusterName: name })) as { id: string };
    const snapshots = await first(`${API}/groups/${groupId}/clusters/${name}/backup/snapshots?itemsPerPage=3`);
    for (const s of snapshots) expectValid('DiskBackupReplicaSet', s);
    expect(snapshots.map((s) => [s.status, s.snapshotType])).toEqual([
      ['completed', expect.any(String)],
      ['completed', 'fallback'],
      ['inProgress', expect.any(String)],
    ]);
    const notDone = await refused(
      await post(groupId, name, { snapshotId: running.id, exportBucketId }),
      400,
      'SNAPSHOT_NOT_COMPLETED',
    );
    expect(String(notDone.detail)).toContain('inProgress');
    await refused(
      await post(groupId, name, { snapshotId: fallback.id, exportBucketId }),
      400,
      'CANNOT_EXPORT_FALLBACK_SNAPSHOT',
    );
    expect((await post(groupId, name, { snapshotId: ok.id, exportBucketId })).status).toBe(200);
    await refused(await post(groupId, name, { snapshotId: ok.id, exportBucketId }), 409, 'EXPORT_ALREADY_IN_PROGRESS');
    await control(sim.url, 'access', { groupId, access: 'noExport' });
    try {
      // Reads still work; creating an export names the missing role.
      expect((await get(`${API}/groups/${groupId}/clusters/${name}/backup/exports`)).status).toBe(200);
      const denied = await refused(
        await post(groupId, name, { snapshotId: ok.id, exportBucketId }),
        403,
        'USER_UNAUTHORIZED',
      );
      expect(String(denied.detail)).toContain('Project Backup Export Operator');
    } finally {
      await control(sim.url, 'access', { groupId, access: 'all' });
    }
  });
  it('the new job runs Queued -> InProgress -> a terminal state on the simulated clock, and /__sim/world counts it', async () => {
    const { groupId, name } = w.noExportsCluster;
    const [bucket] = await first(`${API}/groups/${groupId}/backup/exportBuckets`);
    const snap = (await control(sim.url, 'snapshots', { groupId, clusterName: name })) as { id: string };
    const before = (await world(sim.url)).clusters.find((c) => c.groupId === groupId && c.name === name)!.jobs;
    const res = await post(groupId, name, { snapshotId: snap.id, exportBucketId: bucket!._id });
    const job = (await res.json()) as Json;
    expect(job.state).toBe('Queued');
    const after = (await world(sim.url)).clusters.find((c) => c.groupId === groupId && c.name === name)!;
    expect(after.jobs).toBe(before + 1);
    const read = async () => {
      const r = await get(`${API}/groups/${groupId}/clusters/${name}/backup/exports/${String(job.id)}`);
      const body = (await r.json()) as Json;
      expectValid('DiskBackupExportJob', body);
      return body.state;
    };
    await control(sim.url, 'clock', { advanceMs: 20_000 });
    expect(await read()).toBe('InProgress');
    // At most 15 s queued plus 60 collections at 3 s; a shorter step than the token's hour.
    await control(sim.url, 'clock', { advanceMs: 200_000 });
    expect(['Successful', 'Failed']).toContain(await read());
  });
});

describe('error responses are ApiError bodies served as application/json', () => {
  const cases: [string, string, number, string, RequestInit?][] = [
    ['unknown project', `/groups/0123456789abcdef01234567`, 404, 'GROUP_NOT_FOUND'],
    ['unknown org', `/orgs/0123456789abcdef01234567/groups`, 404, 'ORG_NOT_FOUND'],
    ['malformed groupId', `/groups/not-an-id/clusters`, 400, 'INVALID_PATH_PARAMETER'],
    ['itemsPerPage too large', `/groups?itemsPerPage=501`, 400, 'INVALID_QUERY_PARAMETER'],
    ['pageNum 0', `/groups?pageNum=0`, 400, 'INVALID_QUERY_PARAMETER'],
    ['includeCount not boolean', `/groups?includeCount=yes`, 400, 'INVALID_QUERY_PARAMETER'],
    ['unknown path', `/groups/0123456789abcdef01234567/nothing`, 404, 'RESOURCE_NOT_FOUND'],
    ['unversioned Accept', `/groups`, 406, 'INVALID_VERSION_DATE', { headers: { accept: 'application/json' } }],
  ];
  for (const [name, path, status, code, init] of cases) {
    it(`${name}: ${status} ${code}`, async () => {
      const res = await get(`${API}${path}`, init);
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toBe('application/json');
      const body = (await res.json()) as Json;
      expectValid('ApiError', body);
      expect(body).toMatchObject({ error: status, errorCode: code });
      if (status === 400) expect((body.badRequestDetail as { fields: unknown[] }).fields.length).toBeGreaterThan(0);
    });
  }
  it('a project without a role, and export jobs without Project Backup Manager: 403 naming the role', async () => {
    const none = w.projects.find((p) => p.access === 'none')!;
    const readOnly = w.projects.find((p) => p.access === 'readOnly')!;
    const readOnlyCluster = w.clusters.find((c) => c.groupId === readOnly.id)!;
    const cases: [string, string][] = [
      [`${API}/groups/${none.id}`, 'Project Read Only'],
      [`${API}/groups/${none.id}/clusters`, 'Project Read Only'],
      [`${API}/groups/${readOnly.id}/clusters/${readOnlyCluster.name}/backup/exports`, 'Project Backup Manager'],
    ];
    for (const [path, role] of cases) {
      const res = await get(path);
      expect(res.status, path).toBe(403);
      const body = (await res.json()) as Json;
      expectValid('ApiError', body);
      expect(body).toMatchObject({ error: 403, errorCode: 'USER_UNAUTHORIZED' });
      expect(String(body.detail)).toContain(role);
    }
    // Read Only still lists the clusters of that project.
    expect((await get(`${API}/groups/${readOnly.id}/clusters`)).status).toBe(200);
  });
  it('unknown cluster, export, bucket and snapshot: 404 with fitting codes', async () => {
    const g = `${API}/groups/${w.bigCluster.groupId}`;
    const c = `${g}/clusters/${w.bigCluster.name}`;
    const none = '0123456789abcdef01234567';
    for (const [path, code] of [
      [`${g}/clusters/no-such-cluster`, 'CLUSTER_NOT_FOUND'],
      [`${c}/backup/exports/${none}`, 'EXPORT_JOB_NOT_FOUND'],
      [`${g}/backup/exportBuckets/${none}`, 'EXPORT_BUCKET_NOT_FOUND'],
      [`${c}/backup/snapshots/${none}`, 'SNAPSHOT_NOT_FOUND'],
      [`${c}/backup/snapshots/shardedCluster/${none}`, 'SNAPSHOT_NOT_FOUND'],
    ] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      const body = (await res.json()) as Json;
      expectValid('ApiError', body);
      expect(body.errorCode).toBe(code);
    }
  });
  it('429 from the token bucket and 409 from a second export of a snapshot are ApiErrors too', async () => {
    const limited = await startSimulator({ rateLimits: { capacity: 1, refillPerMinute: 1 } });
    try {
      const call = bearerClient(limited.url, await token(limited.url));
      expect((await call(`${API}/orgs`)).status).toBe(200);
      const res = await call(`${API}/orgs`);
      expect(res.status).toBe(429);
      expect(res.headers.get('content-type')).toBe('application/json');
      expectValid('ApiError', await res.json());
    } finally {
      await limited.close();
    }
    const g = `${API}/groups/${w.noExportsCluster.groupId}`;
    const snaps = await first(`${g}/clusters/${w.noExportsCluster.name}/backup/snapshots`);
    const [bucket] = await first(`${g}/backup/exportBuckets`);
    const body = JSON.stringify({ snapshotId: snaps.at(-1)!.id, exportBucketId: bucket!._id });
    const post = () =>
      get(`${g}/clusters/${w.noExportsCluster.name}/backup/exports`, {
        method: 'POST',
        headers: { 'content-type': mediaType('2023-01-01') },
        body,
      });
    expect((await post()).status).toBe(200);
    const conflict = await post();
    expect(conflict.status).toBe(409);
    expectValid('ApiError', await conflict.json());
  });
  it('401 without credentials carries a Digest challenge and an ApiError', async () => {
    const res = await fetch(`${sim.url}${API}/groups`, {
      headers: { accept: 'application/vnd.atlas.2025-03-12+json' },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(
      /^Digest realm="MMS Public API", domain="", nonce="[^"]+", algorithm=MD5, qop="auth", stale=false$/,
    );
    expectValid('ApiError', await res.json());
  });
});

describe('the validator catches drift (so the suite above can fail)', () => {
  it('rejects an extra, a misspelled, a mistyped or a mis-cased field in a real job', async () => {
    const [job] = await first(
      `${API}/groups/${w.bigCluster.groupId}/clusters/${w.bigCluster.name}/backup/exports?itemsPerPage=1`,
    );
    expectValid('DiskBackupExportJob', job);
    const { exportStatus, ...rest } = job!;
    const drifted: Json[] = [
      { ...job, progress: 0.5 },
      { ...rest, exportstatus: exportStatus },
      { ...job, exportStatus: { exportedCollections: '3', totalCollections: 10 } },
      { ...job, state: 'SUCCESSFUL' },
      { ...job, createdAt: 'yesterday' },
      { ...job, exportBucketId: undefined },
    ];
    for (const d of drifted)
      expect(validator.check('DiskBackupExportJob', JSON.parse(JSON.stringify(d))), JSON.stringify(d)).toBeDefined();
  });
  it('pins a bucket subtype to its cloudProvider', () => {
    const aws = {
      _id: '0123456789abcdef01234567',
      bucketName: 'abc',
      cloudProvider: 'AWS',
      iamRoleId: '0123456789abcdef01234567',
    };
    expect(validator.check('DiskBackupSnapshotExportBucketResponse', aws)).toBeUndefined();
    expect(validator.check('DiskBackupSnapshotExportBucketResponse', { ...aws, cloudProvider: 'GCP' })).toBeDefined();
    expect(validator.check('DiskBackupSnapshotExportBucketResponse', { ...aws, id: aws._id })).toBeDefined();
  });
});

describe('GET .../backup/schedule', () => {
  it('says which clusters auto-export and how often, as the simulator holds it', async () => {
    const auto = w.clusters.filter((c) => c.autoExport !== null);
    expect(auto.map((c) => c.autoExport).sort()).toEqual(['monthly', 'yearly']);
    for (const c of auto) {
      const body = (await (await get(`${API}/groups/${c.groupId}/clusters/${c.name}/backup/schedule`)).json()) as Json;
      expect(body).toMatchObject({ autoExportEnabled: true, export: { frequencyType: c.autoExport } });
    }
    const big = `${API}/groups/${w.bigCluster.groupId}/clusters/${w.bigCluster.name}/backup/schedule`;
    expect(await (await get(big)).json()).toMatchObject({ autoExportEnabled: false });
    const off = await get(
      `${API}/groups/${w.noBackupCluster.groupId}/clusters/${w.noBackupCluster.name}/backup/schedule`,
    );
    expect(off.status).toBe(404);
  });
});
