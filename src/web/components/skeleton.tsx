/** Grey placeholder rows in the table's shape while the first page loads. */
export function TableSkeleton({ rows = 8, columns = 6 }: { rows?: number; columns?: number }) {
  return (
    <div
      role="status"
      aria-live="polite"
      aria-label="Loading"
      className="overflow-hidden rounded-md border border-slate-200 bg-white"
    >
      <span className="sr-only">Loading…</span>
      {Array.from({ length: rows }, (_, r) => (
        <div key={r} className="flex gap-4 border-b border-slate-100 px-3 py-3 last:border-0">
          {Array.from({ length: columns }, (_, c) => (
            <div key={c} className={`h-3 animate-pulse rounded bg-slate-200 ${c === 0 ? 'w-24' : 'flex-1'}`} />
          ))}
        </div>
      ))}
    </div>
  );
}
