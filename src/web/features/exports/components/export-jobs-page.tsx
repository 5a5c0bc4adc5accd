import { useMemo } from 'react';
import { FootPaging } from '../../../components/foot-paging.tsx';
import { Pagination, lastPageOf } from '../../../components/pagination.tsx';
import { TableSkeleton } from '../../../components/skeleton.tsx';
import { coolDownEnd, exportJobKeys, PER_PAGE_OPTIONS, pageHasActiveJobs, pollIntervalMs } from '../api/export-jobs.ts';
import { isShardedCluster } from '../api/export-lookups.ts';
import { pagingSearch, resolvePaging, type ExportsSearch } from '../api/exports-search.ts';
import { useExportJobsPage, useExportLookups } from '../api/use-export-jobs.ts';
import { ExportJobsTable } from './export-jobs-table.tsx';
import { ExportsErrorPanel, NoExportJobs, PastTheEnd, StaleBanner } from './export-jobs-states.tsx';
import { RefreshBar } from './refresh-bar.tsx';
import { StateSummary } from './state-summary.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { usePreference } from '../../../lib/preference.ts';
import { useActivityBadge } from '../../../lib/use-activity-badge.ts';
import { pausedPreference, perPagePreference } from '../api/live-settings.ts';
import { WatchClusterSelect } from '../watch/watch-controls.tsx';

/** Pages longer than this repeat the paging controls below the table. */
const FOOT_PAGING_ABOVE = 20;

export interface ExportJobsPageProps {
  groupId: string;
  clusterName: string;
  search: ExportsSearch;
  onSearch: (search: ExportsSearch) => void;
}

export function ExportJobsPage({ groupId, clusterName, search, onSearch }: ExportJobsPageProps) {
  const { page, perPage } = resolvePaging(search);
  useDocumentTitle(`Exports of ${clusterName}`, page > 1 ? `page ${page}` : undefined);
  const paused = usePreference(pausedPreference);
  const { query, hasNext } = useExportJobsPage(groupId, clusterName, page, perPage, paused);
  const extra = useExportLookups(groupId, clusterName);
  const linkSearch = useMemo(() => pagingSearch(page, perPage), [page, perPage]);
  const lookups = useMemo(
    () => ({ groupId, clusterName, search: linkSearch, buckets: extra.buckets, snapshots: extra.snapshots }),
    [groupId, clusterName, linkSearch, extra.buckets, extra.snapshots],
  );
  const data = query.data;
  // During retries the error is only a "failure reason"; the user should learn about it right away.
  const problem = query.error ?? query.failureReason;
  const coolDownUntil = coolDownEnd(query.error, query.errorUpdatedAt);
  const lastPage = lastPageOf(data?.totalCount, perPage);
  const sharded = isShardedCluster(extra.cluster);
  // An empty cluster has nothing to page through: "0–0 of ~0, page 1 of 1" would only be noise.
  const emptyCluster = data !== undefined && data.results.length === 0 && page === 1;
  useActivityBadge(data?.results);

  return (
    <section aria-labelledby="exports-title" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 id="exports-title" className="text-lg font-semibold text-slate-900">
            Export jobs <span className="font-normal text-slate-500">· {clusterName}</span>
          </h1>
          {extra.cluster?.clusterType && (
            <p className="text-xs text-slate-500">
              {sharded ? 'Sharded cluster: each job exports every shard' : 'Replica set'}
            </p>
          )}
          {data && <StateSummary jobs={data.results} />}
        </div>
        {(data || problem == null) && (
          <RefreshBar
            queryKey={exportJobKeys.list(groupId, clusterName, page, perPage)}
            paused={paused}
            intervalMs={pollIntervalMs(query, pageHasActiveJobs(data), paused)}
            coolDownUntil={coolDownUntil}
            onTogglePause={() => pausedPreference.set(!paused)}
            onRefresh={() => void query.refetch()}
          >
            <WatchClusterSelect groupId={groupId} clusterName={clusterName} />
          </RefreshBar>
        )}
      </div>
      {data && !emptyCluster && (
        // Sticks to the top while the rows scroll, so paging never needs a trip back up a 100-row page.
        <div className="sticky top-0 z-20 -my-1.5 bg-slate-100 py-1.5">
          <Pagination
            page={page}
            perPage={perPage}
            perPageOptions={PER_PAGE_OPTIONS}
            rowsOnPage={query.isPlaceholderData ? 0 : data.results.length}
            totalCount={data.totalCount}
            hasNext={hasNext}
            onPage={(p) => onSearch(pagingSearch(p, perPage))}
            // A new page size starts again at page 1: the old page number means other rows now; it is remembered for
            // every cluster whose URL does not name one.
            onPerPage={(n) => {
              perPagePreference.set(PER_PAGE_OPTIONS.find((o) => o === n) ?? perPage);
              onSearch(pagingSearch(1, n));
            }}
          />
        </div>
      )}
      {data && problem != null && (
        <StaleBanner error={problem} lastSuccessAt={query.dataUpdatedAt} coolDownUntil={coolDownUntil} />
      )}
      {!data && problem != null && (
        <ExportsErrorPanel error={problem} coolDownUntil={coolDownUntil} onRetry={() => void query.refetch()} />
      )}
      {!data && problem == null && <TableSkeleton />}
      {emptyCluster && <NoExportJobs clusterName={clusterName} backupEnabled={extra.cluster?.backupEnabled} />}
      {data && data.results.length === 0 && page > 1 && !query.isPlaceholderData && (
        <PastTheEnd lastPage={lastPage ?? 1} onGo={(p) => onSearch(pagingSearch(p, perPage))} />
      )}
      {data && data.results.length > 0 && (
        <div
          className={query.isPlaceholderData ? 'opacity-60 transition-opacity' : ''}
          aria-busy={query.isPlaceholderData || undefined}
        >
          <ExportJobsTable jobs={data.results} totalCount={data.totalCount} lookups={lookups} stale={problem != null} />
        </div>
      )}
      {data && data.results.length > FOOT_PAGING_ABOVE && (
        <FootPaging
          page={page}
          lastPage={lastPage}
          hasNext={hasNext}
          onPage={(p) => onSearch(pagingSearch(p, perPage))}
        />
      )}
    </section>
  );
}
