import * as z from 'zod/mini';
import { createPreference } from '../../../lib/preference.ts';
import { DEFAULT_PER_PAGE, PER_PAGE_OPTIONS, type PerPage } from './export-jobs.ts';

/** Pause holds across views (table, job, another cluster) until the user resumes: a pause that silently
 * lifts on navigation is worse than none. */
export const pausedPreference = createPreference('atlas-dashboard.paused', z.boolean(), false);

const perPageSchema = z.custom<PerPage>((v) => PER_PAGE_OPTIONS.some((o) => o === v));

/** The rows-per-page last chosen, used for any cluster whose URL does not say. */
export const perPagePreference = createPreference<PerPage>('atlas-dashboard.perPage', perPageSchema, DEFAULT_PER_PAGE);

/** A page size the user picked in a pager: kept for the next cluster opened without one in its URL. */
export function rememberPerPage(n: number): void {
  const chosen = PER_PAGE_OPTIONS.find((o) => o === n);
  if (chosen !== undefined) perPagePreference.set(chosen);
}
