import { formatRelative } from '../lib/format.ts';
import { formatZoned, useTimeMode } from '../lib/time-mode.ts';
import { useNow } from '../lib/use-now.ts';
import { LongAtlasText } from './atlas-text.tsx';
import { explainError, whoAnswered } from './error-panel.tsx';
import { WarningIcon } from './icons.tsx';

export interface AtlasTroubleProps {
  error: unknown;
  /** When the data on screen was last fetched (epoch ms); 0 when never. */
  lastSuccessAt: number;
  /** When a cool-down (429, 503 with Retry-After) ends (epoch ms), or 0. */
  coolDownUntil?: number;
  /** What the data is, for the explanation: "the export jobs", "the clusters". */
  what: string;
}

/**
 * The one way every view says a refresh failed while it still shows data: what went wrong in words, which side
 * answered what ("Atlas answered 503 Service Unavailable"), since when the data on screen is old, and that it is
 * marked stale. It renders only while the query is failing, so it goes away by itself when a refresh succeeds.
 */
export function AtlasTrouble({ error, lastSuccessAt, coolDownUntil = 0, what }: AtlasTroubleProps) {
  const now = useNow(1000);
  const zone = useTimeMode() === 'local' ? 'local' : 'utc';
  const retryIn = coolDownUntil > now ? Math.ceil((coolDownUntil - now) / 1000) : undefined;
  const e = explainError(error, what, retryIn);
  return (
    <div
      role="alert"
      data-testid="atlas-trouble"
      className="flex items-start gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950"
    >
      <WarningIcon className="mt-0.5 size-4 shrink-0 text-amber-700" />
      <p className="min-w-0 wrap-anywhere">
        <span className="font-semibold">{e.title}.</span> {e.body}{' '}
        {e.quote && (
          <>
            <LongAtlasText text={e.quote} />{' '}
          </>
        )}
        <span className="text-amber-900">{whoAnswered(error)}.</span>{' '}
        {lastSuccessAt > 0 && (
          <span className="whitespace-nowrap">
            Showing data from{' '}
            <time dateTime={new Date(lastSuccessAt).toISOString()}>{formatZoned(lastSuccessAt, zone)}</time> (
            {formatRelative(lastSuccessAt, now)}), marked stale.
          </span>
        )}
      </p>
    </div>
  );
}
