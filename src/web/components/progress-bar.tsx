import { formatCount } from '../lib/format.ts';
import { Count } from './count.tsx';

export interface ProgressBarProps {
  /** Undefined when Atlas has not counted yet: the bar is indeterminate. */
  done: number | undefined;
  total: number | undefined;
  /** A finished job is complete even when Atlas reports 0 of 0 collections. */
  complete?: boolean;
  tone?: 'blue' | 'green' | 'red' | 'amber';
  label: string;
}

const TONES = {
  blue: 'bg-blue-600',
  // Fills keep 3:1 against the slate-200 track (WCAG 1.4.11): emerald-600 measured 2.98:1, amber-500 1.74:1.
  green: 'bg-emerald-700',
  red: 'bg-red-600',
  amber: 'bg-amber-700',
} as const;

/** Percentage for the bar's width; never NaN, never over 100. */
export function progressPercent(done: number | undefined, total: number | undefined, complete: boolean): number {
  if (complete && (!total || done === undefined || done >= total)) return 100;
  if (done === undefined || !total || total <= 0) return 0;
  return Math.min(100, Math.max(0, (done / total) * 100));
}

export function ProgressBar({ done, total, complete = false, tone = 'blue', label }: ProgressBarProps) {
  const known = done !== undefined && total !== undefined;
  const percent = progressPercent(done, total, complete);
  const text = known
    ? `${formatCount(done).text} / ${formatCount(total).text} collections`
    : complete
      ? 'Complete'
      : 'Counting collections…';
  return (
    <div className="flex w-36 flex-col gap-0.5">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuenow={known ? done : undefined}
        aria-valuemax={known ? total : undefined}
        aria-valuetext={complete && total === 0 ? 'Complete, 0 of 0 collections' : text}
        className="h-1.5 w-full overflow-hidden rounded-full bg-slate-200"
      >
        <div
          className={`h-full rounded-full transition-[width] duration-500 ${TONES[tone]} ${!known && !complete ? 'w-1/3 motion-safe:animate-pulse' : ''}`}
          style={known || complete ? { width: `${percent}%` } : undefined}
        />
      </div>
      <span className="text-xs text-slate-600 tabular-nums">
        {known ? (
          <>
            <Count value={done} /> / <Count value={total} /> collections
          </>
        ) : (
          text
        )}
      </span>
    </div>
  );
}
