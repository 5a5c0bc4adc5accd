import { useIsFetching, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useCallback, useSyncExternalStore, type ReactNode } from 'react';
import { isAtlasRequestError } from '../../../lib/api-client.ts';
import { atlasRequests } from '../../../lib/request-limiter.ts';
import { isCredentialsError, READINESS_CHECK_MS } from '../../../app/credential-recovery.tsx';
import { formatRelative } from '../../../lib/format.ts';
import { formatZoned, useTimeMode, zonedParts } from '../../../lib/time-mode.ts';
import { useNow } from '../../../lib/use-now.ts';
import { PauseIcon, PlayIcon, SyncIcon } from '../../../components/icons.tsx';
import { Toolbar } from '../../../components/toolbar.tsx';

export interface RefreshBarProps {
  /** The query whose freshness this bar reports; it subscribes itself, so the page does not re-render per fetch. */
  queryKey: QueryKey;
  paused: boolean;
  intervalMs: number | false;
  coolDownUntil: number;
  onTogglePause: () => void;
  onRefresh: () => void;
  /** What the bar says when nothing refreshes and nothing went wrong ("Job finished: nothing left to refresh"). */
  offText?: string;
  /** More live controls, at the end of the bar ("notify me"). */
  children?: ReactNode;
}

const buttonClass =
  'inline-flex items-center gap-1 rounded border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none disabled:cursor-not-allowed disabled:opacity-50';

/** "Updated 12 s ago", the cadence, pause/resume and refresh now. The only part of the page that ticks every second. */
function useDataUpdatedAt(queryKey: QueryKey): number {
  const client = useQueryClient();
  const subscribe = useCallback((onChange: () => void) => client.getQueryCache().subscribe(onChange), [client]);
  return useSyncExternalStore(subscribe, () => client.getQueryState(queryKey)?.dataUpdatedAt ?? 0);
}

/** Why refreshing waits: Atlas's rate limit (429) or Atlas asking to come back later (503 with Retry-After). */
function useCoolDownReason(queryKey: QueryKey): string {
  const client = useQueryClient();
  const subscribe = useCallback((onChange: () => void) => client.getQueryCache().subscribe(onChange), [client]);
  const status = useSyncExternalStore(subscribe, () => {
    const error = client.getQueryState(queryKey)?.error;
    return isCredentialsError(error) ? -1 : isAtlasRequestError(error) ? error.status : 0;
  });
  if (status === -1) return 'Credentials refused';
  return status === 503 ? 'Atlas unavailable' : 'Rate limited';
}

/**
 * The cadence the data really has: the shortest interval of every observer of this query, not only the page's own
 * (a "notify me" watch polls the same first page every 5 s while the page itself would wait 60 s).
 */
function useEffectiveInterval(queryKey: QueryKey, own: number | false): number | false {
  const client = useQueryClient();
  const query = client.getQueryCache().find({ queryKey, exact: true });
  let best = own;
  for (const observer of query?.observers ?? []) {
    const { refetchInterval, enabled } = observer.options;
    if (enabled === false) continue;
    const value = typeof refetchInterval === 'function' ? refetchInterval(query!) : refetchInterval;
    if (typeof value === 'number' && value > 0 && (best === false || value < best)) best = value;
  }
  return best;
}

export function RefreshBar(p: RefreshBarProps) {
  const now = useNow(1000);
  const fetching = useIsFetching({ queryKey: p.queryKey, exact: true }) > 0;
  const updatedAt = useDataUpdatedAt(p.queryKey);
  const zone = useTimeMode() === 'local' ? 'local' : 'utc';
  // Another read's 429 (the history behind the table, a prefetch) closes the shared gate for every query: a
  // refresh then waits in the gate, and the bar counts that wait down instead of spinning "Refreshing…".
  const gateUntil = atlasRequests.pausedUntil();
  const coolDownUntil = Math.max(p.coolDownUntil, gateUntil);
  const coolingDown = coolDownUntil > now;
  const coolDownReason = useCoolDownReason(p.queryKey);
  const intervalMs = useEffectiveInterval(p.queryKey, p.intervalMs);
  const cadence = p.paused
    ? 'Auto-refresh paused'
    : coolingDown
      ? `${coolDownReason}: refresh resumes in ${Math.ceil((coolDownUntil - now) / 1000)} s`
      : intervalMs
        ? `Auto-refresh every ${Math.round(intervalMs / 1000)} s`
        : coolDownReason === 'Credentials refused'
          ? `Credentials refused: checking the server every ${READINESS_CHECK_MS / 1000} s`
          : (p.offText ?? 'Auto-refresh off');
  return (
    <div className="flex flex-wrap items-center gap-3 text-xs text-slate-600">
      <span
        aria-live="off"
        className="tabular-nums"
        title={updatedAt ? formatZoned(updatedAt, zone === 'utc' ? 'local' : 'utc') : undefined}
        data-testid="updated-ago"
      >
        {updatedAt ? <UpdatedAt at={updatedAt} now={now} zone={zone} /> : 'Not loaded yet'}
      </span>
      <span className="flex items-center gap-1" role="status" data-testid="refresh-status">
        {fetching && !coolingDown && (
          <SyncIcon className="size-3.5 text-blue-700 motion-safe:animate-spin" aria-hidden="true" />
        )}
        <span>{fetching && !coolingDown ? 'Refreshing…' : cadence}</span>
      </span>
      <Toolbar label="Refresh" className="flex items-center gap-3">
        <button type="button" className={buttonClass} onClick={p.onTogglePause} aria-pressed={p.paused}>
          {p.paused ? <PlayIcon /> : <PauseIcon />}
          {p.paused ? 'Resume' : 'Pause'}
        </button>
        <button
          type="button"
          className={buttonClass}
          onClick={p.onRefresh}
          disabled={fetching || coolingDown}
          data-shortcut="refresh"
        >
          <SyncIcon />
          Refresh now
        </button>
      </Toolbar>
      {p.children}
    </div>
  );
}

/** "Updated 14:02:07 UTC · 12 s ago": the clock time says which data this is, the age ticks so it never looks frozen. */
function UpdatedAt({ at, now, zone }: { at: number; now: number; zone: 'local' | 'utc' }) {
  const { time, zone: name } = zonedParts(at, zone);
  return (
    <>
      Updated <time dateTime={new Date(at).toISOString()}>{`${time} ${name}`}</time>
      <span className="text-slate-500"> · {formatRelative(at, now)}</span>
    </>
  );
}
