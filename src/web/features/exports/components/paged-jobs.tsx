import type { ReactNode } from 'react';
import { FootPaging, FOOT_PAGING_ABOVE } from '../../../components/foot-paging.tsx';
import { Pagination, lastPageOf } from '../../../components/pagination.tsx';
import { TableSkeleton } from '../../../components/skeleton.tsx';
import { PER_PAGE_OPTIONS } from '../api/export-jobs.ts';
import { withFilters, withPaging, type ExportsSearch } from '../api/exports-search.ts';
import type { JobsPage } from '../api/use-export-jobs.ts';
import { ExportJobsTable } from './export-jobs-table.tsx';
import { ExportsErrorPanel, NoExportJobs, PastTheEnd } from './export-jobs-states.tsx';
import { AtlasTrouble } from '../../../components/atlas-trouble.tsx';
import { nextSort, useCorrectedPage } from './history-jobs.tsx';
import { Notices } from './history-status.tsx';
import type { ExportJobLookups } from './job-cells.tsx';
import { DEFAULT_SORT } from '../../../data/export-history/query-jobs.ts';
import { sortParam } from '../api/history-search.ts';
import { rememberPerPage } from '../api/live-settings.ts';

export interface PagedJobsProps {
  clusterName: string;
  search: ExportsSearch;
  onSearch: (search: ExportsSearch, options?: { replace?: boolean }) => void;
  requestedPage: number;
  page: number;
  perPage: number;
  paged: JobsPage;
  coolDownUntil: number;
  lookups: ExportJobLookups;
  backupEnabled: boolean | undefined;
  /** The per-state line; sits beside the pager. */
  summary: ReactNode;
}

/** Atlas's own paging, one request per page: the view with no filter, as fast as a single Atlas page. */
export function PagedJobs(p: PagedJobsProps) {
  const { query, hasNext } = p.paged;
  const data = query.data;
  const problem = query.error ?? query.failureReason;
  const emptyCluster = data !== undefined && data.results.length === 0 && p.page === 1;
  const correctedFrom = useCorrectedPage(p.requestedPage, p.page < p.requestedPage ? p.page : undefined, (last) =>
    p.onSearch(withPaging(p.search, last, p.perPage), { replace: true }),
  );
  const onSort = (columnId: string) => {
    const next = nextSort(DEFAULT_SORT, columnId);
    if (next) p.onSearch(withFilters(p.search, { sort: sortParam(next) ?? '-created' }));
  };
  return (
    <>
      {correctedFrom !== undefined && (
        <Notices notes={[`Page ${correctedFrom} is past the end: showing page ${p.page}, the last.`]} />
      )}
      {data && !emptyCluster && (
        // Sticks to the top while the rows scroll, so paging never needs a trip back up a 100-row page.
        <div className="sticky top-0 z-20 -my-1.5 flex flex-wrap items-center justify-between gap-x-4 gap-y-1 bg-slate-100 py-1.5">
          {p.summary}
          <Pagination
            page={p.page}
            perPage={p.perPage}
            perPageOptions={PER_PAGE_OPTIONS}
            rowsOnPage={query.isPlaceholderData ? 0 : data.results.length}
            totalCount={data.totalCount}
            exact={p.paged.exact}
            exactNoun=""
            hasNext={hasNext}
            onPage={(n) => p.onSearch(withPaging(p.search, n, p.perPage))}
            // A new page size starts again at page 1: the old page number means other rows now; it is remembered for
            // every cluster whose URL does not name one.
            onPerPage={(n) => {
              rememberPerPage(n);
              p.onSearch(withPaging(p.search, 1, n));
            }}
          />
        </div>
      )}
      {data && problem != null && (
        <AtlasTrouble
          error={problem}
          lastSuccessAt={query.dataUpdatedAt}
          coolDownUntil={p.coolDownUntil}
          what="the export jobs"
        />
      )}
      {!data && problem != null && (
        <ExportsErrorPanel error={problem} coolDownUntil={p.coolDownUntil} onRetry={() => void query.refetch()} />
      )}
      {!data && problem == null && <TableSkeleton />}
      {emptyCluster && <NoExportJobs clusterName={p.clusterName} backupEnabled={p.backupEnabled} />}
      {data && data.results.length === 0 && p.page > 1 && !query.isPlaceholderData && (
        <PastTheEnd
          lastPage={lastPageOf(data.totalCount, p.perPage) ?? 1}
          onGo={(n) => p.onSearch(withPaging(p.search, n, p.perPage))}
        />
      )}
      {data && data.results.length > 0 && (
        <div
          className={query.isPlaceholderData ? 'opacity-60 transition-opacity' : ''}
          aria-busy={query.isPlaceholderData || undefined}
        >
          <ExportJobsTable
            jobs={data.results}
            totalCount={data.totalCount}
            lookups={p.lookups}
            stale={problem != null}
            onSort={onSort}
          />
        </div>
      )}
      {data && data.results.length > FOOT_PAGING_ABOVE && (
        <FootPaging
          page={p.page}
          lastPage={lastPageOf(data.totalCount, p.perPage)}
          hasNext={hasNext}
          onPage={(n) => p.onSearch(withPaging(p.search, n, p.perPage))}
        />
      )}
    </>
  );
}
