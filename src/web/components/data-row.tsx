import { flexRender, type Row, type RowData } from '@tanstack/react-table';
import { memo, type Ref } from 'react';

declare module '@tanstack/react-table' {
  // Layout hints our tables read from column definitions.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    align?: 'left' | 'right';
    className?: string;
    /** Width class for the header cell: the table uses fixed layout, so header widths decide the columns. */
    width?: string;
    /** The header sorts the rows when the table is given `onSort`. */
    sortable?: boolean;
  }
}

export interface DataRowProps<T> {
  row: Row<T>;
  /** Compared by identity: Query's structural sharing keeps unchanged rows' objects identical across refreshes. */
  original: T;
  /** Anything else cells read (lookups); must be referentially stable. */
  context: unknown;
  /** 1-based row number for assistive technology when only some rows are in the DOM. */
  ariaRowIndex?: number;
  measureRef?: Ref<HTMLTableRowElement>;
}

function DataRowImpl<T>({ row, ariaRowIndex, measureRef }: DataRowProps<T>) {
  return (
    <tr
      ref={measureRef}
      // The virtualizer's measure hook reads it; plain rows keep their element when they move, so they carry none.
      data-index={measureRef ? row.index : undefined}
      aria-rowindex={ariaRowIndex}
      className="border-b border-slate-100 align-top last:border-0 hover:bg-slate-50"
      data-row-id={row.id}
    >
      {row.getVisibleCells().map((cell) => {
        const meta = cell.column.columnDef.meta;
        return (
          <td
            key={cell.id}
            // Hooks for the narrow-screen stacked layout (styles/table-layout.css): which column, and its name.
            data-col={cell.column.id}
            data-label={typeof cell.column.columnDef.header === 'string' ? cell.column.columnDef.header : undefined}
            className={`px-2 py-1.5 ${meta?.align === 'right' ? 'text-right' : ''} ${meta?.className ?? ''}`}
          >
            {flexRender(cell.column.columnDef.cell, cell.getContext())}
          </td>
        );
      })}
    </tr>
  );
}

// Re-render a row only when its own data (or a shared lookup) changed, not when the page refetched.
export const DataRow = memo(
  DataRowImpl,
  (a, b) => a.original === b.original && a.context === b.context && a.ariaRowIndex === b.ariaRowIndex,
) as typeof DataRowImpl;
