import { useCallback, useMemo } from 'react';
import { AtlasTrouble } from '../../../components/atlas-trouble.tsx';
import { HighlightProvider } from '../../../components/highlight.tsx';
import { TableSkeleton } from '../../../components/skeleton.tsx';
import { Toolbar } from '../../../components/toolbar.tsx';
import { hasActiveJobs } from '../../../data/export-history/model.ts';
import { countByState } from '../../../data/export-history/query-jobs.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { useNow } from '../../../lib/use-now.ts';
import { coolDownEnd, exportJobKeys, pageHasActiveJobs, pollIntervalMs } from '../api/export-jobs.ts';
import { isShardedCluster } from '../api/export-lookups.ts';
import { resolvePaging, type ExportsSearch } from '../api/exports-search.ts';
import { needsHistory, resolveQuery } from '../api/history-search.ts';
import { useExportHistory } from '../api/use-export-history.ts';
import { useExportJobsPage, useExportLookups, useLastPageFor } from '../api/use-export-jobs.ts';
import { DownloadButtons } from './download-buttons.tsx';
import { ExportsErrorPanel } from './export-jobs-states.tsx';
import { HistoryJobs } from './history-jobs.tsx';
import { HistoryFailed, HistoryProgress, HistorySummary, IdMatchLink, Notices } from './history-status.tsx';
import { HistoryToolbar } from './history-toolbar.tsx';
import { computeHistoryView } from './history-view.ts';
import { PagedJobs } from './paged-jobs.tsx';
import { RefreshBar } from './refresh-bar.tsx';
import { ExportSnapshotButton } from '../../exports-write/write-buttons.tsx';
import { StateSummary } from './state-summary.tsx';
import { useDraftSearch } from './use-draft-search.ts';
import { usePreference } from '../../../lib/preference.ts';
import { useActivityBadge } from '../../../lib/use-activity-badge.ts';
import { pausedPreference } from '../api/live-settings.ts';
import { WatchClusterSelect } from '../watch/watch-controls.tsx';

export interface ExportJobsPageProps {
  groupId: string;
  clusterName: string;
  search: ExportsSearch;
  onSearch: (search: ExportsSearch, options?: { replace?: boolean }) => void;
  /** What the page changed in the URL it was given, in words. */
  notices: string[];
  projectName: string;
}

