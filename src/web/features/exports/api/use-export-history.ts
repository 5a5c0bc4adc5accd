import { useQuery } from '@tanstack/react-query';
import { exportHistoryQueryOptions } from '../../../data/export-history/history-query.ts';
import { hasActiveJobs } from '../../../data/export-history/model.ts';
import { pollIntervalMs, refetchOnFocusAllowed } from './export-jobs.ts';

/**
 * The cluster's whole history, kept fresh at the table's cadence: every 5 s while a job runs (a fetch then reads
 * page 1 and merges it), every 60 s otherwise (a fetch then reads every page again).
 */
export function useExportHistory(groupId: string, clusterName: string, enabled: boolean, paused: boolean) {
  return useQuery({
    ...exportHistoryQueryOptions(groupId, clusterName),
    enabled,
    refetchInterval: (q) => pollIntervalMs(q.state, hasActiveJobs(q.state.data?.jobs), paused),
    refetchOnWindowFocus: refetchOnFocusAllowed,
  });
}
