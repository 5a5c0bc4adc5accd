import { useSyncExternalStore } from 'react';
import { atlasRequests } from '../../../lib/request-limiter.ts';
import { countWords } from '../../../lib/count-words.ts';
import { useNow } from '../../../lib/use-now.ts';
import type { FleetSummary } from '../api/fleet-order.ts';

const subscribeNever = () => () => undefined;

/** One line under the tiles: how much is still loading, whether Atlas asked us to wait, and the thresholds. */
export function FleetStatus({
  summary,
  shown,
  staleAfter,
  oldAfter,
}: {
  summary: FleetSummary;
  shown: number;
  staleAfter: string;
  oldAfter: string;
}) {
  const now = useNow(1000);
  const pausedUntil = useSyncExternalStore(subscribeNever, atlasRequests.pausedUntil);
  const waitMs = pausedUntil - now;
  return (
    <p role="status" className="flex flex-wrap items-center gap-x-3 text-xs text-slate-600" data-testid="fleet-status">
      <span>{countWords(shown, 'cluster')} shown</span>
      {summary.loading > 0 ? (
        <span className="text-blue-800">Loading {countWords(summary.loading, 'cluster')}…</span>
      ) : (
        <span data-testid="fleet-complete">All loaded</span>
      )}
      {summary.refused > 0 && <span className="text-red-800">{summary.refused} refused by Atlas (see rows)</span>}
      {waitMs > 0 && (
        <span className="font-medium text-amber-800">
          Atlas is rate limiting: loading paused, resumes in {Math.ceil(waitMs / 1000)} s
        </span>
      )}
      <span className="ml-auto">
        Last success stale after {staleAfter}, very stale after {oldAfter}
      </span>
    </p>
  );
}
