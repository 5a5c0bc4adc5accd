import * as z from 'zod/mini';
import { DEFAULT_PER_PAGE, PER_PAGE_OPTIONS, type PerPage } from './export-jobs.ts';

/**
 * The table's URL state. Defaults are `undefined`, so they never appear in the URL; a bad value (typo, an old
 * bookmark) falls back to the default instead of breaking the page.
 */
export interface ExportsSearch {
  page?: number;
  perPage?: PerPage;
}

const pageSchema = z.coerce.number().check(z.int(), z.minimum(1), z.maximum(1_000_000));
const perPageSchema = z.coerce.number().check(z.refine((n) => PER_PAGE_OPTIONS.some((o) => o === n)));

function isPerPage(n: number): n is PerPage {
  return PER_PAGE_OPTIONS.some((o) => o === n);
}

export function validateExportsSearch(raw: Record<string, unknown>): ExportsSearch {
  const page = pageSchema.safeParse(raw.page);
  const perPage = perPageSchema.safeParse(raw.perPage);
  const out: ExportsSearch = {};
  if (page.success && page.data !== 1) out.page = page.data;
  if (perPage.success && isPerPage(perPage.data) && perPage.data !== DEFAULT_PER_PAGE) out.perPage = perPage.data;
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

/** The details route's URL, carrying the table's page so its breadcrumb leads back there. */
export function exportDetailsHref(
  groupId: string,
  clusterName: string,
  exportId: string,
  search: ExportsSearch,
): string {
  const path = `/projects/${encodeURIComponent(groupId)}/clusters/${encodeURIComponent(clusterName)}/exports/${encodeURIComponent(exportId)}`;
  const query = new URLSearchParams();
  if (search.page !== undefined) query.set('page', String(search.page));
  if (search.perPage !== undefined) query.set('perPage', String(search.perPage));
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}
