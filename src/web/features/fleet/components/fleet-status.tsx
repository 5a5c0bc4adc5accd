import type { AtlasHealth, FleetSummary, WatchProgress } from '../../../../export-health/index.ts';
import { countWords } from '../../../lib/count-words.ts';
import { formatInteger, formatRelative } from '../../../lib/format.ts';
import { useNow } from '../../../lib/use-now.ts';

const ATLAS_WORDS: Record<Exclude<AtlasHealth['state'], 'ok'>, string> = {
  failing: 'Atlas is failing',
  'rate-limited': 'Atlas is rate limiting the dashboard',
  credentials: 'Atlas refuses the dashboard’s credentials',
};

/** Atlas's state as the watch sees it, at once: the figures below stop being current from `since`. */
export function AtlasBanner({ atlas, outdated }: { atlas: AtlasHealth; outdated: number }) {
  const now = useNow(5_000);
  if (atlas.state === 'ok') return null;
  const since = atlas.since !== undefined ? formatRelative(atlas.since, now) : undefined;
  return (
    <div
      role="alert"
      data-testid="atlas-banner"
      className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950"
    >
      <p className="font-semibold">
        {ATLAS_WORDS[atlas.state]}
        {atlas.status ? ` (${atlas.status})` : ''}
        {since ? ` since ${since}` : ''}.
      </p>
      <p>
        {atlas.state === 'credentials'
          ? 'Check MONGODB_ATLAS_CLIENT_ID/SECRET (or the API key) on the dashboard server. '
          : 'The watch keeps trying on its own, more slowly. '}
        {outdated > 0
          ? `${countWords(outdated, 'cluster')} show their last good figures, marked “stale data”.`
          : 'The figures below are the last good ones.'}
        {atlas.message ? <span className="block text-xs text-amber-900">Atlas said: {atlas.message}</span> : null}
      </p>
    </div>
  );
}

/** One line under the tiles: the watch's first pass, refusals, what is shown, and the thresholds. */
export function FleetStatus({
  summary,
  progress,
  shown,
  staleAfter,
  oldAfter,
}: {
  summary: FleetSummary;
  progress: WatchProgress;
  shown: number;
  staleAfter: string;
  oldAfter: string;
}) {
  return (
    <p role="status" className="flex flex-wrap items-center gap-x-3 text-xs text-slate-600" data-testid="fleet-status">
      <span>{countWords(shown, 'cluster')} shown</span>
      {progress.firstPassDone ? (
        <span data-testid="fleet-complete">All checked</span>
      ) : (
        <span className="text-blue-800" data-testid="fleet-progress">
          {progress.passedOnce ? 'Checking new clusters' : 'First pass'}: {formatInteger(progress.checked)} of{' '}
          {formatInteger(progress.clusters)} clusters checked
          {progress.projectsListed < progress.projects
            ? `, ${formatInteger(progress.projectsListed)} of ${formatInteger(progress.projects)} projects listed`
            : ''}
          …
        </span>
      )}
      {summary.refused > 0 && <span className="text-red-800">{summary.refused} refused by Atlas (see rows)</span>}
      <span className="sm:ml-auto">
        Last success stale after {staleAfter}, very stale after {oldAfter} (auto-export clusters: their own cadence)
      </span>
    </p>
  );
}
