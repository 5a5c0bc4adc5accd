import { keepPreviousData, useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import type { ExportJobPage } from '../../../../atlas/types.ts';
import {
  historyHoldsPage,
  pageHasNext,
  pageOfHistory,
  type ExportHistory,
} from '../../../data/export-history/model.ts';
import { lastPageOf } from '../../../components/pagination.tsx';
import {
  clusterQueryOptions,
  exportBucketsQueryOptions,
  isShardedCluster,
  snapshotsQueryOptions,
} from './export-lookups.ts';
import {
  exportJobKeys,
  exportJobListQueryOptions,
  pageHasActiveJobs,
  pollIntervalMs,
  refetchOnFocusAllowed,
} from './export-jobs.ts';

export { pageHasNext };

/** What the table needs of its page, whether Atlas answered it or the history did. */
export interface JobsPageQuery {
  data: ExportJobPage | undefined;
  error: Error | null;
  failureReason: Error | null;
  errorUpdatedAt: number;
  dataUpdatedAt: number;
  status: 'pending' | 'error' | 'success';
  isSuccess: boolean;
  /** The rows are the previous page's, shown while this one loads. */
  isPlaceholderData: boolean;
  refetch: () => Promise<unknown>;
}

export interface JobsPage {
  query: JobsPageQuery;
  hasNext: boolean;
  /** The query whose refreshes keep this page live (the refresh bar follows it). */
  queryKey: readonly unknown[];
  /** The rows are the history's, so their total is exact once the history is complete. */
  fromHistory: boolean;
  /** The total is the count of every job (the whole history loaded, not capped), not Atlas's estimate. */
  exact: boolean;
}

/**
 * The unfiltered table's page. Within the newest 20,000 jobs it is a slice of the cluster's history, which the
 * page loads anyway for its counts: one refresh is one read of the history (page 1 at 500 rows while it is
 * fresh, every page once a minute), never a second list call for the same rows at another page size. Beyond
 * the history's cap, Atlas's own paging answers, one request per page as before.
 */
export function useExportJobsPage(
  groupId: string,
  clusterName: string,
  page: number,
  perPage: number,
  paused: boolean,
  enabled: boolean,
  history: UseQueryResult<ExportHistory>,
): JobsPage {
  const queryClient = useQueryClient();
  const fromHistory = historyHoldsPage(page, perPage);
  const atlas = useQuery({
    ...exportJobListQueryOptions(groupId, clusterName, page, perPage),
    enabled: enabled && !fromHistory,
    // Keep the current rows on screen while another page loads.
    placeholderData: keepPreviousData,
    refetchInterval: (q) => pollIntervalMs(q.state, pageHasActiveJobs(q.state.data), paused),
    refetchOnWindowFocus: refetchOnFocusAllowed,
  });
  const historyData = history.data;
  const sliced = useMemo(
    () => (historyData ? pageOfHistory(historyData, page, perPage) : undefined),
    [historyData, page, perPage],
  );
  // While the history has not reached the page yet (a deep bookmark during the first load), the rows shown before
  // stay, dimmed, as with Atlas's paging (remembered while rendering: React's pattern for derived state).
  const [previous, setPrevious] = useState<ExportJobPage | undefined>(undefined);
  if (sliced && sliced !== previous) setPrevious(sliced);
  const historyQuery: JobsPageQuery = {
    data: sliced ?? previous,
    // A failed first pass leaves the pages already read fresh: the failure is the rest's (history-status says so).
    // A failed refresh of a complete history makes every row stale.
    error: sliced && !history.data?.complete ? null : history.error,
    failureReason: sliced && !history.data?.complete ? null : history.failureReason,
    errorUpdatedAt: history.errorUpdatedAt,
    dataUpdatedAt: history.dataUpdatedAt,
    status: sliced ? 'success' : history.status,
    isSuccess: sliced !== undefined,
    isPlaceholderData: !sliced && previous !== undefined,
    refetch: () => history.refetch(),
  };
  const query: JobsPageQuery = fromHistory ? historyQuery : atlas;
  const hasNext = enabled && !query.isPlaceholderData && pageHasNext(query.data, page, perPage);
  useEffect(() => {
    // Prefetch Atlas's next page so "Next" is instant; prefetchQuery skips it while it is fresh in the cache.
    if (hasNext && !historyHoldsPage(page + 1, perPage))
      void queryClient.prefetchQuery(exportJobListQueryOptions(groupId, clusterName, page + 1, perPage));
  }, [hasNext, queryClient, groupId, clusterName, page, perPage]);
  return {
    query,
    hasNext,
    queryKey: fromHistory
      ? exportJobKeys.history(groupId, clusterName)
      : exportJobKeys.list(groupId, clusterName, page, perPage),
    fromHistory,
    exact: fromHistory && historyData?.complete === true && !historyData.capped,
  };
}

/**
 * A bookmarked page past the end (`?page=999`): the last page, once it is known. Within the history's reach the
 * complete history counts it; beyond, Atlas answers that page with no rows and its estimated total, from which
 * the last page follows (read through its own cached query).
 */
export function useLastPageFor(
  groupId: string,
  clusterName: string,
  page: number,
  perPage: number,
  history: ExportHistory | undefined,
): number | undefined {
  const fromHistory = historyHoldsPage(page, perPage);
  const requested = useQuery({
    ...exportJobListQueryOptions(groupId, clusterName, page, perPage),
    enabled: page > 1 && !fromHistory,
    select: (d) => (d.results.length === 0 ? lastPageOf(d.totalCount, perPage) : undefined),
  });
  const counted = history?.complete ? pageOfHistory(history, 1, perPage)?.totalCount : undefined;
  const last = fromHistory ? lastPageOf(counted, perPage) : requested.data;
  return last !== undefined && last < page ? last : undefined;
}

/** Bucket names and snapshot dates for the cells; failures here only degrade cells to ids. */
export function useExportLookups(groupId: string, clusterName: string) {
  const buckets = useQuery(exportBucketsQueryOptions(groupId));
  const cluster = useQuery(clusterQueryOptions(groupId, clusterName));
  const sharded = isShardedCluster(cluster.data);
  const snapshots = useQuery({ ...snapshotsQueryOptions(groupId, clusterName, sharded), enabled: cluster.isSuccess });
  return { buckets: buckets.data, snapshots: snapshots.data, cluster: cluster.data };
}
