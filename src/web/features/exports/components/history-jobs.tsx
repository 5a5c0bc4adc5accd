import { Link } from '@tanstack/react-router';
import { useEffect, useState, type ReactNode } from 'react';
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
  onSearch: (search: ExportsSearch, options?: { replace?: boolean }) => void;
  page: number;
  perPage: number;
  sort: JobSort;
  lookups: ExportJobLookups;
  stale: boolean;
  /** Every page of the history is in: a page past the end is then corrected in the URL too. */
  complete: boolean;
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

/**
 * A page past the end, once the last page is known: the URL says the page shown (replacing its entry, so Back does
 * not lead to the wrong number again), and the notice keeps saying which page was asked for until the view changes.
 * Returns the page number the address asked for while that notice applies.
 */
export function useCorrectedPage(
  page: number,
  lastPage: number | undefined,
  correct: (lastPage: number) => void,
): number | undefined {
  const [corrected, setCorrected] = useState<{ from: number; to: number }>();
  const past = lastPage !== undefined && page > lastPage;
  // Remembered while rendering (React's pattern for state derived from a change), written to the URL after.
  if (past && (corrected?.from !== page || corrected.to !== lastPage)) setCorrected({ from: page, to: lastPage });
  useEffect(() => {
    if (past && lastPage !== undefined) correct(lastPage);
    // `correct` is a new closure each render; the correction depends only on the numbers.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [past, page, lastPage]);
  if (past) return page;
  return corrected && corrected.to === page ? corrected.from : undefined;
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
  complete,
  summary,
}: HistoryJobsProps) {
  const total = view.rows.length;
  const lastPage = Math.max(1, Math.ceil(total / perPage));
  const shown = Math.min(page, lastPage);
  const correctedFrom = useCorrectedPage(page, complete && total > 0 ? lastPage : undefined, (last) =>
    onSearch(withPaging(search, last, perPage), { replace: true }),
  );
  const rows = view.rows.slice((shown - 1) * perPage, shown * perPage);
  const onSort = (columnId: string) => {
    const next = nextSort(sort, columnId);
    if (next) onSearch(withFilters(search, { sort: sortParam(next) }));
  };
  return (
    <>
      {correctedFrom !== undefined && total > 0 && (
        <Notices notes={[`There is no page ${correctedFrom} of these results: showing page ${lastPage}, the last.`]} />
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
