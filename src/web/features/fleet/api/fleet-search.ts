import { parseTimeBound, type RelativeWindow } from '../../../data/export-history/time-window.ts';

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

export const FLEET_SHOWS = ['failing', 'stale', 'running', 'backup-off'] as const;
export type FleetShow = (typeof FLEET_SHOWS)[number];

export const FLEET_WINDOWS: readonly RelativeWindow[] = ['24h', '7d', '30d'];
export const DEFAULT_WINDOW: RelativeWindow = '24h';
export const DEFAULT_STALE_AFTER = '26h';
export const DEFAULT_OLD_AFTER = '8d';

export const FLEET_SORT_KEYS = ['org', 'project', 'cluster', 'lastSuccess', 'running', 'failures', 'total'] as const;
export type FleetSortKey = (typeof FLEET_SORT_KEYS)[number];
export interface FleetSort {
  key: FleetSortKey;
  desc: boolean;
}

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
