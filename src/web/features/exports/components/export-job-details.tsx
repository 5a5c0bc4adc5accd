import { useQuery } from '@tanstack/react-query';
import type { ExportJob } from '../../../../atlas/types.ts';
import { AtlasText } from '../../../components/atlas-text.tsx';
import { ErrorPanel } from '../../../components/error-panel.tsx';
import { TableSkeleton } from '../../../components/skeleton.tsx';
import { StatusBadge } from '../../../components/status-badge.tsx';
import {
  coolDownEnd,
  exportJobKeys,
  exportJobQueryOptions,
  isActiveJob,
  pollIntervalMs,
  refetchOnFocusAllowed,
} from '../api/export-jobs.ts';
import { snapshotQueryOptions } from '../api/export-lookups.ts';
import { useExportLookups } from '../api/use-export-jobs.ts';
import { ComponentsCard, LinksAndRaw } from './details-extra.tsx';
import { BucketCard, JobSummary, SnapshotCard } from './details-sections.tsx';
import { AtlasTrouble } from '../../../components/atlas-trouble.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { usePreference } from '../../../lib/preference.ts';
import { useActivityBadge } from '../../../lib/use-activity-badge.ts';
import { pausedPreference } from '../api/live-settings.ts';
import { WatchJobButton } from '../watch/watch-controls.tsx';
import { RefreshBar } from './refresh-bar.tsx';
import { ReExportButton } from '../../exports-write/write-buttons.tsx';

const isActive = (job: ExportJob | undefined) => job !== undefined && isActiveJob(job);
/** A job that ended (Successful, Failed, Cancelled) never changes again: its page stops polling. */
const isFinished = (job: ExportJob | undefined) => job?.state !== undefined && !isActiveJob(job);

export interface ExportJobDetailsProps {
  groupId: string;
  clusterName: string;
  exportId: string;
}

/** One job in full. Loaded lazily: most visits only see the table. */
export function ExportJobDetails({ groupId, clusterName, exportId }: ExportJobDetailsProps) {
  const paused = usePreference(pausedPreference);
  const query = useQuery({
    ...exportJobQueryOptions(groupId, clusterName, exportId),
    refetchInterval: (q) =>
      isFinished(q.state.data) ? false : pollIntervalMs(q.state, isActive(q.state.data), paused),
    refetchOnWindowFocus: refetchOnFocusAllowed,
  });
  const extra = useExportLookups(groupId, clusterName);
  const job = query.data;
  const sharded = extra.cluster?.clusterType === 'SHARDED' || extra.cluster?.clusterType === 'GEOSHARDED';
  const snapshotFromList = job?.snapshotId ? extra.snapshots?.get(job.snapshotId) : undefined;
  const snapshot = useQuery({
    ...snapshotQueryOptions(groupId, clusterName, job?.snapshotId ?? '', sharded),
    enabled: Boolean(job?.snapshotId) && extra.cluster !== undefined && !snapshotFromList,
  });
  const problem = query.error ?? query.failureReason;
  useDocumentTitle(`Export …${exportId.slice(-8)}`, job?.state, clusterName);
  useActivityBadge(job ? [job] : undefined);

  if (!job) {
    return problem != null ? (
      <ErrorPanel error={problem} what="this export job" onRetry={() => void query.refetch()} />
    ) : (
      <TableSkeleton rows={6} columns={2} />
    );
  }
  return (
    <article aria-labelledby="job-title" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-3">
        <h1 id="job-title" className="text-lg font-semibold text-slate-900">
          Export <AtlasText text={job.id ?? exportId} className="font-mono text-base" />
        </h1>
        <StatusBadge state={job.state} />
        {isActiveJob(job) && <WatchJobButton groupId={groupId} clusterName={clusterName} exportId={exportId} />}
        <ReExportButton groupId={groupId} clusterName={clusterName} sharded={sharded} job={job} />
        <div className="ml-auto">
          <RefreshBar
            queryKey={exportJobKeys.detail(groupId, clusterName, exportId)}
            paused={paused}
            intervalMs={isFinished(job) ? false : pollIntervalMs(query, isActiveJob(job), paused)}
            offText={isFinished(job) ? 'Job finished: nothing left to refresh' : undefined}
            coolDownUntil={coolDownEnd(query.error, query.errorUpdatedAt)}
            onTogglePause={() => pausedPreference.set(!paused)}
            onRefresh={() => void query.refetch()}
          />
        </div>
      </div>
      {problem != null && (
        <AtlasTrouble
          error={problem}
          lastSuccessAt={query.dataUpdatedAt}
          coolDownUntil={coolDownEnd(query.error, query.errorUpdatedAt)}
          what="this export job"
        />
      )}
      <div className="grid gap-3 lg:grid-cols-2">
        <JobSummary job={job} />
        <div className="flex flex-col gap-3">
          <BucketCard job={job} bucket={extra.buckets?.get(job.exportBucketId)} />
          <SnapshotCard job={job} snapshot={snapshotFromList ?? snapshot.data} />
        </div>
        <ComponentsCard job={job} />
        <LinksAndRaw job={job} />
      </div>
    </article>
  );
}
