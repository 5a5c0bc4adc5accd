import { formatInteger } from '../lib/format.ts';
import { ChevronLeftIcon, ChevronRightIcon } from './icons.tsx';

/** Pages longer than this repeat the paging controls below the table. */
export const FOOT_PAGING_ABOVE = 20;

const button =
  'inline-flex items-center gap-1 rounded border border-slate-300 bg-white px-2 py-1 text-sm text-slate-700 hover:bg-slate-50 focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none disabled:cursor-not-allowed disabled:opacity-40';

/**
 * Previous and next at the foot of a long table: the way on is where the reading stopped. The full controls
 * (page size, first and last) stay at the top; these two carry different names so each control is unambiguous.
 */
export function FootPaging({
  page,
  lastPage,
  hasNext,
  onPage,
}: {
  page: number;
  lastPage: number | undefined;
  hasNext: boolean;
  onPage: (page: number) => void;
}) {
  return (
    <nav aria-label="Pagination at the end of the table" className="flex items-center justify-end gap-2 text-sm">
      <button type="button" className={button} disabled={page <= 1} onClick={() => onPage(page - 1)}>
        <ChevronLeftIcon />
        Previous
      </button>
      <span className="px-1 text-slate-700 tabular-nums">
        Page {formatInteger(page)}
        {lastPage !== undefined && ` of ${formatInteger(lastPage)}`}
      </span>
      <button type="button" className={button} disabled={!hasNext} onClick={() => onPage(page + 1)}>
        Next
        <ChevronRightIcon />
      </button>
    </nav>
  );
}
