import type { Rng } from './prng.ts';
import { failureFor } from './failures.ts';
import { idAt } from './seed-projects.ts';
import type { BucketRec, ClusterRec, FinalState, JobRec, SnapshotRec } from './model.ts';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Jobs that are live relative to the clock's start, so a fresh demo shows progress within a minute. */
export interface ActivePlan {
  ageMs: number;
  queueMs: number;
  total: number;
  perCollectionMs: number;
  outcome: FinalState;
  stopFraction?: number;
}
export const BIG_CLUSTER_ACTIVE: ActivePlan[] = [
  { ageMs: 10 * SEC, queueMs: 45 * SEC, total: 40, perCollectionMs: 3 * SEC, outcome: 'Successful' },
  { ageMs: 90 * SEC, queueMs: 20 * SEC, total: 40, perCollectionMs: 4 * SEC, outcome: 'Successful' },
  { ageMs: 5 * MIN, queueMs: 30 * SEC, total: 600, perCollectionMs: 6 * SEC, outcome: 'Successful' },
  { ageMs: 20 * MIN, queueMs: MIN, total: 120, perCollectionMs: 5 * SEC, outcome: 'Failed', stopFraction: 0.4 },
  { ageMs: 40 * MIN, queueMs: 2 * MIN, total: 80, perCollectionMs: 5 * SEC, outcome: 'Cancelled', stopFraction: 0.25 },
  // Atlas reports 0 of 0 collections for an (almost) empty cluster's successful export.
  { ageMs: 2 * HOUR, queueMs: 2 * MIN, total: 0, perCollectionMs: 0, outcome: 'Successful' },
];
export const SHARDED_ACTIVE: ActivePlan[] = [
  { ageMs: 2 * MIN, queueMs: 30 * SEC, total: 120, perCollectionMs: 5 * SEC, outcome: 'Successful' },
];

export interface BackupContext {
  rng: Rng;
  start: number;
  orgId: string;
  cluster: ClusterRec;
  buckets: BucketRec[];
}

export function seedBackups(
  ctx: BackupContext,
  jobCount: number,
  active: ActivePlan[],
  /** Time between finished exports; by default 6 h for a long history, a day for a short one. */
  intervalMs?: number,
): { snapshots: SnapshotRec[]; jobs: JobRec[] } {
  const { rng, cluster } = ctx;
  if (!cluster.backupEnabled) return { snapshots: [], jobs: [] };
  // Snapshots nobody exported yet (newest), so a POST has something to export.
  const spareAges = [30 * MIN, 6 * HOUR, 12 * HOUR];
  const snapshots = spareAges.map((age) => snapshotAt(ctx, age));
  const jobs: JobRec[] = [];
  const interval = intervalMs ?? (jobCount > 200 ? 6 * HOUR : DAY);
  // A cluster with live jobs has its finished history start one interval back; one without starts a few hours
  // ago, as a daily export that ran this morning (so a healthy cluster is fresh, not 27 h old).
  const skip = active.length > 0 ? 1 : 0;
  for (let i = 0; i < jobCount; i++) {
    const plan = active[i] ?? oldPlan(rng, (i - active.length + skip) * interval + 3 * HOUR);
    const snapshot = snapshotAt(ctx, plan.ageMs + rng.int(1, 30) * MIN);
    snapshots.push(snapshot);
    jobs.push(jobFrom(ctx, plan, snapshot));
  }
  snapshots.sort((a, b) => b.createdAt - a.createdAt);
  return { snapshots, jobs };
}

function oldPlan(rng: Rng, ageMs: number): ActivePlan {
  const r = rng.next();
  const outcome: FinalState = r < 0.07 ? 'Failed' : r < 0.09 ? 'Cancelled' : 'Successful';
  return {
    ageMs: ageMs + rng.int(0, 50) * MIN,
    queueMs: rng.int(1, 10) * MIN,
    total: rng.int(0, 300),
    perCollectionMs: rng.int(2, 20) * SEC,
    outcome,
    stopFraction: rng.next(),
  };
}

export function jobFrom(ctx: BackupContext, plan: ActivePlan, snapshot: SnapshotRec): JobRec {
  const { rng, cluster, start } = ctx;
  const bucket = rng.pick(ctx.buckets);
  const createdAt = start - plan.ageMs;
  const customData = rng.chance(0.25)
    ? [
        { key: 'requestedBy', value: rng.pick(['nightly-export', 'ops-oncall', 'data-platform']) },
        { key: 'ticket', value: `OPS-${rng.int(1000, 9999)}` },
      ]
    : [];
  const failurePick = rng.next();
  return {
    id: idAt(rng, -plan.ageMs),
    groupId: cluster.groupId,
    clusterName: cluster.name,
    snapshotId: snapshot.id,
    exportBucketId: bucket.id,
    createdAt,
    queueMs: plan.queueMs,
    runMs: Math.max(plan.total * plan.perCollectionMs, 90 * SEC),
    totalCollections: plan.total,
    outcome: plan.outcome,
    stopFraction: plan.stopFraction ?? 0.5,
    ...(plan.outcome === 'Failed' ? { failure: failureFor(bucket, failurePick) } : {}),
    customData,
    ...(cluster.sharded
      ? { components: cluster.replicaSets.map((rs) => ({ exportId: idAt(rng, -plan.ageMs), replicaSetName: rs })) }
      : {}),
    prefix: exportPrefix(ctx.orgId, cluster, snapshot.createdAt, createdAt),
  };
}

/** Atlas's default prefix: exported_snapshots/<orgId>/<groupId>/<cluster>/<snapshot start, yyyy-MM-ddTHHmm>/<job epoch s>. */
export function exportPrefix(orgId: string, cluster: ClusterRec, snapshotAt: number, createdAt: number): string {
  const stamp = new Date(snapshotAt).toISOString().slice(0, 16).replace(':', '');
  return `exported_snapshots/${orgId}/${cluster.groupId}/${cluster.name}/${stamp}/${Math.floor(createdAt / 1000)}`;
}

export function snapshotAt(ctx: BackupContext, ageMs: number): SnapshotRec {
  const { rng, cluster, start } = ctx;
  const createdAt = start - ageMs;
  const frequencyType = ageMs < 2 * DAY ? 'hourly' : ageMs < 30 * DAY ? 'daily' : 'weekly';
  return {
    id: idAt(rng, -ageMs),
    groupId: cluster.groupId,
    clusterName: cluster.name,
    createdAt,
    expiresAt: createdAt + 400 * DAY,
    snapshotType: rng.chance(0.1) ? 'onDemand' : 'scheduled',
    frequencyType,
    storageSizeBytes: rng.int(50, 5000) * 1_048_576,
    mongodVersion: cluster.mongoDBVersion,
    provider: cluster.provider,
    ...(cluster.sharded
      ? { members: cluster.replicaSets.map((rs) => ({ id: idAt(rng, -ageMs), replicaSetName: rs })) }
      : { replicaSetName: cluster.replicaSets[0]! }),
  };
}
