import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { ExportJob } from '../../../../atlas/types.ts';
import { shortId } from '../../../lib/format.ts';
import { ACTIVE_POLL_MS, exportJobListQueryOptions, exportJobQueryOptions, isActiveJob } from '../api/export-jobs.ts';
import { notify, removeWatch, useWatches, watchKey, type ClusterWatch, type JobWatch } from './watch-store.ts';

/** A watched job is polled in a hidden tab too, at this slower pace; nothing else polls while hidden. */
export const WATCH_HIDDEN_POLL_MS = 15_000;

const watchPolling = {
  refetchInterval: () => (document.hidden ? WATCH_HIDDEN_POLL_MS : ACTIVE_POLL_MS),
  refetchIntervalInBackground: true,
} as const;

function JobWatcher({ watch }: { watch: JobWatch }) {
  const { groupId, clusterName, exportId } = watch;
  const query = useQuery({ ...exportJobQueryOptions(groupId, clusterName, exportId), ...watchPolling });
  const job = query.data;
  useEffect(() => {
    if (!job || isActiveJob(job)) return;
    notify(`Export ${shortId(exportId)} ${stateWord(job)}`, `${clusterName}: ${reasonOf(job)}`, watchKey(watch));
    removeWatch(watchKey(watch));
  }, [job, exportId, clusterName, watch]);
  return null;
}

function stateWord(job: ExportJob): string {
  return job.state === 'Successful' ? 'finished' : (job.state?.toLowerCase() ?? 'ended');
}

function reasonOf(job: ExportJob): string {
  if (job.state !== 'Failed') return `${job.state ?? 'ended'}`;
  return [job.stateReason?.errorCode, job.stateReason?.message].filter(Boolean).join(': ') || 'Failed';
}

/** Jobs that were active at the previous poll and are not any more. */
export function endedSince(before: ReadonlyMap<string, boolean>, jobs: readonly ExportJob[]): ExportJob[] {
  return jobs.filter((j) => j.id !== undefined && before.get(j.id) === true && !isActiveJob(j));
}

function ClusterWatcher({ watch }: { watch: ClusterWatch }) {
  const { groupId, clusterName, on } = watch;
  // The newest jobs: a job that starts and ends while watched is on the first page.
  const query = useQuery({ ...exportJobListQueryOptions(groupId, clusterName, 1, 50), ...watchPolling });
  const activeBefore = useRef<ReadonlyMap<string, boolean> | undefined>(undefined);
  const jobs = query.data?.results;
  useEffect(() => {
    if (!jobs) return;
    const before = activeBefore.current;
    activeBefore.current = new Map(jobs.flatMap((j) => (j.id ? [[j.id, isActiveJob(j)] as const] : [])));
    if (!before) return;
    for (const job of endedSince(before, jobs)) {
      if (on === 'fail' && job.state !== 'Failed') continue;
      notify(`Export ${shortId(job.id)} ${stateWord(job)}`, `${clusterName}: ${reasonOf(job)}`, `job/${job.id}`);
    }
  }, [jobs, on, clusterName]);
  return null;
}

/** Runs every watch, whatever page is open. */
export function WatchRunner() {
  const watches = useWatches();
  return (
    <>
      {watches.map((w) =>
        w.kind === 'job' ? <JobWatcher key={watchKey(w)} watch={w} /> : <ClusterWatcher key={watchKey(w)} watch={w} />,
      )}
    </>
  );
}
