/**
 * The SPA's response checks (src/web/lib/atlas-schemas.ts) accept every kind of answer the spec-valid simulator
 * gives, for every GET operation: a check stricter than the contract would turn good data into an error panel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS, type OperationId } from '../../src/atlas/operations.ts';
import { startSimulator, type RunningSimulator } from '../../src/simulator/server.ts';
import { shapeProblem } from '../../src/web/lib/atlas-schemas.ts';
import { API, bearerClient, token, world } from '../support/sim-client.ts';

let sim: RunningSimulator;
let get: ReturnType<typeof bearerClient>;
const paths = new Map<OperationId, string[]>();

type Json = { results: Array<Record<string, unknown>> };

beforeAll(async () => {
  sim = await startSimulator({ rateLimits: false });
  get = bearerClient(sim.url, await token(sim.url));
  const w = await world(sim.url);
  const g = `${API}/groups/${w.bigCluster.groupId}`;
  const big = `${g}/clusters/${w.bigCluster.name}`;
  const sharded = `${g}/clusters/${w.shardedCluster.name}`;
  const first = async (path: string) => ((await (await get(path)).json()) as Json).results[0] ?? {};
  const job = await first(`${sharded}/backup/exports?itemsPerPage=1`);
  const bucket = await first(`${g}/backup/exportBuckets`);
  const snap = await first(`${big}/backup/snapshots?itemsPerPage=1`);
  const shardedSnap = await first(`${sharded}/backup/snapshots/shardedClusters`);
  const org = w.orgs[0]!.id;
  const set = (id: OperationId, ...p: string[]) => paths.set(id, p);
  set('listOrgs', `${API}/orgs`);
  set('getOrg', `${API}/orgs/${org}`);
  set('getOrgGroups', `${API}/orgs/${org}/groups`);
  set('listGroups', `${API}/groups?itemsPerPage=500`);
  set('getGroup', g);
  set('listGroupClusters', `${g}/clusters`);
  set('getGroupCluster', big, sharded);
  set('listGroupBackupExportBuckets', `${g}/backup/exportBuckets?itemsPerPage=500`);
  set('getGroupBackupExportBucket', `${g}/backup/exportBuckets/${String(bucket._id)}`);
  set(
    'listGroupClusterBackupExports',
    `${big}/backup/exports?itemsPerPage=500&includeCount=true`,
    `${sharded}/backup/exports`,
    `${g}/clusters/${w.noExportsCluster.name}/backup/exports`,
  );
  set('getGroupClusterBackupExport', `${sharded}/backup/exports/${String(job.id)}`);
  set('listGroupClusterBackupSnapshots', `${big}/backup/snapshots?itemsPerPage=500`);
  set('getGroupClusterBackupSnapshot', `${big}/backup/snapshots/${String(snap.id)}`);
  set('listGroupClusterBackupSnapshotShardedClusters', `${sharded}/backup/snapshots/shardedClusters`);
  const monthly = w.clusters.find((c) => c.autoExport === 'monthly')!;
  set(
    'getGroupClusterBackupSchedule',
    `${big}/backup/schedule`,
    `${API}/groups/${monthly.groupId}/clusters/${monthly.name}/backup/schedule`,
  );
  set(
    'getGroupClusterBackupSnapshotShardedCluster',
    `${sharded}/backup/snapshots/shardedCluster/${String(shardedSnap.id)}`,
  );
});
afterAll(() => sim.close());

describe('the SPA reads every answer the simulator gives', () => {
  const gets = OPERATIONS.filter((op) => op.method === 'GET').map((op) => op.operationId);
  it.each(gets)('%s', async (id) => {
    const list = paths.get(id);
    expect(list, `no sample path for ${id}`).toBeDefined();
    for (const path of list!) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(shapeProblem(id, await res.json()), path).toBeUndefined();
    }
  });
});
