import { queryOptions, type Query } from '@tanstack/react-query';
import { ACTIVE_EXPORT_JOB_STATES, type ExportJob, type ExportJobPage } from '../../../../atlas/types.ts';
import { atlasGet, coolDownEnd, DEFAULT_RATE_LIMIT_WAIT_MS, isAtlasRequestError } from '../../../lib/api-client.ts';
import { exportJobKeys } from '../../../data/export-history/keys.ts';

export const PER_PAGE_OPTIONS = [10, 25, 50, 100, 500] as const;
export type PerPage = (typeof PER_PAGE_OPTIONS)[number];
/** Atlas defaults to 100; 50 keeps a page on one screen. The URL omits it. */
export const DEFAULT_PER_PAGE: PerPage = 50;

export const ACTIVE_POLL_MS = 5_000;
export const IDLE_POLL_MS = 60_000;
export const ERROR_POLL_MS = 10_000;
export { coolDownEnd, DEFAULT_RATE_LIMIT_WAIT_MS };

// The keys live with the shared history (src/web/data): the fleet reads the same entries as this feature.
export { exportJobKeys };

/** `page` is the URL's page and Atlas's `pageNum`: both are 1-based, so no conversion happens here. */
export function exportJobListQueryOptions(groupId: string, clusterName: string, page: number, perPage: number) {
  return queryOptions({
    queryKey: exportJobKeys.list(groupId, clusterName, page, perPage),
    queryFn: ({ signal }) =>
      atlasGet<ExportJobPage>(
        'listGroupClusterBackupExports',
        { groupId, clusterName },
        { pageNum: page, itemsPerPage: perPage, includeCount: true },
        signal,
      ),
  });
}

export function exportJobQueryOptions(groupId: string, clusterName: string, exportId: string) {
  return queryOptions({
    queryKey: exportJobKeys.detail(groupId, clusterName, exportId),
    queryFn: ({ signal }) =>
      atlasGet<ExportJob>('getGroupClusterBackupExport', { groupId, clusterName, exportId }, {}, signal),
  });
}

export function isActiveJob(job: ExportJob): boolean {
  return ACTIVE_EXPORT_JOB_STATES.some((state) => state === job.state);
}

/** Milliseconds left of a cool-down, measured from when its answer arrived; 0 when none is running. */
export function rateLimitRemainingMs(error: unknown, errorUpdatedAt: number, now = Date.now()): number {
  const end = coolDownEnd(error, errorUpdatedAt);
  return end === 0 ? 0 : Math.max(0, end - now);
}

type AnyQuery = Pick<Query<unknown, Error>, 'state'>;
/** The part of a query's state (or an observer's result) the cadence depends on. */
export type PollState = { error: unknown; errorUpdatedAt: number; status: 'pending' | 'error' | 'success' };

/**
 * The live-refresh cadence: 5 s while anything on screen can still change, 60 s otherwise; after a 429 (or a 503
 * with Retry-After), exactly when its Retry-After ends; never after an error that a retry cannot fix; off while the user paused.
 */
export function pollIntervalMs(state: PollState, activeNow: boolean, paused: boolean): number | false {
  if (paused) return false;
  const { error, errorUpdatedAt, status } = state;
  const coolDown = rateLimitRemainingMs(error, errorUpdatedAt);
  if (coolDown > 0) return Math.max(250, coolDown);
  if (status === 'error') {
    if (isAtlasRequestError(error) && error.isPermanent) return false;
    if (!isAtlasRequestError(error) || error.coolDownMs === undefined) return ERROR_POLL_MS;
  }
  return activeNow ? ACTIVE_POLL_MS : IDLE_POLL_MS;
}

/** No focus refetch while a cool-down runs: the quota is shared with everyone using these credentials. */
export function refetchOnFocusAllowed(query: AnyQuery): boolean {
  return rateLimitRemainingMs(query.state.error, query.state.errorUpdatedAt) === 0;
}

export function pageHasActiveJobs(page: ExportJobPage | undefined): boolean {
  return page?.results.some(isActiveJob) ?? false;
}
