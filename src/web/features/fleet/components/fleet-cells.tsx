import { progressOf, type FleetRow, type Freshness } from '../../../../export-health/index.ts';
import { formatInteger, formatRelative } from '../../../lib/format.ts';
import { formatZoned, useTimeMode } from '../../../lib/time-mode.ts';
import { useNow } from '../../../lib/use-now.ts';
import { DrillLink, clusterTableHref, jobHref } from './drill-link.tsx';

const FRESHNESS_CLASS: Record<Freshness, string> = {
  fresh: 'text-emerald-700',
  stale: 'text-amber-700 font-medium',
  old: 'text-red-700 font-semibold',
  never: 'text-red-700 font-semibold',
  none: 'text-slate-500',
};
const FRESHNESS_WORD: Record<Freshness, string> = {
  fresh: 'fresh',
  stale: 'stale',
  old: 'very stale',
  never: 'never succeeded',
  none: 'no exports',
};

function Dot({ freshness }: { freshness: Freshness }) {
  const bg = {
    fresh: 'bg-emerald-500',
    stale: 'bg-amber-500',
    old: 'bg-red-600',
    never: 'bg-red-600',
    none: 'bg-slate-300',
  };
  return <span aria-hidden="true" className={`inline-block size-2 shrink-0 rounded-full ${bg[freshness]}`} />;
}

export function LastSuccessCell({ row }: { row: FleetRow }) {
  const now = useNow(15_000);
  const mode = useTimeMode();
  const name = row.clusterName ?? '';
  if (row.lastSuccessAt === undefined)
    return (
      <span className={`flex items-center gap-1.5 whitespace-nowrap ${FRESHNESS_CLASS[row.freshness]}`}>
        <Dot freshness={row.freshness} />
        {row.freshness === 'never' ? 'never' : 'no exports yet'}
      </span>
    );
  const age = formatRelative(row.lastSuccessAt, now, true);
  // Relative by default (freshness is the question here); local or UTC with its zone when the user chose that.
  const exact = formatZoned(row.lastSuccessAt, mode === 'local' ? 'local' : 'utc', false);
  return (
    <DrillLink
      href={clusterTableHref(row.groupId, name, { state: 'Successful' })}
      label={`Last successful export ${age} (${FRESHNESS_WORD[row.freshness]}), ${exact}: show successful exports`}
      className={`flex items-center gap-1.5 whitespace-nowrap ${FRESHNESS_CLASS[row.freshness]} rounded hover:underline focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none`}
    >
      <Dot freshness={row.freshness} />
      <time data-testid="last-success" dateTime={new Date(row.lastSuccessAt).toISOString()}>
        {mode === 'relative' ? age : exact}
      </time>
    </DrillLink>
  );
}

export function RunningCell({ row }: { row: FleetRow }) {
  const name = row.clusterName ?? '';
  if (row.running + row.queued === 0) return <span className="text-slate-400">–</span>;
  const ratio = row.furthest ? progressOf(row.furthest) : undefined;
  const percent = ratio !== undefined ? Math.floor(ratio * 100) : undefined;
  return (
    // No aria-label: the name comes from the visible numbers plus screen-reader words, so it contains what
    // sighted users see (axe label-content-name-mismatch).
    <DrillLink href={clusterTableHref(row.groupId, name, { state: 'Queued,InProgress' })}>
      <span className="flex items-center gap-2 whitespace-nowrap text-blue-800">
        <span data-testid="running" className="w-4 text-right font-medium">
          {row.running}
        </span>
        <span className="sr-only"> running,</span>
        {percent !== undefined && (
          <span className="flex items-center gap-1">
            <span className="sr-only">furthest </span>
            <span className="h-1.5 w-14 overflow-hidden rounded-full bg-slate-200">
              <span className="block h-full rounded-full bg-blue-600" style={{ width: `${percent}%` }} />
            </span>
            <span className="w-8 text-xs text-slate-600">{percent}%</span>
          </span>
        )}
        {row.queued > 0 && <span className="text-xs text-slate-500">+{row.queued} queued</span>}
        <span className="sr-only">: show them</span>
      </span>
    </DrillLink>
  );
}