export function ExportJobsPage({
  groupId,
  clusterName,
  onSearch,
  notices,
  projectName,
  ...props
}: ExportJobsPageProps) {
  const draft = useDraftSearch(props.search, onSearch);
  const search = draft.effective;
  const requested = resolvePaging(search);
  const filtered = needsHistory(search);
  const paused = usePreference(pausedPreference);
  // Every view reads the cluster's whole history: the filtered view filters it, the unfiltered one shows a page of
  // it and counts it (one read of Atlas per refresh, whatever the view).
  const history = useExportHistory(groupId, clusterName, true, paused);
  const lastPage = useLastPageFor(groupId, clusterName, filtered ? 1 : requested.page, requested.perPage, history.data);
  const { page, perPage } = { ...requested, page: lastPage ?? requested.page };
  useDocumentTitle(`Exports of ${clusterName}`, page > 1 ? `page ${page}` : undefined);
  const paged = useExportJobsPage(groupId, clusterName, page, perPage, paused, !filtered, history);
  const extra = useExportLookups(groupId, clusterName);
  // The rows' links carry the view the URL holds (the breadcrumb returns to it), not the search being typed: a
  // keystroke then re-renders only the rows that changed, not every row for a new href (the URL catches up 300 ms
  // after typing pauses, and the links with it).
  const urlSearch = props.search;
  const lookups = useMemo(
    () => ({ groupId, clusterName, search: urlSearch, buckets: extra.buckets, snapshots: extra.snapshots }),
    [groupId, clusterName, urlSearch, extra.buckets, extra.snapshots],
  );
  const bucketName = useCallback((id: string) => extra.buckets?.get(id)?.bucketName, [extra.buckets]);
  const now = useNow(60_000);
  const { query, sort } = useMemo(() => resolveQuery(search), [search]);
  const jobs = history.data?.jobs;
  const view = useMemo(
    () => (jobs && filtered ? computeHistoryView(jobs, query, sort, now, bucketName) : undefined),
    [jobs, filtered, query, sort, now, bucketName],
  );
  const allCounts = useMemo(() => (jobs && !filtered ? countByState(jobs) : undefined), [jobs, filtered]);
  const live = filtered ? history : paged.query;
  const problem = live.error ?? live.failureReason;
  const coolDownUntil = coolDownEnd(live.error, live.errorUpdatedAt);
  const sharded = isShardedCluster(extra.cluster);
  const complete = history.data?.complete ?? false;
  const historyProblem = history.error ?? history.failureReason;
  useActivityBadge(filtered ? view?.rows : paged.query.data?.results);

  return (
    <HighlightProvider text={filtered ? (search.q ?? '') : ''}>
      <section aria-labelledby="exports-title" className="flex flex-col gap-2.5">
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
          </div>
          {extra.cluster && <ExportSnapshotButton groupId={groupId} clusterName={clusterName} sharded={sharded} />}
          {(live.data || problem == null) && (
            <RefreshBar
              queryKey={filtered ? exportJobKeys.history(groupId, clusterName) : paged.queryKey}
              paused={paused}
              intervalMs={pollIntervalMs(
                live,
                filtered || paged.fromHistory ? hasActiveJobs(jobs) : pageHasActiveJobs(paged.query.data),
                paused,
              )}
              coolDownUntil={coolDownUntil}
              onTogglePause={() => pausedPreference.set(!paused)}
              onRefresh={() => void live.refetch()}
            >
              <WatchClusterSelect groupId={groupId} clusterName={clusterName} />
            </RefreshBar>
          )}
        </div>
        <Toolbar label="Filters and downloads" className="flex flex-wrap items-center justify-between gap-2">
          <HistoryToolbar
            search={search}
            typed={draft.typed}
            onType={draft.onType}
            counts={view?.scopedCounts ?? allCounts}
            exact={complete}
          />
          <DownloadButtons
            jobs={view?.rows ?? jobs ?? []}
            ready={complete}
            projectName={projectName}
            clusterName={clusterName}
            buckets={extra.buckets}
          />
        </Toolbar>
        <Notices notes={notices} />
        {history.data && <HistoryProgress history={history.data} />}
        {view && <IdMatchLink job={view.idMatch} groupId={groupId} clusterName={clusterName} search={search} />}
        {history.data && !complete && historyProblem != null && (
          <HistoryFailed
            error={historyProblem}
            loaded={history.data.jobs.length}
            onRetry={() => void history.refetch()}
          />
        )}
        {!filtered && paged.query.data && problem == null && complete && historyProblem != null && (
          // The table's own page is fine, but the history behind the counts failed: the counts are what is stale.
          <AtlasTrouble
            error={historyProblem}
            lastSuccessAt={history.dataUpdatedAt}
            coolDownUntil={coolDownEnd(history.error, history.errorUpdatedAt)}
            what="the counts of every job"
          />
        )}
        {filtered && history.data && historyProblem != null && (
          <AtlasTrouble
            error={historyProblem}
            lastSuccessAt={history.dataUpdatedAt}
            coolDownUntil={coolDownUntil}
            what="the export jobs"
          />
        )}
        {filtered && view && (
          <HistoryJobs
            view={view}
            search={search}
            onSearch={onSearch}
            page={page}
            perPage={perPage}
            sort={sort}
            lookups={lookups}
            stale={historyProblem != null}
            complete={complete}
            summary={
              history.data && <HistorySummary search={search} matched={view.rows.length} history={history.data} />
            }
          />
        )}
        {filtered && !view && historyProblem != null && (
          <ExportsErrorPanel
            error={historyProblem}
            coolDownUntil={coolDownUntil}
            onRetry={() => void history.refetch()}
          />
        )}
        {filtered && !view && historyProblem == null && <TableSkeleton />}
        {!filtered && (
          <PagedJobs
            clusterName={clusterName}
            search={search}
            onSearch={onSearch}
            requestedPage={requested.page}
            page={page}
            perPage={perPage}
            paged={paged}
            coolDownUntil={coolDownUntil}
            lookups={lookups}
            backupEnabled={extra.cluster?.backupEnabled}
            summary={paged.query.data && <StateSummary jobs={paged.query.data.results} />}
          />
        )}
      </section>
    </HighlightProvider>
  );
}
