import {
  FLEET_SHOWS,
  FLEET_SORT_KEYS,
  type FleetShow,
  type FleetSort,
  type RelativeWindow,
} from '../../../../export-health/index.ts';
import { parseTimeBound } from '../../../data/export-history/time-window.ts';

export { FLEET_SHOWS, FLEET_SORT_KEYS };
export type { FleetShow, FleetSort, FleetSortKey } from '../../../../export-health/index.ts';

/**
 * The fleet's URL state (ARCHITECTURE.md: `/?window=24h|7d|30d`, filters and sort). Defaults stay out of the
 * URL; a value this build does not understand (an old bookmark, a typo) falls back to the default.
 */
export interface FleetSearch {
  window?: RelativeWindow;
  org?: string;
  project?: string;
  show?: FleetShow;
  q?: string;
  /** A column key, `-` first for descending; absent: needs-attention order. */
  sort?: string;
  /** Freshness thresholds: a last success older than `staleAfter` is stale, older than `oldAfter` very stale. */
  staleAfter?: string;
  oldAfter?: string;
}

export const FLEET_WINDOWS: readonly RelativeWindow[] = ['24h', '7d', '30d'];
export const DEFAULT_WINDOW: RelativeWindow = '24h';
export const DEFAULT_STALE_AFTER = '26h';
export const DEFAULT_OLD_AFTER = '8d';

const OBJECT_ID = /^[a-f0-9]{24}$/;
const DURATION = /^\d{1,4}[hd]$/;

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

export function validateFleetSearch(raw: Record<string, unknown>): FleetSearch {
  const out: FleetSearch = {};
  const window = FLEET_WINDOWS.find((w) => w === text(raw.window));
  if (window && window !== DEFAULT_WINDOW) out.window = window;
  for (const key of ['org', 'project'] as const) {
    const id = text(raw[key]);
    if (id && OBJECT_ID.test(id)) out[key] = id;
  }
  const show = FLEET_SHOWS.find((s) => s === text(raw.show));
  if (show) out.show = show;
  const q = text(raw.q)?.slice(0, 100);
  if (q?.trim()) out.q = q;
  const sort = parseFleetSort(text(raw.sort));
  if (sort) out.sort = `${sort.desc ? '-' : ''}${sort.key}`;
  const stale = text(raw.staleAfter);
  if (stale && DURATION.test(stale) && stale !== DEFAULT_STALE_AFTER && durationMs(stale) > 0) out.staleAfter = stale;
  const old = text(raw.oldAfter);
  if (old && DURATION.test(old) && old !== DEFAULT_OLD_AFTER && durationMs(old) > 0) out.oldAfter = old;
  return out;
}

export function parseFleetSort(raw: string | undefined): FleetSort | undefined {
  const match = /^(-?)([a-zA-Z]+)$/.exec(raw ?? '');
  const key = FLEET_SORT_KEYS.find((k) => k === match?.[2]);
  return key ? { key, desc: match?.[1] === '-' } : undefined;
}

/** `26h` -> milliseconds (0 when unreadable). */
export function durationMs(value: string): number {
  const at = parseTimeBound(value, 0, 'since');
  return at === undefined ? 0 : -at;
}

/** What the page computes with: every default filled in. */
export function resolveFleetSearch(search: FleetSearch) {
  const window = search.window ?? DEFAULT_WINDOW;
  const staleMs = durationMs(search.staleAfter ?? DEFAULT_STALE_AFTER);
  const oldMs = Math.max(staleMs, durationMs(search.oldAfter ?? DEFAULT_OLD_AFTER));
  return { window, staleMs, oldMs, sort: parseFleetSort(search.sort) };
}

/** A patch applied to the URL state, with emptied and default values dropped. */
export function patchFleetSearch(search: FleetSearch, patch: Partial<FleetSearch>): FleetSearch {
  const next: Record<string, unknown> = { ...search, ...patch };
  return validateFleetSearch(next);
}

const quote = (s: string) => `“${s.length > 40 ? `${s.slice(0, 40)}…` : s}”`;

/**
 * What the fleet did with the address it was opened with, in words: every value it ignored. `?staleAfter=xyz`
 * must not silently turn into the default threshold.
 */
export function fleetSearchNotices(raw: Record<string, unknown>): string[] {
  const notes: string[] = [];
  const window = text(raw.window);
  if (window !== undefined && !FLEET_WINDOWS.some((w) => w === window))
    notes.push(`Ignored window=${quote(window)}: use ${FLEET_WINDOWS.join(', ')}. Showing ${DEFAULT_WINDOW}.`);
  for (const [key, def] of [
    ['staleAfter', DEFAULT_STALE_AFTER],
    ['oldAfter', DEFAULT_OLD_AFTER],
  ] as const) {
    const v = text(raw[key]);
    if (v !== undefined && !(DURATION.test(v) && durationMs(v) > 0))
      notes.push(`Ignored ${key}=${quote(v)}: use hours or days such as 26h or 8d. Using ${def}.`);
  }
  for (const key of ['org', 'project'] as const) {
    const v = text(raw[key]);
    if (v !== undefined && !OBJECT_ID.test(v)) notes.push(`Ignored ${key}=${quote(v)}: not an Atlas id.`);
  }
  const show = text(raw.show);
  if (show !== undefined && !FLEET_SHOWS.some((s) => s === show))
    notes.push(`Ignored show=${quote(show)}: use ${FLEET_SHOWS.join(', ')}.`);
  const sort = text(raw.sort);
  if (sort !== undefined && !parseFleetSort(sort))
    notes.push(`Ignored sort=${quote(sort)}: showing the clusters that need attention first.`);
  const q = text(raw.q);
  if (q !== undefined && q.length > 100) notes.push('The search was cut to its first 100 characters.');
  return notes;
}
