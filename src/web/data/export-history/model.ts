import { ACTIVE_EXPORT_JOB_STATES, type ExportJob, type ExportJobPage } from '../../../atlas/types.ts';

/** Atlas's largest page: the fewest calls for a whole history. */
export const HISTORY_PAGE_SIZE = 500;
/** Beyond this many jobs only the newest are loaded (40 pages); the view says so. */
export const MAX_HISTORY_JOBS = 20_000;
export const MAX_HISTORY_PAGES = MAX_HISTORY_JOBS / HISTORY_PAGE_SIZE;
/** Pages requested at once: enough to halve the wait, few enough to stay polite to a shared Atlas quota. */
export const MAX_PAGES_IN_FLIGHT = 2;

/** A cluster's export jobs as loaded so far, newest first (Atlas's order), each job once. */
export interface ExportHistory {
  jobs: ExportJob[];
  /** Atlas's totalCount from the newest page read: an estimate, undefined when Atlas left it out. */
  estimatedTotal: number | undefined;
  /** Pages read in the current pass (for resuming after a failed page). */
  pagesLoaded: number;
  /** Every page up to the last one (or the cap) has been read. */
  complete: boolean;
  /** More jobs exist than MAX_HISTORY_JOBS; `jobs` holds the newest of them. */
  capped: boolean;
  /** When the last complete pass over every page finished (epoch ms); 0 before the first one. */
  fullLoadedAt: number;
}

export const EMPTY_HISTORY: ExportHistory = {
  jobs: [],
  estimatedTotal: undefined,
  pagesLoaded: 0,
  complete: false,
  capped: false,
  fullLoadedAt: 0,
};

export function isActiveJob(job: ExportJob): boolean {
  return ACTIVE_EXPORT_JOB_STATES.some((state) => state === job.state);
}

export function hasActiveJobs(jobs: readonly ExportJob[] | undefined): boolean {
  return jobs?.some(isActiveJob) ?? false;
}

/** Atlas says "next" in `links`; without links, fall back on the estimated total, then on a full page. */
export function pageHasNext(data: ExportJobPage | undefined, page: number, perPage: number): boolean {
  if (!data) return false;
  if (data.links?.some((l) => l.rel === 'next')) return true;
  if (data.totalCount !== undefined) return page * perPage < data.totalCount;
  return data.results.length === perPage;
}

/**
 * Adds page `pageNum` to a history being loaded. A job already present (the list shifted while paging, because a
 * new job arrived at the front) is not added twice.
 */
export function appendPage(history: ExportHistory, page: ExportJobPage, pageNum: number, now: number): ExportHistory {
  const seen = new Set<string>();
  for (const job of history.jobs) if (job.id) seen.add(job.id);
  const fresh = page.results.filter((job) => !job.id || !seen.has(job.id));
  const jobs = [...history.jobs, ...fresh].slice(0, MAX_HISTORY_JOBS);
  const more = pageHasNext(page, pageNum, HISTORY_PAGE_SIZE);
  const capped = more && pageNum >= MAX_HISTORY_PAGES;
  const complete = !more || capped;
  return {
    jobs,
    estimatedTotal: page.totalCount ?? history.estimatedTotal,
    pagesLoaded: pageNum,
    complete,
    capped,
    fullLoadedAt: complete ? now : history.fullLoadedAt,
  };
}

/**
 * Merges a fresh first page into a complete history, by job id: the page's jobs (newest, in Atlas's order) replace
 * their older copies and new ones join the front; everything older stays as it was.
 */
export function mergeHead(history: ExportHistory, head: ExportJobPage): ExportHistory {
  const headIds = new Set<string>();
  for (const job of head.results) if (job.id) headIds.add(job.id);
  const rest = history.jobs.filter((job) => !job.id || !headIds.has(job.id));
  return {
    ...history,
    jobs: [...head.results, ...rest].slice(0, MAX_HISTORY_JOBS),
    estimatedTotal: head.totalCount ?? history.estimatedTotal,
  };
}

export type RefreshPlan = 'full' | 'resume' | 'head';

/**
 * What a fetch of the history does, given what is cached: nothing yet -> every page; a pass that stopped at a
 * failed page -> carry on from there; a complete history younger than `fullEveryMs` -> only page 1, merged
 * (while jobs run, that is all that changes); older -> every page again.
 */
export function planRefresh(history: ExportHistory | undefined, now: number, fullEveryMs: number): RefreshPlan {
  if (!history || history.pagesLoaded === 0) return 'full';
  if (!history.complete) return 'resume';
  return now - history.fullLoadedAt < fullEveryMs ? 'head' : 'full';
}

/** The history can answer for page `page` of `perPage` rows: it lies within the newest MAX_HISTORY_JOBS. */
export function historyHoldsPage(page: number, perPage: number): boolean {
  return page * perPage <= MAX_HISTORY_JOBS;
}

/**
 * Atlas's page `page` of `perPage` rows, read from the history instead of asking Atlas again: the same jobs in the
 * same order (Atlas lists newest first and so does the history), each job once. Undefined while the history has
 * not reached that page yet. The total is exact once every page is in (the jobs counted), Atlas's estimate before.
 */
export function pageOfHistory(history: ExportHistory, page: number, perPage: number): ExportJobPage | undefined {
  const from = (page - 1) * perPage;
  const to = page * perPage;
  if (history.jobs.length < to && !history.complete) return undefined;
  const totalCount = history.complete && !history.capped ? history.jobs.length : history.estimatedTotal;
  return { results: history.jobs.slice(from, to), ...(totalCount !== undefined ? { totalCount } : {}) };
}
