import { apiError, type ApiError } from '../../atlas/index.ts';
import type { Rng } from './prng.ts';
import { jobFrom, snapshotAt, type BackupContext } from './seed-backups.ts';
import { seedCluster } from './seed-projects.ts';
import { clusterKey, type ClusterRec, type SnapshotRec, type World } from './model.ts';

/**
 * Changes to the world that tests make through `/__sim/clusters` and `/__sim/jobs`: a cluster created or deleted
 * in a project, an export job started now with a chosen outcome. Everything else keeps moving on its own.
 */
export type Edit<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export function addCluster(
  w: World,
  rng: Rng,
  now: number,
  input: { groupId: string; name: string; backupEnabled?: boolean; autoExport?: 'monthly' | 'yearly' },
): Edit<ClusterRec> {
  const clusters = w.clustersByGroup.get(input.groupId);
  if (!clusters) return { ok: false, error: apiError(404, 'GROUP_NOT_FOUND', `No group ${input.groupId}.`) };
  if (clusters.some((c) => c.name === input.name))
    return { ok: false, error: apiError(409, 'DUPLICATE_CLUSTER_NAME', `Cluster ${input.name} exists.`) };
  const cluster = seedCluster(rng, now, input.groupId, input.name, { backupEnabled: input.backupEnabled ?? true });
  if (input.autoExport) cluster.autoExport = input.autoExport;
  clusters.push(cluster);
  w.jobsByCluster.set(clusterKey(input.groupId, input.name), []);
  w.snapshotsByCluster.set(clusterKey(input.groupId, input.name), []);
  return { ok: true, value: cluster };
}

export function removeCluster(w: World, groupId: string, name: string): Edit<ClusterRec> {
  const clusters = w.clustersByGroup.get(groupId) ?? [];
  const cluster = clusters.find((c) => c.name === name);
  if (!cluster) return { ok: false, error: apiError(404, 'CLUSTER_NOT_FOUND', `No cluster ${name}.`) };
  w.clustersByGroup.set(
    groupId,
    clusters.filter((c) => c !== cluster),
  );
  w.jobsByCluster.delete(clusterKey(groupId, name));
  w.snapshotsByCluster.delete(clusterKey(groupId, name));
  return { ok: true, value: cluster };
}

/** A new snapshot and an export job created at `now`: Queued for `queueSec`, then running `runSec`, then `outcome`. */
export function startJob(
  w: World,
  rng: Rng,
  now: number,
  input: { groupId: string; clusterName: string; outcome: 'Successful' | 'Failed'; queueSec?: number; runSec?: number },
) {
  const cluster = w.clustersByGroup.get(input.groupId)?.find((c) => c.name === input.clusterName);
  if (!cluster)
    return { ok: false as const, error: apiError(404, 'CLUSTER_NOT_FOUND', `No cluster ${input.clusterName}.`) };
  const orgId = w.projects.find((p) => p.id === input.groupId)?.orgId ?? '';
  const buckets = w.bucketsByGroup.get(input.groupId) ?? [];
  if (buckets.length === 0)
    return { ok: false as const, error: apiError(404, 'EXPORT_BUCKET_NOT_FOUND', 'The project has no bucket.') };
  const ctx: BackupContext = { rng, start: now, orgId, cluster, buckets };
  const key = clusterKey(input.groupId, input.clusterName);
  const snapshot = snapshotAt(ctx, 60_000);
  const total = 20;
  const runMs = Math.max(90_000, (input.runSec ?? 90) * 1000);
  const job = jobFrom(
    ctx,
    {
      ageMs: 0,
      queueMs: (input.queueSec ?? 0) * 1000,
      total,
      perCollectionMs: runMs / total,
      outcome: input.outcome,
      stopFraction: 0.5,
    },
    snapshot,
  );
  w.snapshotsByCluster.set(key, [snapshot, ...(w.snapshotsByCluster.get(key) ?? [])]);
  w.jobsByCluster.set(key, [job, ...(w.jobsByCluster.get(key) ?? [])]);
  return { ok: true as const, value: job };
}

/** A snapshot taken `now` on a cluster; `status` other than completed, or a fallback snapshot, cannot be exported. */
export function addSnapshot(
  w: World,
  rng: Rng,
  now: number,
  input: {
    groupId: string;
    clusterName: string;
    status?: 'queued' | 'inProgress' | 'completed' | 'failed';
    snapshotType?: 'scheduled' | 'onDemand' | 'fallback';
  },
): Edit<SnapshotRec> {
  const cluster = w.clustersByGroup.get(input.groupId)?.find((c) => c.name === input.clusterName);
  if (!cluster) return { ok: false, error: apiError(404, 'CLUSTER_NOT_FOUND', `No cluster ${input.clusterName}.`) };
  const orgId = w.projects.find((p) => p.id === input.groupId)?.orgId ?? '';
  const ctx: BackupContext = { rng, start: now, orgId, cluster, buckets: w.bucketsByGroup.get(input.groupId) ?? [] };
  const snapshot: SnapshotRec = {
    ...snapshotAt(ctx, 0),
    ...(input.snapshotType ? { snapshotType: input.snapshotType } : {}),
    ...(input.status && input.status !== 'completed' ? { status: input.status } : {}),
  };
  const key = clusterKey(input.groupId, input.clusterName);
  w.snapshotsByCluster.set(key, [snapshot, ...(w.snapshotsByCluster.get(key) ?? [])]);
  return { ok: true, value: snapshot };
}

export function setAccess(w: World, groupId: string, access: 'all' | 'none' | 'readOnly' | 'noExport'): Edit<string> {
  const project = w.projects.find((p) => p.id === groupId);
  if (!project) return { ok: false, error: apiError(404, 'GROUP_NOT_FOUND', `No group ${groupId}.`) };
  if (access === 'all') delete project.access;
  else project.access = access;
  return { ok: true, value: groupId };
}
