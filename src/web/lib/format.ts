/** Formatting helpers: every number and time on screen goes through these, so they read the same everywhere. */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatInteger(n: number): string {
  return integer.format(n);
}

/** Counts beyond this are not real (Atlas's counts are int32); they show clamped, the raw value on hover. */
export const COUNT_LIMIT = 999_999_999;

/** `1,234`; `>999,999,999` (or `<-999,999,999`) when absurd; `—` when not a number at all. */
export function formatCount(n: number): { text: string; clamped: boolean } {
  if (Number.isNaN(n)) return { text: '—', clamped: true };
  if (n > COUNT_LIMIT) return { text: `>${integer.format(COUNT_LIMIT)}`, clamped: true };
  if (n < -COUNT_LIMIT) return { text: `<-${integer.format(COUNT_LIMIT)}`, clamped: true };
  return { text: integer.format(n), clamped: !Number.isInteger(n) };
}

/** Binary multiples, named as such (IEC): 735,051,776 bytes is 701 MiB, which "701 MB" would misstate. */
const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${BYTE_UNITS[unit]}`;
}

/** Compact duration: `45s`, `3m 12s`, `2h 05m`, `3d 4h`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** `just now`, `42 s ago` (coarse: `<1 min ago`), `3 min ago`, `5 h ago`, `12 d ago`; near-future times (clock skew) read as `just now`, later ones as `in 12 d`. */
export function formatRelative(ms: number, now: number, coarse = false): string {
  // A few seconds ahead is clock skew; further ahead is a real future time (a snapshot's expiry).
  if (ms - now > 60_000) return `in ${formatRelative(now, ms, coarse).replace(/ ago$/, '')}`;
  const diff = Math.max(0, now - ms);
  const s = Math.floor(diff / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return coarse ? '<1 min ago' : `${s} s ago`;
  // Rounded, not floored: the clock that feeds this ticks every 15 s, and flooring both would make a job
  // created 2m 05s ago read "1 min ago" beside its own elapsed time.
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(s / 3600);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

/** Exact UTC, as Atlas reports it: `2026-11-29 08:41:07 UTC`. */
export function parseTime(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `…` + the tail of a 24-hex id: ObjectIds share their leading timestamp, the tail tells them apart. */
export function shortId(id: string | undefined, tail = 8): string {
  if (!id) return '—';
  return id.length > tail ? `…${id.slice(-tail)}` : id;
}
