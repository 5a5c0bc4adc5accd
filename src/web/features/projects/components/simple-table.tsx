import type { ReactNode } from 'react';

/** The picker's plain table: a caption for screen readers, dense rows, numbers right-aligned by the caller. */
export function SimpleTable({
  caption,
  headers,
  children,
}: {
  caption: string;
  headers: Array<{ label: string; right?: boolean }>;
  children: ReactNode;
}) {
  return (
    <div className="overflow-x-auto rounded-md border border-slate-200 bg-white">
      {/* Atlas text wraps anywhere (so one 10,000-character value cannot widen the page); inside this table it
          breaks between words only, so a narrow screen scrolls the table instead of splitting "Replica" mid-word. */}
      <table className="w-full border-collapse text-left text-sm tabular-nums [&_td_bdi]:[overflow-wrap:break-word]">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs text-slate-600">
          <tr>
            {headers.map((h) => (
              <th key={h.label} scope="col" className={`px-3 py-2 font-medium ${h.right ? 'text-right' : ''}`}>
                {h.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

export const rowClass = 'border-b border-slate-100 last:border-0 hover:bg-slate-50';
export const cellClass = 'px-3 py-2';
export const linkClass =
  'rounded font-medium text-blue-700 hover:underline focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none';
