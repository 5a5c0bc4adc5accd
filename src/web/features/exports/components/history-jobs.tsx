import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { FootPaging, FOOT_PAGING_ABOVE } from '../../../components/foot-paging.tsx';
import { Pagination } from '../../../components/pagination.tsx';
import type { JobSort } from '../../../data/export-history/query-jobs.ts';
import { PER_PAGE_OPTIONS } from '../api/export-jobs.ts';
import { withFilters, withPaging, type ExportsSearch } from '../api/exports-search.ts';
import { parseSort, sortParam } from '../api/history-search.ts';
import { rememberPerPage } from '../api/live-settings.ts';
import { ExportJobsTable } from './export-jobs-table.tsx';
import type { HistoryView } from './history-view.ts';
import { Notices } from './history-status.tsx';
import type { ExportJobLookups } from './job-cells.tsx';

export interface HistoryJobsProps {
  view: HistoryView;
  search: ExportsSearch;
  onSearch: (search: ExportsSearch) => void;
  page: number;
  perPage: number;
  sort: JobSort;
  lookups: ExportJobLookups;
  stale: boolean;
  /** What the view shows, in words; sits beside the pager. */
  summary: ReactNode;
}

/** A header click: the same column flips direction; another column starts with its most useful end. */
export function nextSort(current: JobSort, columnId: string): JobSort | undefined {
  const sort = parseSort(columnId);
  if (!sort) return undefined;
  if (current.key === sort.key) return { key: sort.key, desc: !current.desc };
  return { key: sort.key, desc: sort.key !== 'state' };
}

/** The matching jobs, sorted and paged in the browser; the pager counts them exactly. */
export function HistoryJobs({
  view,
  search,
  onSearch,
  page,
  perPage,
  sort,
  lookups,
  stale,
  summary,
}: HistoryJobsProps) {
  const total = view.rows.length;
  const lastPage = Math.max(1, Math.ceil(total / perPage));
  const shown = Math.min(page, lastPage);
  const rows = view.rows.slice((shown - 1) * perPage, shown * perPage);
  const onSort = (columnId: string) => {
    const next = nextSort(sort, columnId);
    if (next) onSearch(withFilters(search, { sort: sortParam(next) }));
  };
  return (
    <>
      {page > lastPage && total > 0 && (
        <Notices notes={[`There is no page ${page} of these results: showing page ${lastPage}, the last.`]} />
      )}
      {total === 0 && summary}
      {total > 0 && (
        <div className="sticky top-0 z-20 -my-1.5 flex flex-wrap items-center justify-between gap-x-4 gap-y-1 bg-slate-100 py-1.5">
          {summary}
          <Pagination
            page={shown}
            perPage={perPage}
            perPageOptions={PER_PAGE_OPTIONS}
            rowsOnPage={rows.length}
            totalCount={total}
            exact
            hasNext={shown < lastPage}
            onPage={(p) => onSearch(withPaging(search, p, perPage))}
            onPerPage={(n) => {
              rememberPerPage(n);
              onSearch(withPaging(search, 1, n));
            }}
          />
        </div>
      )}
      {total === 0 ? (
        <div className="rounded-md border border-slate-200 bg-white p-6 text-sm text-slate-700">
          <h2 className="text-base font-semibold text-slate-900">No job matches</h2>
          <p className="mt-1">
            Nothing in this cluster’s loaded history matches these filters.{' '}
            <Link
              from="/projects/$groupId/clusters/$clusterName/exports"
              to="."
              search={withFilters(search, { state: undefined, q: undefined, since: undefined, until: undefined })}
              className="rounded text-blue-700 underline focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
            >
              Clear the filters
            </Link>
          </p>
        </div>
      ) : (
        <ExportJobsTable
          jobs={rows}
          totalCount={total}
          lookups={lookups}
          stale={stale}
          sort={{ id: sort.key, desc: sort.desc }}
          onSort={onSort}
        />
      )}
      {rows.length > FOOT_PAGING_ABOVE && (
        <FootPaging
          page={shown}
          lastPage={lastPage}
          hasNext={shown < lastPage}
          onPage={(p) => onSearch(withPaging(search, p, perPage))}
        />
      )}
    </>
  );
}
