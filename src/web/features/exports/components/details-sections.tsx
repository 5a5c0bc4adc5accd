import type { ExportJob } from '../../../../atlas/types.ts';
import { AtlasText, LongAtlasText } from '../../../components/atlas-text.tsx';
import { CopyButton } from '../../../components/copy-button.tsx';
import { Elapsed } from '../../../components/relative-time.tsx';
import { StatusBadge } from '../../../components/status-badge.tsx';
import { formatBytes, formatDuration } from '../../../lib/format.ts';
import { jobDurationMs } from '../../../data/export-history/query-jobs.ts';
import { bucketLocation, type AnySnapshot, type BucketSummary } from '../api/export-lookups.ts';
import { isActiveJob } from '../api/export-jobs.ts';
import { DetailCard, Exact, Field, Fields, IdWithCopy, MonoText } from './definition-list.tsx';
import { CustomDataChips, FailureReason } from './job-bits.tsx';
import { JobProgress } from './progress-cell.tsx';

export function JobSummary({ job }: { job: ExportJob }) {
  const duration = jobDurationMs(job);
  return (
    <DetailCard title="Job" id="job-summary">
      <Fields>
        <Field label="State">
          <StatusBadge state={job.state} />
        </Field>
        {(job.state === 'Failed' || job.stateReason) && (
          <Field label="State reason">
            <FailureReason job={job} />
          </Field>
        )}
        <Field label="Progress">
          <div className="max-w-72">
            <JobProgress job={job} />
          </div>
        </Field>
        <Field label="Created">
          <Exact iso={job.createdAt} />
        </Field>
        <Field label={isActiveJob(job) ? 'Elapsed' : 'Finished'}>
          {isActiveJob(job) ? <Elapsed since={job.createdAt} /> : <Exact iso={job.finishedAt} />}
        </Field>
        <Field label="Duration">{duration !== undefined ? formatDuration(duration) : null}</Field>
        <Field label="Export id">
          <IdWithCopy id={job.id} label="export id" />
        </Field>
        <Field label="Prefix">
          {job.prefix && (
            <span className="inline-flex items-center gap-1">
              <MonoText text={job.prefix} />
              <CopyButton value={job.prefix} label="Copy export prefix" />
            </span>
          )}
        </Field>
        <Field label="Custom data">
          <CustomDataChips labels={job.customData} />
        </Field>
      </Fields>
    </DetailCard>
  );
}

export function BucketCard({ job, bucket }: { job: ExportJob; bucket: BucketSummary | undefined }) {
  const where = bucket ? bucketLocation(bucket) : {};
  return (
    <DetailCard title="Export bucket" id="bucket">
      <Fields>
        <Field label="Name">{bucket?.bucketName && <LongAtlasText text={bucket.bucketName} />}</Field>
        <Field label="Provider">{bucket?.cloudProvider && <AtlasText text={bucket.cloudProvider} />}</Field>
        {where.region && (
          <Field label="Region">
            <AtlasText text={where.region} />
          </Field>
        )}
        {where.role && (
          <Field label="Role">
            <IdWithCopy id={where.role} label="role id" />
          </Field>
        )}
        {where.serviceUrl && (
          <Field label="Service URL">
            <MonoText text={where.serviceUrl} />
          </Field>
        )}
        <Field label="Bucket id">
          <IdWithCopy id={job.exportBucketId} label="bucket id" />
        </Field>
      </Fields>
    </DetailCard>
  );
}

export function SnapshotCard({ job, snapshot }: { job: ExportJob; snapshot: AnySnapshot | undefined }) {
  return (
    <DetailCard title="Snapshot" id="snapshot">
      <Fields>
        <Field label="Snapshot id">
          <IdWithCopy id={job.snapshotId} label="snapshot id" />
        </Field>
        <Field label="Created">
          <Exact iso={snapshot?.createdAt} />
        </Field>
        <Field label="Type">{snapshot?.snapshotType && <AtlasText text={snapshot.snapshotType} />}</Field>
        <Field label="Frequency">{snapshot?.frequencyType && <AtlasText text={snapshot.frequencyType} />}</Field>
        <Field label="Size">
          {snapshot?.storageSizeBytes !== undefined ? formatBytes(snapshot.storageSizeBytes) : null}
        </Field>
        <Field label="Status">{snapshot?.status && <AtlasText text={snapshot.status} />}</Field>
        <Field label="Expires">
          <Exact iso={snapshot?.expiresAt} />
        </Field>
      </Fields>
    </DetailCard>
  );
}
