import { formatDuration, formatRelative, formatUtc, parseTime } from '../lib/format.ts';
import { useNow } from '../lib/use-now.ts';

/**
 * "3 min ago" in a `<time>` element. The exact UTC time shows in a small tooltip on hover and on keyboard focus
 * (a `title` alone never shows on focus), and is part of the accessible name. Ticks every 15 s on its own,
 * without re-rendering its row.
 */
export function RelativeTime({ iso }: { iso: string | undefined }) {
  const now = useNow(15_000);
  const ms = parseTime(iso);
  if (ms === undefined || !iso) return <span className="text-slate-400">—</span>;
  const exact = formatUtc(ms);
  const relative = formatRelative(ms, now, true);
  return (
    <time
      dateTime={iso}
      tabIndex={0}
      aria-label={`${relative}, ${exact}`}
      className="group relative rounded whitespace-nowrap underline decoration-slate-300 decoration-dotted underline-offset-2 focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
    >
      {relative}
      <span
        aria-hidden="true"
        className="pointer-events-none absolute top-full left-0 z-10 mt-1 hidden rounded bg-slate-900 px-1.5 py-0.5 text-xs text-white no-underline shadow group-hover:block group-focus-visible:block"
      >
        {exact}
      </span>
    </time>
  );
}

/** Live "elapsed since" for a running job: the only per-second tick inside the table. */
export function Elapsed({ since, prefix = '' }: { since: string | undefined; prefix?: string }) {
  const now = useNow(1000);
  const ms = parseTime(since);
  if (ms === undefined) return <span className="text-slate-400">—</span>;
  return (
    <span className="whitespace-nowrap tabular-nums">
      {prefix}
      {formatDuration(now - ms)}
    </span>
  );
}
