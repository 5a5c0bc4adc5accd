import { apiError, type ApiError, type OperationSpec } from '../../atlas/index.ts';
import {
  clusterKey,
  type BucketRec,
  type ClusterRec,
  type JobRec,
  type ProjectRec,
  type SnapshotRec,
  type World,
} from './model.ts';

/** Finders that answer Atlas's 404s: a missing parent is an error, never an empty list. */
export type Found<T> = { ok: true; value: T } | { ok: false; error: ApiError };

const found = <T>(value: T | undefined, error: () => ApiError): Found<T> =>
  value === undefined ? { ok: false, error: error() } : { ok: true, value };

export function findGroup(w: World, groupId: string): Found<ProjectRec> {
  return found(
    w.projects.find((p) => p.id === groupId),
    () => apiError(404, 'GROUP_NOT_FOUND', `No group with ID ${groupId} exists.`, { parameters: [groupId] }),
  );
}

export function findCluster(w: World, groupId: string, name: string): Found<ClusterRec> {
  const g = findGroup(w, groupId);
  if (!g.ok) return g;
  return found(
    w.clustersByGroup.get(groupId)?.find((c) => c.name === name),
    () =>
      apiError(404, 'CLUSTER_NOT_FOUND', `No cluster named ${name} exists in group ${groupId}.`, {
        parameters: [name, groupId],
      }),
  );
}

export function clusterJobs(w: World, c: ClusterRec): JobRec[] {
  return w.jobsByCluster.get(clusterKey(c.groupId, c.name)) ?? [];
}

export function clusterSnapshots(w: World, c: ClusterRec): SnapshotRec[] {
  return w.snapshotsByCluster.get(clusterKey(c.groupId, c.name)) ?? [];
}

export function findJob(w: World, c: ClusterRec, exportId: string): Found<JobRec> {
  return found(
    clusterJobs(w, c).find((j) => j.id === exportId),
    () =>
      apiError(404, 'EXPORT_JOB_NOT_FOUND', `No export job with ID ${exportId} exists for cluster ${c.name}.`, {
        parameters: [exportId],
      }),
  );
}

export function findBucket(w: World, groupId: string, bucketId: string): Found<BucketRec> {
  return found(
    w.bucketsByGroup.get(groupId)?.find((b) => b.id === bucketId),
    () =>
      apiError(404, 'EXPORT_BUCKET_NOT_FOUND', `No export bucket with ID ${bucketId} exists in group ${groupId}.`, {
        parameters: [bucketId, groupId],
      }),
  );
}

/** Replica-set snapshots live under #6/#7, sharded ones under #8/#9; the wrong kind is not found. */
export function findSnapshot(w: World, c: ClusterRec, snapshotId: string, sharded: boolean): Found<SnapshotRec> {
  const s = clusterSnapshots(w, c).find((x) => x.id === snapshotId && (x.members !== undefined) === sharded);
  return found(s, () =>
    apiError(404, 'SNAPSHOT_NOT_FOUND', `No snapshot with ID ${snapshotId} exists for cluster ${c.name}.`, {
      parameters: [snapshotId],
    }),
  );
}

/**
 * Atlas answers 403 for a project the credentials hold no role on, and for an operation whose role they lack
 * (export jobs need Project Backup Manager; Read Only is not enough). The detail names the role, as an operator
 * needs it to ask for access.
 */
export function accessDenied(w: World, op: OperationSpec, groupId: string | undefined): ApiError | undefined {
  const access = groupId === undefined ? undefined : w.projects.find((p) => p.id === groupId)?.access;
  if (access === undefined) return undefined;
  if (access === 'noExport' && op.role !== 'Project Backup Export Operator') return undefined;
  const needsBackupRole = op.role === 'Project Backup Manager' || op.role === 'Project Backup Export Operator';
  if (access === 'readOnly' && !needsBackupRole) return undefined;
  const role = op.role ?? 'Project Read Only';
  return apiError(
    403,
    'USER_UNAUTHORIZED',
    `Current user is not authorized to perform this action. It requires the ${role} role on group ${groupId}.`,
    { parameters: [role, groupId] },
  );
}
