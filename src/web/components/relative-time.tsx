import { formatDuration, formatRelative, parseTime } from '../lib/format.ts';
import { formatZoned, useTimeMode, zonedParts, type TimeMode } from '../lib/time-mode.ts';
import { useNow } from '../lib/use-now.ts';

/**
 * A time in a `<time>` element, as the user chose to read times (relative, local or UTC; see lib/time-mode.ts).
 * The other forms show in a small tooltip on hover and on keyboard focus (a `title` alone never shows on focus)
 * and are part of the accessible name. Ticks every 15 s on its own, without re-rendering its row.
 */
export function RelativeTime({ iso, mode: forced }: { iso: string | undefined; mode?: TimeMode }) {
  const chosen = useTimeMode();
  const now = useNow(15_000);
  const ms = parseTime(iso);
  if (ms === undefined || !iso) return <span className="text-slate-400">—</span>;
  const mode = forced ?? chosen;
  const relative = formatRelative(ms, now, true);
  const utc = formatZoned(ms, 'utc');
  const local = formatZoned(ms, 'local');
  // Local and UTC are the same text where the browser's zone is UTC: each form once.
  const tooltip = [...new Set(mode === 'relative' ? [utc, local] : [relative, mode === 'utc' ? local : utc])];
  const shown = mode === 'relative' ? relative : <Stacked ms={ms} zone={mode} />;
  const spoken = mode === 'relative' ? relative : formatZoned(ms, mode);
  return (
    <time
      dateTime={iso}
      tabIndex={0}
      data-time-mode={mode}
      aria-label={`${spoken}, ${tooltip.filter((t) => t !== spoken).join(', ')}`}
      className="group relative inline-block rounded underline decoration-slate-300 decoration-dotted underline-offset-2 focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
    >
      {shown}
      <span
        aria-hidden="true"
        className="pointer-events-none absolute top-full left-0 z-10 mt-1 hidden flex-col rounded bg-slate-900 px-1.5 py-0.5 text-xs whitespace-nowrap text-white no-underline shadow group-hover:flex group-focus-visible:flex"
      >
        {tooltip.map((t) => (
          <span key={t}>{t}</span>
        ))}
      </span>
    </time>
  );
}

/** Date over time and zone: two short lines fit a narrow table column where one long line would not. */
function Stacked({ ms, zone }: { ms: number; zone: 'local' | 'utc' }) {
  const p = zonedParts(ms, zone);
  return (
    <span className="flex flex-col leading-tight whitespace-nowrap">
      <span>{p.date}</span>
      <span className="text-xs">
        {p.time.slice(0, 5)} {p.zone}
      </span>
    </span>
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
