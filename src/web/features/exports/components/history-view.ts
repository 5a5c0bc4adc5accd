import type { ExportJob } from '../../../../atlas/types.ts';
import {
  cachedText,
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

/** Every loaded job in one order, and (once searched) each job's search text at the same index. */
interface Sorted {
  jobs: ExportJob[];
  texts?: { bucketName: BucketNameOf | undefined; list: string[] };
}

// Every loaded job in each order asked for, per loaded history (a refresh brings a new array): a keystroke then
// only filters, and filtering keeps the order, so the matches come out sorted. Sorting 20,000 jobs per keystroke
// cost more than filtering them.
const sortedCache = new WeakMap<readonly ExportJob[], Map<string, Sorted>>();

function sortedOnce(jobs: readonly ExportJob[], sort: JobSort): Sorted {
  let bySort = sortedCache.get(jobs);
  if (!bySort) sortedCache.set(jobs, (bySort = new Map()));
  const key = `${sort.key}:${sort.desc}`;
  let sorted = bySort.get(key);
  if (!sorted) bySort.set(key, (sorted = { jobs: sortJobs(jobs, sort) }));
  return sorted;
}

function textsOf(sorted: Sorted, bucketName: BucketNameOf | undefined): string[] {
  if (!sorted.texts || sorted.texts.bucketName !== bucketName)
    sorted.texts = { bucketName, list: sorted.jobs.map((job) => cachedText(job, bucketName)) };
  return sorted.texts.list;
}

/** The last search worked out, so that typing on (a longer needle) searches only what matched so far. */
let last: { sorted: Sorted; bucketName: BucketNameOf | undefined; needle: string; matches: number[] } | undefined;

/**
 * Indices (into the sorted jobs) of those whose text holds the needle. A needle that contains the previous one
 * (the next character typed) can only match jobs the previous one matched: only those are searched, and as a
 * subsequence of the sorted list they stay in order.
 */
function textMatches(sorted: Sorted, needle: string, bucketName: BucketNameOf | undefined): number[] {
  const from =
    last && last.sorted === sorted && last.bucketName === bucketName && needle.includes(last.needle)
      ? last.matches
      : undefined;
  if (from && last!.needle === needle) return from;
  const texts = textsOf(sorted, bucketName);
  const matches: number[] = [];
  if (from) {
    for (const i of from) if (texts[i]!.includes(needle)) matches.push(i);
  } else {
    for (let i = 0; i < texts.length; i++) if (texts[i]!.includes(needle)) matches.push(i);
  }
  last = { sorted, bucketName, needle, matches };
  return matches;
}

/** The sorted jobs within q, since and until. */
function scopeOf(
  sorted: Sorted,
  { q, since, until }: Omit<JobQuery, 'states'>,
  now: number,
  bucketName: BucketNameOf | undefined,
): ExportJob[] {
  const needle = q?.trim().toLowerCase() ?? '';
  const searched = needle ? textMatches(sorted, needle, bucketName).map((i) => sorted.jobs[i]!) : sorted.jobs;
  return since || until ? filterJobs(searched, { since, until }, now) : searched;
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
  const scoped = scopeOf(sortedOnce(jobs, sort), scope, now, bucketName);
  const matched = states && states.length > 0 ? filterJobs(scoped, { states }, now) : scoped;
  return {
    scopedCounts: countByState(scoped),
    rows: matched,
    idMatch: jobByIdFragment(jobs, query.q),
  };
}
