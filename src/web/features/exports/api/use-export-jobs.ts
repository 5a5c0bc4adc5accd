import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { pageHasNext } from '../../../data/export-history/model.ts';
import {
  clusterQueryOptions,
  exportBucketsQueryOptions,
  isShardedCluster,
  snapshotsQueryOptions,
} from './export-lookups.ts';
import { exportJobListQueryOptions, pageHasActiveJobs, pollIntervalMs, refetchOnFocusAllowed } from './export-jobs.ts';

export { pageHasNext };

export function useExportJobsPage(
  groupId: string,
  clusterName: string,
  page: number,
  perPage: number,
  paused: boolean,
  enabled = true,
) {
  const queryClient = useQueryClient();
  const query = useQuery({
    ...exportJobListQueryOptions(groupId, clusterName, page, perPage),
    enabled,
    // Keep the current rows on screen while another page loads.
    placeholderData: keepPreviousData,
    refetchInterval: (q) => pollIntervalMs(q.state, pageHasActiveJobs(q.state.data), paused),
    refetchOnWindowFocus: refetchOnFocusAllowed,
  });
  const hasNext = enabled && !query.isPlaceholderData && pageHasNext(query.data, page, perPage);
  useEffect(() => {
    // Prefetch the next page so "Next" is instant; prefetchQuery skips it while it is fresh in the cache.
    if (hasNext) void queryClient.prefetchQuery(exportJobListQueryOptions(groupId, clusterName, page + 1, perPage));
  }, [hasNext, queryClient, groupId, clusterName, page, perPage]);
  return { query, hasNext };
}

/** Bucket names and snapshot dates for the cells; failures here only degrade cells to ids. */
export function useExportLookups(groupId: string, clusterName: string) {
  const buckets = useQuery(exportBucketsQueryOptions(groupId));
  const cluster = useQuery(clusterQueryOptions(groupId, clusterName));
  const sharded = isShardedCluster(cluster.data);
  const snapshots = useQuery({ ...snapshotsQueryOptions(groupId, clusterName, sharded), enabled: cluster.isSuccess });
  return { buckets: buckets.data, snapshots: snapshots.data, cluster: cluster.data };
}
