import type { ReactNode } from 'react';
import { formatInteger } from '../lib/format.ts';
import { Count } from './count.tsx';
import { PerPageSelect } from './per-page-select.tsx';
import { Toolbar } from './toolbar.tsx';
import { ChevronLeftIcon, ChevronRightIcon, ChevronsLeftIcon, ChevronsRightIcon } from './icons.tsx';

export interface PaginationProps {
  page: number;
  perPage: number;
  perPageOptions: readonly number[];
  rowsOnPage: number;
  /** Atlas's totalCount: an estimate; undefined when Atlas left it out. */
  totalCount: number | undefined;
  hasNext: boolean;
  onPage: (page: number) => void;
  onPerPage: (perPage: number) => void;
  busy?: boolean;
  /** The total is an exact count of the rows paged here in the browser (a filtered history), not Atlas's estimate. */
  exact?: boolean;
  /** The word after an exact total ("matching" by default; none for a cluster's whole history). */
  exactNoun?: string;
}

export function lastPageOf(totalCount: number | undefined, perPage: number): number | undefined {
  return totalCount === undefined ? undefined : Math.max(1, Math.ceil(totalCount / perPage));
}

function PageButton({
  label,
  disabled,
  onClick,
  children,
}: {
  label: string;
  disabled: boolean;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      disabled={disabled}
      onClick={onClick}
      className="inline-flex size-7 items-center justify-center rounded border border-slate-300 bg-white text-slate-700 hover:bg-slate-50 focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none disabled:cursor-not-allowed disabled:opacity-40"
    >
      {children}
    </button>
  );
}

export function Pagination(p: PaginationProps) {
  const first = p.rowsOnPage === 0 ? 0 : (p.page - 1) * p.perPage + 1;
  const last = (p.page - 1) * p.perPage + p.rowsOnPage;
  const exactNoun = p.exactNoun ?? 'matching';
  const lastPage = lastPageOf(p.totalCount, p.perPage);
  return (
    <nav
      aria-label={p.exact ? 'Pagination of the matching jobs' : 'Pagination'}
      className="flex flex-wrap items-center justify-end gap-3 text-sm text-slate-700"
    >
      <label className="flex items-center gap-1.5">
        <span>Rows per page</span>
        <PerPageSelect value={p.perPage} options={p.perPageOptions} onPick={p.onPerPage} />
      </label>
      <span className="tabular-nums" aria-live="polite" data-testid="page-range">
        {formatInteger(first)}–{formatInteger(last)}
        {p.totalCount !== undefined && p.exact && (
          <>
            {' of '}
            {formatInteger(p.totalCount)}
            {exactNoun && ` ${exactNoun}`}
          </>
        )}
        {p.totalCount !== undefined && !p.exact && (
          <>
            {' of '}
            <abbr title="Atlas reports this total as an estimate" className="no-underline">
              ~<Count value={p.totalCount} />
            </abbr>
            <span className="sr-only"> (approximately)</span>
          </>
        )}
      </span>
      {/* First, previous, next and last are one Tab stop; the arrow keys move between them. */}
      <Toolbar label="Pages" className="flex items-center gap-1">
        <PageButton label="First page" disabled={p.page <= 1} onClick={() => p.onPage(1)}>
          <ChevronsLeftIcon />
        </PageButton>
        <PageButton label="Previous page" disabled={p.page <= 1} onClick={() => p.onPage(p.page - 1)}>
          <ChevronLeftIcon />
        </PageButton>
        <span className="px-1.5 tabular-nums">
          Page {formatInteger(p.page)}
          {lastPage !== undefined && (
            <>
              {' of '}
              <Count value={lastPage} />
            </>
          )}
        </span>
        <PageButton label="Next page" disabled={!p.hasNext} onClick={() => p.onPage(p.page + 1)}>
          <ChevronRightIcon />
        </PageButton>
        <PageButton
          label="Last page"
          disabled={lastPage === undefined || p.page >= lastPage}
          onClick={() => lastPage && p.onPage(lastPage)}
        >
          <ChevronsRightIcon />
        </PageButton>
      </Toolbar>
    </nav>
  );
}
