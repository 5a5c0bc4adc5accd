import type { ExportJob } from '../../../../atlas/types.ts';
import {
  countByState,
  filterJobs,
  jobByIdFragment,
  sortJobs,
  type BucketNameOf,
  type JobQuery,
  type JobSort,
} from '../../../data/export-history/query-jobs.ts';

export interface HistoryView {
  /** Jobs matching q/since/until, before the state filter: what the state chips count. */
  scopedCounts: Record<string, number>;
  /** Every matching job, sorted: what the pager pages and the download writes. */
  rows: ExportJob[];
  /** The one job a pasted id points at. */
  idMatch: ExportJob | undefined;
}

// Every loaded job in each order asked for, per loaded history (a refresh brings a new array): a keystroke then
// only filters, and filtering keeps the order, so the matches come out sorted. Sorting 20,000 jobs per keystroke
// cost more than filtering them.
const sortedCache = new WeakMap<readonly ExportJob[], Map<string, ExportJob[]>>();

function sortedOnce(jobs: readonly ExportJob[], sort: JobSort): ExportJob[] {
  let bySort = sortedCache.get(jobs);
  if (!bySort) sortedCache.set(jobs, (bySort = new Map()));
  const key = `${sort.key}:${sort.desc}`;
  let sorted = bySort.get(key);
  if (!sorted) bySort.set(key, (sorted = sortJobs(jobs, sort)));
  return sorted;
}

/** One pass of the pure functions over the loaded jobs: what a history-backed table shows. */
export function computeHistoryView(
  jobs: readonly ExportJob[],
  query: JobQuery,
  sort: JobSort,
  now: number,
  bucketName?: BucketNameOf,
): HistoryView {
  const { states, ...scope } = query;
  // sortJobs breaks ties by position, which filtering keeps: the same rows, in the same order, as sorting after.
  const scoped = filterJobs(sortedOnce(jobs, sort), scope, now, bucketName);
  const matched = states && states.length > 0 ? filterJobs(scoped, { states }, now) : scoped;
  return {
    scopedCounts: countByState(scoped),
    rows: matched,
    idMatch: jobByIdFragment(jobs, query.q),
  };
}
