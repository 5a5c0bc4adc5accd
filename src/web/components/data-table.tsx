import { flexRender, type Row, type Table } from '@tanstack/react-table';
import { memo } from 'react';

/** Column meta our tables use: alignment and the header's cell class. */
export interface ColumnLayout {
  align?: 'left' | 'right';
  className?: string;
  /** Width class for the header cell: the table uses fixed layout, so header widths decide the columns. */
  width?: string;
}

function layoutOf(meta: unknown): ColumnLayout {
  return typeof meta === 'object' && meta !== null ? (meta as ColumnLayout) : {};
}

interface RowProps<T> {
  row: Row<T>;
  /** Compared by identity: Query's structural sharing keeps unchanged rows' objects identical across refreshes. */
  original: T;
  /** Anything else cells read (lookups); must be referentially stable. */
  context: unknown;
}

function DataRowImpl<T>({ row }: RowProps<T>) {
  return (
    <tr className="border-b border-slate-100 align-top last:border-0 hover:bg-slate-50" data-row-id={row.id}>
      {row.getVisibleCells().map((cell) => {
        const layout = layoutOf(cell.column.columnDef.meta);
        return (
          <td
            key={cell.id}
            className={`px-2 py-1.5 ${layout.align === 'right' ? 'text-right' : ''} ${layout.className ?? ''}`}
          >
            {flexRender(cell.column.columnDef.cell, cell.getContext())}
          </td>
        );
      })}
    </tr>
  );
}

// Re-render a row only when its own data (or a shared lookup) changed, not when the page refetched.
const DataRow = memo(DataRowImpl, (a, b) => a.original === b.original && a.context === b.context) as typeof DataRowImpl;

export function DataTable<T>({
  table,
  context,
  caption,
  stale = false,
}: {
  table: Table<T>;
  context: unknown;
  caption: string;
  stale?: boolean;
}) {
  return (
    <div className={`overflow-x-auto rounded-md border bg-white ${stale ? 'border-amber-300' : 'border-slate-200'}`}>
      <table
        // Fixed layout: the browser sizes columns from the header instead of measuring every cell of 500 rows.
        className="w-full min-w-[1280px] table-fixed border-collapse text-left text-sm tabular-nums"
        aria-busy={stale || undefined}
      >
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium text-slate-600">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const layout = layoutOf(header.column.columnDef.meta);
                return (
                  <th
                    key={header.id}
                    scope="col"
                    className={`px-2 py-2 font-medium whitespace-nowrap ${layout.align === 'right' ? 'text-right' : ''} ${layout.width ?? ''}`}
                  >
                    {header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext())}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            // Keyed by position: a page change then updates 500 rows in place instead of unmounting and mounting
            // 500 (about half the DOM work); memo still skips every row whose job object did not change.
            <DataRow key={row.index} row={row} original={row.original} context={context} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
