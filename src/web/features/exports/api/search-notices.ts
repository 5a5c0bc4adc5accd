import { EXPORT_JOB_STATES } from '../../../../atlas/types.ts';
import { isTimeBound, parseTimeBound } from '../../../data/export-history/time-window.ts';
import { PER_PAGE_OPTIONS } from './export-jobs.ts';
import { MAX_Q_LENGTH, parseSort, parseStates, rawText, snapPerPage } from './history-search.ts';

const quote = (s: string) => `“${s.length > 40 ? `${s.slice(0, 40)}…` : s}”`;

/**
 * What the page did with the URL it was given, in words: every value it dropped or changed. A bookmark with a
 * typo still shows a sensible view, and says why it is not exactly what the address asked for.
 */
export function searchNotices(raw: Record<string, unknown>): string[] {
  const notes: string[] = [];
  const { unknown } = parseStates(rawText(raw.state));
  if (unknown.length > 0)
    notes.push(`Ignored unknown state ${unknown.map(quote).join(', ')}: states are ${EXPORT_JOB_STATES.join(', ')}.`);
  for (const edge of ['since', 'until'] as const) {
    const value = rawText(raw[edge])?.trim();
    if (value && !isTimeBound(value))
      notes.push(
        `Ignored ${edge}=${quote(value)}: use 24h, 7d, 30d, a date such as 2026-11-01, or a UTC time such as 2026-11-01T08:00Z.`,
      );
  }
  const since = rawText(raw.since)?.trim();
  const until = rawText(raw.until)?.trim();
  if (since && until && isTimeBound(since) && isTimeBound(until)) {
    const now = Date.now();
    const from = parseTimeBound(since, now, 'since');
    const to = parseTimeBound(until, now, 'until');
    if (from !== undefined && to !== undefined && from >= to)
      notes.push(
        `since=${quote(since)} is not before until=${quote(until)}: no job can match. Swap them, or clear one of them.`,
      );
  }
  const q = rawText(raw.q);
  if (q && q.length > MAX_Q_LENGTH) notes.push(`The search was cut to its first ${MAX_Q_LENGTH} characters.`);
  const sort = rawText(raw.sort);
  if (sort && !parseSort(sort)) notes.push(`Ignored sort=${quote(sort)}: showing the newest jobs first.`);
  const page = rawText(raw.page);
  if (page !== undefined && !/^[1-9]\d{0,6}$/.test(page))
    notes.push(`There is no page ${quote(page)}: showing page 1.`);
  const perPage = rawText(raw.perPage);
  if (perPage !== undefined && !PER_PAGE_OPTIONS.some((o) => String(o) === perPage)) {
    const used = snapPerPage(Number(perPage));
    notes.push(
      `${quote(perPage)} rows per page is not offered: showing ${used} (choices: ${PER_PAGE_OPTIONS.join(', ')}).`,
    );
  }
  return notes;
}

// The address the app was opened with. The router rewrites a URL it had to clean (`?page=0` becomes no page) before
// the page renders, so the original is kept here to explain what changed. In-app links only ever write clean URLs.
const opened =
  typeof window === 'undefined' ? undefined : { path: window.location.pathname, search: window.location.search };

function sameValues(a: object, b: object): boolean {
  const defined = (o: object) => JSON.stringify(Object.entries(o).filter(([, v]) => v !== undefined));
  return defined(a) === defined(b);
}

/**
 * Notices for the view on screen: those of the opening address, while the view is still the one it led to (any
 * change of filter or page by the user makes them moot).
 */
export function openingNotices(
  path: string,
  current: object,
  validate: (raw: Record<string, unknown>) => object,
): string[] {
  if (!opened || decodeURI(opened.path) !== decodeURI(path)) return [];
  const raw = Object.fromEntries(new URLSearchParams(opened.search));
  return sameValues(validate(raw), current) ? searchNotices(raw) : [];
}
