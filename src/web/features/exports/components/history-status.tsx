import type { ExportJob } from '../../../../atlas/types.ts';
import { explainError } from '../../../components/error-panel.tsx';
import { WarningIcon } from '../../../components/icons.tsx';
import { stateLabel } from '../../../components/status-badge.tsx';
import type { ExportHistory } from '../../../data/export-history/model.ts';
import { MAX_HISTORY_JOBS } from '../../../data/export-history/model.ts';
import { describeTimeBound } from '../../../data/export-history/time-window.ts';
import { formatInteger, shortId } from '../../../lib/format.ts';
import { exportDetailsHref, type ExportsSearch } from '../api/exports-search.ts';
import { parseStates } from '../api/history-search.ts';

/** A thin bar and "Loading all jobs: 500 of ~1,250" while the first pass runs. */
export function HistoryProgress({ history }: { history: ExportHistory }) {
  if (history.complete) return null;
  const loaded = history.jobs.length;
  const total = history.estimatedTotal;
  const max = Math.max(loaded, Math.min(total ?? loaded, MAX_HISTORY_JOBS));
  return (
    <div className="flex items-center gap-2 text-xs text-slate-600 tabular-nums" data-testid="history-progress">
      <progress
        value={loaded}
        max={max || 1}
        aria-label="Loading all jobs"
        className="h-1 w-40 appearance-none overflow-hidden rounded bg-slate-200 [&::-webkit-progress-bar]:bg-slate-200 [&::-webkit-progress-value]:bg-blue-600"
      />
      <span>
        Loading all jobs: {formatInteger(loaded)}
        {total !== undefined && ` of ~${formatInteger(total)}`}
      </span>
    </div>
  );
}

function describeMatch(search: ExportsSearch, count: number): string {
  const { states } = parseStates(search.state);
  const what = states.length > 0 ? states.map((s) => stateLabel(s).toLowerCase()).join(' or ') : 'matching';
  const parts = [`${formatInteger(count)} ${what}`];
  if (search.q) parts.push(states.length > 0 ? `matching “${search.q}”` : `“${search.q}”`);
  if (search.since && /^\d+[hd]$/.test(search.since))
    parts.push(`created in the last ${describeTimeBound(search.since)}`);
  else if (search.since) parts.push(`created since ${search.since}`);
  if (search.until) parts.push(`${search.since ? 'and ' : 'created '}before ${search.until}`);
  return parts.join(' ');
}

/** "86 failed of 1,250 jobs · all pages loaded": what a filtered view shows, and how much of the history it saw. */
export function HistorySummary({
  search,
  matched,
  history,
}: {
  search: ExportsSearch;
  matched: number;
  history: ExportHistory;
}) {
  const total = history.jobs.length;
  const coverage = history.capped
    ? `the newest ${formatInteger(MAX_HISTORY_JOBS)} loaded; older jobs are not included`
    : history.complete
      ? 'all pages loaded'
      : `${formatInteger(total)} loaded so far`;
  return (
    <p className="text-sm text-slate-800 tabular-nums" data-testid="history-summary" aria-live="polite">
      <span className="font-medium">{describeMatch(search, matched)}</span>
      <span className="text-slate-600">
        {' '}
        of {formatInteger(total)} jobs · {coverage}
      </span>
    </p>
  );
}

/** A pasted export or snapshot id that points at exactly one job: offer the way straight to it. */
export function IdMatchLink({
  job,
  groupId,
  clusterName,
  search,
}: {
  job: ExportJob | undefined;
  groupId: string;
  clusterName: string;
  search: ExportsSearch;
}) {
  if (!job?.id) return null;
  const what = search.q && job.snapshotId?.includes(search.q.trim().toLowerCase()) ? 'snapshot' : 'id';
  return (
    <p className="text-sm text-slate-700">
      One job has this {what}:{' '}
      <a
        href={exportDetailsHref(groupId, clusterName, job.id, search)}
        data-spa-link=""
        className="rounded font-medium text-blue-700 underline focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
      >
        open export {shortId(job.id)} ({stateLabel(job.state).toLowerCase()})
      </a>
    </p>
  );
}

/** What the page changed in the URL it was given (bad values), or why the history is incomplete. */
export function Notices({ notes }: { notes: string[] }) {
  if (notes.length === 0) return null;
  return (
    <div
      role="status"
      className="flex items-start gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-1.5 text-xs text-amber-950"
      data-testid="url-notices"
    >
      <WarningIcon className="mt-px size-3.5 shrink-0 text-amber-700" />
      <ul className="flex flex-col gap-0.5">
        {notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    </div>
  );
}

/** A page of the history failed: what loaded stays, the totals say they are partial, and a retry carries on. */
export function HistoryFailed({ error, loaded, onRetry }: { error: unknown; loaded: number; onRetry: () => void }) {
  const e = explainError(error, 'every export job');
  return (
    <div
      role="alert"
      className="flex flex-wrap items-center gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-1.5 text-sm text-amber-950"
    >
      <WarningIcon className="size-4 shrink-0 text-amber-700" />
      <span>
        <span className="font-semibold">Could not load every job ({formatInteger(loaded)} loaded).</span> {e.title}.
        Counts and results below cover the loaded jobs only.
      </span>
      <button
        type="button"
        onClick={onRetry}
        className="rounded border border-amber-400 bg-white px-2 py-0.5 text-xs font-medium text-amber-950 hover:bg-amber-100 focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
      >
        Load the rest
      </button>
    </div>
  );
}
