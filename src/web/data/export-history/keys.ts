/**
 * Query keys for everything read about a cluster's export jobs. Shared by the cluster table, the details page
 * and (later) the fleet, so it lives outside any one feature; invalidate through it, never through a retyped key.
 */
export const exportJobKeys = {
  all: ['exportJobs'] as const,
  cluster: (groupId: string, clusterName: string) => [...exportJobKeys.all, groupId, clusterName] as const,
  lists: (groupId: string, clusterName: string) => [...exportJobKeys.cluster(groupId, clusterName), 'list'] as const,
  list: (groupId: string, clusterName: string, page: number, perPage: number) =>
    [...exportJobKeys.lists(groupId, clusterName), { page, perPage }] as const,
  detail: (groupId: string, clusterName: string, exportId: string) =>
    [...exportJobKeys.cluster(groupId, clusterName), 'detail', exportId] as const,
  /** The whole history of a cluster (every Atlas page), one entry per cluster. */
  history: (groupId: string, clusterName: string) =>
    [...exportJobKeys.cluster(groupId, clusterName), 'history'] as const,
};
