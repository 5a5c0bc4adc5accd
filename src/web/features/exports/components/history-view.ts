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

/** One pass of the pure functions over the loaded jobs: what a history-backed table shows. */
export function computeHistoryView(
  jobs: readonly ExportJob[],
  query: JobQuery,
  sort: JobSort,
  now: number,
  bucketName?: BucketNameOf,
): HistoryView {
  const { states, ...scope } = query;
  const scoped = filterJobs(jobs, scope, now, bucketName);
  const matched = states && states.length > 0 ? filterJobs(scoped, { states }, now) : scoped;
  return {
    scopedCounts: countByState(scoped),
    rows: sortJobs(matched, sort),
    idMatch: jobByIdFragment(jobs, query.q),
  };
}
