import { queryOptions } from '@tanstack/react-query';
import type {
  Cluster,
  ExportBucketPage,
  ReplicaSetSnapshot,
  ReplicaSetSnapshotPage,
  ShardedClusterSnapshot,
  ShardedClusterSnapshotPage,
} from '../../../../atlas/types.ts';
import { atlasGet } from '../../../lib/api-client.ts';

/** Buckets rarely change: one request per project, kept for 10 minutes. */
export const exportBucketKeys = {
  all: ['exportBuckets'] as const,
  list: (groupId: string) => [...exportBucketKeys.all, groupId] as const,
};

export function exportBucketsQueryOptions(groupId: string) {
  return queryOptions({
    queryKey: exportBucketKeys.list(groupId),
    queryFn: ({ signal }) =>
      atlasGet<ExportBucketPage>('listGroupBackupExportBuckets', { groupId }, { itemsPerPage: 500 }, signal),
    staleTime: 10 * 60_000,
    select: indexBuckets,
  });
}

// Module-level selectors: Query memoizes a select result only while the function stays the same, and a new Map
// on every render would re-render every row that shows a bucket name.
const indexBuckets = (page: ExportBucketPage) => indexBy(page.results, (b) => b._id);
const indexSnapshots = (list: AnySnapshot[]) => indexBy(list, (s) => s.id);

export const clusterKeys = {
  all: ['clusters'] as const,
  detail: (groupId: string, clusterName: string) => [...clusterKeys.all, groupId, clusterName] as const,
};

export function clusterQueryOptions(groupId: string, clusterName: string) {
  return queryOptions({
    queryKey: clusterKeys.detail(groupId, clusterName),
    queryFn: ({ signal }) => atlasGet<Cluster>('getGroupCluster', { groupId, clusterName }, {}, signal),
    staleTime: 5 * 60_000,
  });
}

export function isShardedCluster(cluster: Cluster | undefined): boolean {
  return cluster?.clusterType === 'SHARDED' || cluster?.clusterType === 'GEOSHARDED';
}

export type AnySnapshot = ReplicaSetSnapshot | ShardedClusterSnapshot;

export const snapshotKeys = {
  all: ['snapshots'] as const,
  list: (groupId: string, clusterName: string, sharded: boolean) =>
    [...snapshotKeys.all, groupId, clusterName, sharded ? 'sharded' : 'replicaSet'] as const,
};

/** Snapshot creation dates for the table: one list per cluster (sharded clusters have their own endpoint). */
export function snapshotsQueryOptions(groupId: string, clusterName: string, sharded: boolean) {
  return queryOptions({
    queryKey: snapshotKeys.list(groupId, clusterName, sharded),
    queryFn: async ({ signal }): Promise<AnySnapshot[]> => {
      if (sharded) {
        const page = await atlasGet<ShardedClusterSnapshotPage>(
          'listGroupClusterBackupSnapshotShardedClusters',
          { groupId, clusterName },
          {},
          signal,
        );
        return page.results ?? [];
      }
      const page = await atlasGet<ReplicaSetSnapshotPage>(
        'listGroupClusterBackupSnapshots',
        { groupId, clusterName },
        { itemsPerPage: 500 },
        signal,
      );
      return page.results ?? [];
    },
    staleTime: 60_000,
    select: indexSnapshots,
  });
}

export function indexBy<T>(items: readonly T[], key: (item: T) => string | undefined): ReadonlyMap<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    if (k) map.set(k, item);
  }
  return map;
}

export type BucketSummary = ExportBucketPage['results'][number];

/** Where a bucket lives or who may write to it: AWS has a region and an IAM role, Azure/GCP a role id. */
export function bucketLocation(bucket: BucketSummary): { region?: string; role?: string; serviceUrl?: string } {
  const b: Record<string, unknown> = { ...bucket };
  const str = (x: unknown) => (typeof x === 'string' && x ? x : undefined);
  return { region: str(b.region), role: str(b.iamRoleId) ?? str(b.roleId), serviceUrl: str(b.serviceUrl) };
}

export function snapshotQueryOptions(groupId: string, clusterName: string, snapshotId: string, sharded: boolean) {
  return queryOptions({
    queryKey: [...snapshotKeys.all, groupId, clusterName, sharded ? 'sharded' : 'replicaSet', snapshotId] as const,
    queryFn: ({ signal }): Promise<AnySnapshot> =>
      sharded
        ? atlasGet<ShardedClusterSnapshot>(
            'getGroupClusterBackupSnapshotShardedCluster',
            { groupId, clusterName, snapshotId },
            {},
            signal,
          )
        : atlasGet<ReplicaSetSnapshot>(
            'getGroupClusterBackupSnapshot',
            { groupId, clusterName, snapshotId },
            {},
            signal,
          ),
    staleTime: 5 * 60_000,
  });
}
