import { ACTIVE_EXPORT_JOB_STATES, type ExportJobState } from '../../atlas/index.ts';
import type { JobRec } from './model.ts';

export interface JobSnapshot {
  state: ExportJobState;
  exportedCollections: number;
  totalCollections: number;
  finishedAt?: number;
}

/**
 * A job's state at simulated time `now`, computed from its timings: Queued for `queueMs`, then InProgress with
 * collections exported at an even pace, then its outcome. Failed and Cancelled jobs stop part way through.
 * Queued jobs report 0 of 0 collections, as Atlas does before the export has counted them.
 */
export function jobAt(job: JobRec, now: number): JobSnapshot {
  const elapsed = now - job.createdAt;
  if (elapsed < job.queueMs) return { state: 'Queued', exportedCollections: 0, totalCollections: 0 };
  const stopsAfter = job.outcome === 'Successful' ? job.runMs : Math.floor(job.runMs * job.stopFraction);
  const running = elapsed - job.queueMs;
  if (running < stopsAfter) {
    const exported = Math.floor((job.totalCollections * running) / job.runMs);
    return {
      state: 'InProgress',
      exportedCollections: Math.min(exported, job.totalCollections),
      totalCollections: job.totalCollections,
    };
  }
  const exported =
    job.outcome === 'Successful' ? job.totalCollections : Math.floor(job.totalCollections * job.stopFraction);
  return {
    state: job.outcome,
    exportedCollections: exported,
    totalCollections: job.totalCollections,
    finishedAt: job.createdAt + job.queueMs + stopsAfter,
  };
}

export function isActive(job: JobRec, now: number): boolean {
  const { state } = jobAt(job, now);
  return ACTIVE_EXPORT_JOB_STATES.some((active) => active === state);
}
