import { EXPORT_JOB_STATES, type ExportJobState } from '../../../../atlas/types.ts';
import {
  DEFAULT_SORT,
  SORT_KEYS,
  type JobQuery,
  type JobSort,
  type SortKey,
} from '../../../data/export-history/query-jobs.ts';
import { isTimeBound } from '../../../data/export-history/time-window.ts';
import { DEFAULT_PER_PAGE, PER_PAGE_OPTIONS, type PerPage } from './export-jobs.ts';

/** The URL's filter and sort names (ARCHITECTURE.md): any of them makes the view read the whole history. */
export interface HistorySearch {
  /** Comma-separated state names, in Atlas's order: `Failed,InProgress`. */
  state?: string;
  q?: string;
  since?: string;
  until?: string;
  /** A sort key, `-` first for descending: `-duration`. Newest first is the default and stays out of the URL. */
  sort?: string;
}

export const MAX_Q_LENGTH = 200;

/** The router parses `q=5432` as a number and a repeated key as an array: read any of them back as text. */
export function rawText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(rawText).filter(Boolean).join(',');
  return undefined;
}

const STATE_BY_LOWER = new Map<string, ExportJobState>(EXPORT_JOB_STATES.map((s) => [s.toLowerCase(), s]));

export function parseStates(raw: string | undefined): { states: ExportJobState[]; unknown: string[] } {
  const wanted = new Set<ExportJobState>();
  const unknown: string[] = [];
  for (const part of (raw ?? '').split(',')) {
    const name = part.trim();
    if (!name) continue;
    const state = STATE_BY_LOWER.get(name.toLowerCase());
    if (state) wanted.add(state);
    else unknown.push(name);
  }
  return { states: EXPORT_JOB_STATES.filter((s) => wanted.has(s)), unknown };
}

export function parseSort(raw: string | undefined): JobSort | undefined {
  const match = /^(-?)([a-z]+)$/.exec(raw ?? '');
  const key = SORT_KEYS.find((k) => k === match?.[2]);
  return key ? { key, desc: match?.[1] === '-' } : undefined;
}

export function sortParam(sort: JobSort): string | undefined {
  const isDefault = sort.key === DEFAULT_SORT.key && sort.desc === DEFAULT_SORT.desc;
  return isDefault ? undefined : `${sort.desc ? '-' : ''}${sort.key}`;
}

/** The filter part of the URL, cleaned: unknown states dropped, unreadable times ignored, `q` cut to 200. */
export function validateHistorySearch(raw: Record<string, unknown>): HistorySearch {
  const out: HistorySearch = {};
  const { states } = parseStates(rawText(raw.state));
  if (states.length > 0) out.state = states.join(',');
  const q = rawText(raw.q)?.slice(0, MAX_Q_LENGTH);
  if (q && q.trim()) out.q = q;
  for (const edge of ['since', 'until'] as const) {
    const value = rawText(raw[edge])?.trim();
    if (value && isTimeBound(value)) out[edge] = value;
  }
  const sort = parseSort(rawText(raw.sort));
  const sortText = sort && sortParam(sort);
  if (sortText) out.sort = sortText;
  return out;
}

/** Any filter or sort in effect: then only the whole history can answer. */
export function needsHistory(search: HistorySearch): boolean {
  return Boolean(search.state || search.q || search.since || search.until || search.sort);
}

export function resolveQuery(search: HistorySearch): { query: JobQuery; sort: JobSort } {
  const query: JobQuery = {
    ...(search.state ? { states: parseStates(search.state).states } : {}),
    ...(search.q ? { q: search.q } : {}),
    ...(search.since ? { since: search.since } : {}),
    ...(search.until ? { until: search.until } : {}),
  };
  return { query, sort: parseSort(search.sort) ?? DEFAULT_SORT };
}

/** A page size the menu offers: the nearest one, the smaller on a tie. */
export function snapPerPage(n: number): PerPage {
  if (!Number.isFinite(n)) return DEFAULT_PER_PAGE;
  let best: PerPage = PER_PAGE_OPTIONS[0];
  for (const option of PER_PAGE_OPTIONS) if (Math.abs(option - n) < Math.abs(best - n)) best = option;
  return best;
}

export type { SortKey };
