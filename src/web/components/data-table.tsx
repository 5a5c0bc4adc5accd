import { flexRender, type Row, type Table } from '@tanstack/react-table';
import { lazy, Suspense, useDeferredValue, type ReactNode } from 'react';
import { DataRow } from './data-row.tsx';
import { useRecycledKeys } from './row-slots.ts';
import { SortHeaderRow } from './toolbar.tsx';

// Only pages over VIRTUALIZE_ABOVE rows need the virtualizer: keep it out of the initial bundle.
const VirtualRows = lazy(() => import('./virtual-rows.tsx').then((m) => ({ default: m.VirtualRows })));

/** Up to this many rows everything is in the DOM (find-in-page, printing); above it, rows are windowed. */
export const VIRTUALIZE_ABOVE = 100;

/** The column the rows are sorted by; columns with `meta.sortable` become buttons that call `onSort`. */
export interface TableSort {
  id: string;
  desc: boolean;
}

export function DataTable<T>({
  table,
  context,
  caption,
  stale = false,
  sort,
  onSort,
}: {
  table: Table<T>;
  context: unknown;
  caption: string;
  stale?: boolean;
  /** Undefined when the order is the server's, which the table cannot vouch for. */
  sort?: TableSort | undefined;
  onSort?: ((columnId: string) => void) | undefined;
}) {
  const rows = table.getRowModel().rows;
  const columnCount = table.getVisibleLeafColumns().length;
  const windowed = rows.length > VIRTUALIZE_ABOVE;
  return (
    <div className={`overflow-x-auto rounded-md border bg-white ${stale ? 'border-amber-300' : 'border-slate-200'}`}>
      <table
        // Fixed layout: the browser sizes columns from the header instead of measuring every cell.
        className="w-full min-w-[1280px] table-fixed border-collapse text-left text-sm tabular-nums"
        aria-busy={stale || undefined}
        aria-rowcount={windowed ? rows.length + 1 : undefined}
      >
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium text-slate-600">
          {table.getHeaderGroups().map((group) => (
            <SortHeaderRow key={group.id} aria-rowindex={windowed ? 1 : undefined}>
              {group.headers.map((header) => {
                const meta = header.column.columnDef.meta;
                const label = header.isPlaceholder
                  ? null
                  : flexRender(header.column.columnDef.header, header.getContext());
                const direction = sort?.id === header.id ? (sort.desc ? 'descending' : 'ascending') : undefined;
                return (
                  <th
                    key={header.id}
                    data-col={header.column.id}
                    scope="col"
                    aria-sort={meta?.sortable && sort ? (direction ?? 'none') : undefined}
                    className={`px-2 py-2 font-medium whitespace-nowrap ${meta?.align === 'right' ? 'text-right' : ''} ${meta?.width ?? ''}`}
                  >
                    {meta?.sortable && onSort ? (
                      <SortButton direction={direction} onClick={() => onSort(header.id)}>
                        {label}
                      </SortButton>
                    ) : (
                      label
                    )}
                  </th>
                );
              })}
            </SortHeaderRow>
          ))}
        </thead>
        {windowed ? (
          // While the virtualizer loads (once), show the first rows plainly.
          <Suspense fallback={<PlainRows rows={rows.slice(0, VIRTUALIZE_ABOVE)} context={context} />}>
            <VirtualRows
              count={rows.length}
              columnCount={columnCount}
              renderRow={(index, measureRef) => {
                const row = rows[index];
                return (
                  row && (
                    <DataRow
                      key={index}
                      row={row}
                      original={row.original}
                      context={context}
                      ariaRowIndex={index + 2}
                      measureRef={measureRef}
                    />
                  )
                );
              }}
            />
          </Suspense>
        ) : (
          <PlainRows rows={rows} context={context} />
        )}
      </table>
    </div>
  );
}

function SortButton({
  direction,
  onClick,
  children,
}: {
  direction: 'ascending' | 'descending' | undefined;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      onClick={onClick}
      className={`-mx-1 inline-flex items-center gap-0.5 rounded px-1 font-medium hover:bg-slate-200/60 hover:text-slate-900 focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none ${direction ? 'text-slate-900' : ''}`}
    >
      {children}
      <span aria-hidden="true" className={`w-2.5 text-[10px] ${direction ? 'text-blue-700' : 'text-slate-400'}`}>
        {direction === 'ascending' ? '▲' : direction === 'descending' ? '▼' : '↕'}
      </span>
    </button>
  );
}

/** Rows that fill a 900 px screen; the rest of a first page renders right after, in a background pass. */
const FIRST_PAINT_ROWS = 20;

function PlainRows<T>({ rows, context }: { rows: Row<T>[]; context: unknown }) {
  // On mount, paint a screenful first; React then renders the remaining rows without blocking that paint.
  // Later updates (refreshes, page changes) keep the full count, so nothing ever shrinks.
  const shown = useDeferredValue(rows.length, Math.min(rows.length, FIRST_PAINT_ROWS));
  const visible = rows.slice(0, Math.max(shown, Math.min(rows.length, FIRST_PAINT_ROWS)));
  // Keyed by the row's id, recycled: a row still shown after a keystroke keeps its element and is not rendered
  // again (memo: same job object), while a page change updates rows in place instead of unmounting and mounting
  // them all (about half the DOM work).
  const keys = useRecycledKeys(visible.map((row) => row.id));
  return (
    <tbody>
      {visible.map((row, i) => (
        <DataRow key={keys[i]} row={row} original={row.original} context={context} />
      ))}
    </tbody>
  );
}
