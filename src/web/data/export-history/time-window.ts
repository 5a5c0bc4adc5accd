/** `since` / `until` values: a window back from now, or a calendar date / instant in UTC. */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const RELATIVE_WINDOWS = { '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY } as const;
export type RelativeWindow = keyof typeof RELATIVE_WINDOWS;

const RELATIVE = /^(\d{1,4})([hd])$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
// An instant with an explicit zone: a bare local time would mean different things to different viewers.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** True when `value` is a time bound this dashboard understands: `24h`, `7d`, `2026-11-01`, `2026-11-01T08:00Z`. */
export function isTimeBound(value: string): boolean {
  return parseTimeBound(value, 0, 'since') !== undefined;
}

/**
 * Epoch ms for a bound. Relative forms count back from `now`. A date alone covers that whole UTC day, so
 * `until=2026-11-20` still includes jobs created during the 20th.
 */
export function parseTimeBound(value: string, now: number, edge: 'since' | 'until'): number | undefined {
  const rel = RELATIVE.exec(value);
  if (rel) {
    const n = Number(rel[1]);
    return n > 0 ? now - n * (rel[2] === 'h' ? HOUR : DAY) : undefined;
  }
  if (DATE_ONLY.test(value)) {
    const ms = Date.parse(`${value}T00:00:00Z`);
    if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) return undefined;
    return edge === 'until' ? ms + DAY : ms;
  }
  if (INSTANT.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

/** Words for a bound, for sentences like "created in the last 7 days". */
export function describeTimeBound(value: string): string {
  const rel = RELATIVE.exec(value);
  if (!rel) return value;
  const n = Number(rel[1]);
  const unit = rel[2] === 'h' ? 'hour' : 'day';
  return n === 1 ? `1 ${unit}` : `${n} ${unit}s`;
}
