import type { ExportJob } from '../atlas/types.ts';

/**
 * Export health in a few hundred bytes per cluster: what the fleet shows and the metrics report, taken from the
 * newest page of a cluster's export jobs. Plain data, epoch milliseconds, nothing that needs the whole history.
 */
export interface CompactJob {
  id: string;
  snapshotId?: string;
  state: string;
  createdAt?: number;
  finishedAt?: number;
  exported?: number;
  collections?: number;
  /** Atlas's stateReason, message first (a failed job's "why"). */
  reason?: string;
  errorCode?: string;
  /** The bucket and prefix a failed job left its partial data under (for the alert's "what to clean up"). */
  bucketId?: string;
  prefix?: string;
}

export interface JobsDigest {
  /** Atlas's totalCount for the cluster (an estimate), or the jobs seen when Atlas left it out. */
  total: number;
  /** Jobs on the page read (page 1, up to 500). */
  seen: number;
  lastSuccess?: CompactJob;
  /** Queued and InProgress jobs, newest first. */
  active: CompactJob[];
  /** Failed jobs created in the last 30 days (the widest fleet window), newest first. */
  failures: CompactJob[];
  /** Cancelled jobs seen on the page (counted for the metrics, not listed). */
  cancelled: number;
  /** Job and snapshot ids of the jobs listed above and of every job created in the last 30 days, for id search. */
  ids: string[];
}

export const FAILURE_WINDOW_MS = 30 * 86_400_000;
const MAX_LISTED = 50;
const MAX_REASON = 300;
const MAX_IDS = 200;

export const time = (iso: string | undefined): number | undefined => {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
};

export function compactJob(job: ExportJob): CompactJob {
  const reason = job.stateReason?.message ?? job.stateReason?.errorCode;
  const c: CompactJob = { id: job.id ?? '', state: job.state ?? 'Unknown' };
  if (job.snapshotId) c.snapshotId = job.snapshotId;
  const created = time(job.createdAt);
  if (created !== undefined) c.createdAt = created;
  const finished = time(job.finishedAt);
  if (finished !== undefined) c.finishedAt = finished;
  if (job.exportStatus?.exportedCollections !== undefined) c.exported = job.exportStatus.exportedCollections;
  if (job.exportStatus?.totalCollections !== undefined) c.collections = job.exportStatus.totalCollections;
  if (reason) c.reason = reason.slice(0, MAX_REASON);
  if (job.stateReason?.errorCode) c.errorCode = job.stateReason.errorCode;
  if (c.state === 'Failed') {
    if (job.exportBucketId) c.bucketId = job.exportBucketId;
    if (job.prefix) c.prefix = job.prefix;
  }
  return c;
}

export const isActiveState = (state: string) => state === 'Queued' || state === 'InProgress';

/** Exported share of a job's collections, when Atlas has counted them. */
export function progressOf(job: Pick<CompactJob, 'exported' | 'collections'>): number | undefined {
  if (job.exported === undefined || !job.collections) return undefined;
  return Math.min(1, job.exported / job.collections);
}

/** The digest of one page of jobs (newest first, as Atlas lists them). */
export function digestJobs(jobs: readonly ExportJob[], totalCount: number | undefined, now: number): JobsDigest {
  const since = now - FAILURE_WINDOW_MS;
  const d: JobsDigest = {
    total: totalCount ?? jobs.length,
    seen: jobs.length,
    active: [],
    failures: [],
    cancelled: 0,
    ids: [],
  };
  for (const job of jobs) {
    const state = job.state ?? 'Unknown';
    const created = time(job.createdAt);
    const recent = created !== undefined && created >= since;
    if (state === 'Successful' && !d.lastSuccess) d.lastSuccess = compactJob(job);
    else if (isActiveState(state) && d.active.length < MAX_LISTED) d.active.push(compactJob(job));
    else if (state === 'Failed' && recent && d.failures.length < MAX_LISTED) d.failures.push(compactJob(job));
    else if (state === 'Cancelled') d.cancelled++;
    if ((recent || isActiveState(state)) && d.ids.length < MAX_IDS) {
      if (job.id) d.ids.push(job.id);
      if (job.snapshotId) d.ids.push(job.snapshotId);
    }
  }
  // A newest success older than the window is still the last success; its ids stay findable.
  if (d.lastSuccess && d.ids.length < MAX_IDS && !d.ids.includes(d.lastSuccess.id)) {
    d.ids.push(d.lastSuccess.id);
    if (d.lastSuccess.snapshotId) d.ids.push(d.lastSuccess.snapshotId);
  }
  return d;
}
