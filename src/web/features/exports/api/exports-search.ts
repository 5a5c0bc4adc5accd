import * as z from 'zod/mini';
import { DEFAULT_PER_PAGE, PER_PAGE_OPTIONS, type PerPage } from './export-jobs.ts';
import { snapPerPage, validateHistorySearch, type HistorySearch } from './history-search.ts';

/**
 * The table's URL state. Defaults are `undefined`, so they never appear in the URL; a bad value (typo, an old
 * bookmark) falls back to the default instead of breaking the page.
 */
export interface ExportsSearch extends HistorySearch {
  page?: number;
  perPage?: PerPage;
}

const pageSchema = z.coerce.number().check(z.int(), z.minimum(1), z.maximum(1_000_000));
const perPageSchema = z.coerce.number().check(z.int(), z.minimum(1));

function isPerPage(n: number): n is PerPage {
  return PER_PAGE_OPTIONS.some((o) => o === n);
}

const SEARCH_KEYS_UNSET: Record<keyof ExportsSearch, undefined> = {
  page: undefined,
  perPage: undefined,
  state: undefined,
  q: undefined,
  since: undefined,
  until: undefined,
  sort: undefined,
};

export function validateExportsSearch(raw: Record<string, unknown>): ExportsSearch {
  const page = pageSchema.safeParse(raw.page);
  const perPage = perPageSchema.safeParse(raw.perPage);
  // Every key is present, undefined when dropped: the router spreads the raw search under the validated one, so a
  // missing key would let the raw `page=0` or `since=yesterday` through to the page.
  const out: ExportsSearch = { ...SEARCH_KEYS_UNSET, ...validateHistorySearch(raw) };
  if (page.success && page.data !== 1) out.page = page.data;
  // An odd page size (an edited URL) snaps to the nearest one the menu offers, so the menu shows what is used.
  const size = perPage.success ? snapPerPage(perPage.data) : DEFAULT_PER_PAGE;
  if (size !== DEFAULT_PER_PAGE) out.perPage = size;
  return out;
}

/** URL state -> the values the Atlas request uses (pageNum is 1-based in both). */
export function resolvePaging(search: ExportsSearch): { page: number; perPage: PerPage } {
  return { page: search.page ?? 1, perPage: search.perPage ?? DEFAULT_PER_PAGE };
}

/** Values -> URL state, dropping defaults. */
export function pagingSearch(page: number, perPage: number): ExportsSearch {
  const out: ExportsSearch = {};
  if (page > 1) out.page = page;
  if (isPerPage(perPage) && perPage !== DEFAULT_PER_PAGE) out.perPage = perPage;
  return out;
}

/** The same view at another page (filters kept): what the pager writes. */
export function withPaging(search: ExportsSearch, page: number, perPage: number): ExportsSearch {
  const { page: _page, perPage: _perPage, ...filters } = search;
  return { ...filters, ...pagingSearch(page, perPage) };
}

/** A new filter or sort: back to page 1, since the old page number now means other rows. */
export function withFilters(search: ExportsSearch, patch: Partial<HistorySearch>): ExportsSearch {
  const next: ExportsSearch = { ...search, ...patch };
  delete next.page;
  for (const key of ['state', 'q', 'since', 'until', 'sort'] as const) if (!next[key]) delete next[key];
  return next;
}

/** The details route's URL, carrying the table's view so its breadcrumb leads back there. */
export function exportDetailsHref(
  groupId: string,
  clusterName: string,
  exportId: string,
  search: ExportsSearch,
): string {
  const path = `/projects/${encodeURIComponent(groupId)}/clusters/${encodeURIComponent(clusterName)}/exports/${encodeURIComponent(exportId)}`;
  const query = new URLSearchParams();
  for (const key of ['page', 'perPage', 'state', 'q', 'since', 'until', 'sort'] as const) {
    const value = search[key];
    if (value !== undefined) query.set(key, String(value));
  }
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}