export function FailuresCell({ row, window }: { row: FleetRow; window: string }) {
  const n = row.failures.length;
  const name = row.clusterName ?? '';
  return (
    <DrillLink
      href={clusterTableHref(row.groupId, name, { state: 'Failed', since: window })}
      label={`${n} failed in the last ${window}: show them`}
      className={`block rounded text-right tabular-nums hover:underline focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none ${n > 0 ? 'font-semibold text-red-700' : 'text-slate-400'}`}
    >
      <span data-testid="failures">{formatInteger(n)}</span>
    </DrillLink>
  );
}

export function NewestFailureCell({ row }: { row: FleetRow }) {
  const job = row.failures[0];
  if (!job?.id) return <span className="text-slate-400">–</span>;
  const reason = job.reason ?? job.errorCode ?? 'No reason given';
  return (
    <DrillLink
      href={jobHref(row.groupId, row.clusterName ?? '', job.id)}
      label={`Newest failure: ${reason}. Open the job`}
    >
      <span className="line-clamp-2 max-w-[28rem] text-slate-700 lg:line-clamp-1" title={reason}>
        {reason}
      </span>
    </DrillLink>
  );
}

export function TotalCell({ row }: { row: FleetRow }) {
  if (row.total === undefined) return <span className="text-slate-400">–</span>;
  return (
    <DrillLink
      href={clusterTableHref(row.groupId, row.clusterName ?? '')}
      label={`${formatInteger(row.total)} export jobs: show all`}
      className="block rounded text-right text-slate-700 tabular-nums hover:underline focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
    >
      <span data-testid="total">{formatInteger(row.total)}</span>
    </DrillLink>
  );
}

/** How old the row's figures are ("checked 40 s ago"), and why they may not be current. */
export function CheckedCell({ row }: { row: FleetRow }) {
  const now = useNow(5_000);
  if (!row.backupEnabled || row.clusterName === undefined) return <span className="text-slate-400">–</span>;
  const age = row.checkedAt !== undefined ? formatRelative(row.checkedAt, now) : undefined;
  const error = row.error;
  const why = error
    ? `${error.reason} (${error.status || 'no answer'}) since ${formatRelative(error.at, now)}`
    : row.outdated
      ? 'Atlas is failing: these figures are from before'
      : undefined;
  return (
    <span
      className={`flex items-center gap-1 text-xs whitespace-nowrap ${row.outdated ? 'font-medium text-amber-800' : 'text-slate-500'}`}
      title={why}
      data-testid="checked"
      data-outdated={row.outdated ? 'true' : 'false'}
    >
      {row.outdated && (
        <span className="rounded bg-amber-100 px-1 text-amber-900 ring-1 ring-amber-300 ring-inset">stale data</span>
      )}
      {age ? <span>checked {age}</span> : <span>not checked yet</span>}
      {why && <span className="sr-only">: {why}</span>}
    </span>
  );
}

const AUTO_EXPORT_WORD: Record<string, string> = { monthly: 'monthly', yearly: 'yearly', off: 'off', on: 'on' };

/** The backup schedule's auto-export setting, which also sets how old a last success may be. */
export function AutoExportCell({ row }: { row: FleetRow }) {
  if (!row.backupEnabled || row.clusterName === undefined) return <span className="text-slate-400">–</span>;
  if (row.autoExport === undefined) return <span className="text-xs text-slate-400">…</span>;
  const on = row.autoExport !== 'off';
  return (
    <span
      data-testid="auto-export"
      className={`text-xs whitespace-nowrap ${on ? 'text-slate-800' : 'text-slate-500'}`}
      title={on ? `Auto-export ${row.autoExport}: stale after ${Math.round(row.staleMs / 86_400_000)} days` : undefined}
    >
      {AUTO_EXPORT_WORD[row.autoExport] ?? row.autoExport}
    </span>
  );
}
