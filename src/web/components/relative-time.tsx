import { formatDuration, formatRelative, formatUtc, parseTime } from '../lib/format.ts';
import { useNow } from '../lib/use-now.ts';

/**
 * "3 min ago" in a `<time>` element; the exact UTC time is its title, and it is focusable so keyboard users can
 * reach the same information. Ticks every 15 s on its own, without re-rendering its row.
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
      title={exact}
      tabIndex={0}
      aria-label={`${relative}, ${exact}`}
      className="rounded whitespace-nowrap underline decoration-slate-300 decoration-dotted underline-offset-2 focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
    >
      {relative}
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
