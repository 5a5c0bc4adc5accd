import { useState } from 'react';
import type { ExportJob } from '../../../../atlas/types.ts';
import { CopyButton } from '../../../components/copy-button.tsx';
import { Elapsed, RelativeTime } from '../../../components/relative-time.tsx';
import { StatusBadge } from '../../../components/status-badge.tsx';
import { formatBytes, formatDuration, formatUtc, parseTime } from '../../../lib/format.ts';
import { bucketLocation, type AnySnapshot, type BucketSummary } from '../api/export-lookups.ts';
import { isActiveJob } from '../api/export-jobs.ts';
import { jobDurationMs } from './export-job-columns.tsx';
import { DetailCard, Field, Fields, Mono } from './definition-list.tsx';
import { CustomDataChips, FailureReason } from './job-bits.tsx';
import { JobProgress } from './progress-cell.tsx';

function Exact({ iso }: { iso: string | undefined }) {
  const ms = parseTime(iso);
  if (ms === undefined) return null;
  return (
    <span className="flex flex-wrap gap-x-2">
      <span>{formatUtc(ms)}</span>
      <span className="text-slate-500">
        (<RelativeTime iso={iso} />)
      </span>
    </span>
  );
}

function IdWithCopy({ id, label }: { id: string | undefined; label: string }) {
  if (!id) return null;
  return (
    <span className="inline-flex items-center gap-1">
      <Mono>{id}</Mono>
      <CopyButton value={id} label={`Copy ${label}`} />
    </span>
  );
}

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
              <Mono>{job.prefix}</Mono>
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
        <Field label="Name">{bucket?.bucketName}</Field>
        <Field label="Provider">{bucket?.cloudProvider}</Field>
        {where.region && <Field label="Region">{where.region}</Field>}
        {where.role && (
          <Field label="Role">
            <IdWithCopy id={where.role} label="role id" />
          </Field>
        )}
        {where.serviceUrl && (
          <Field label="Service URL">
            <Mono>{where.serviceUrl}</Mono>
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
        <Field label="Type">{snapshot?.snapshotType}</Field>
        <Field label="Frequency">{snapshot?.frequencyType}</Field>
        <Field label="Size">
          {snapshot?.storageSizeBytes !== undefined ? formatBytes(snapshot.storageSizeBytes) : null}
        </Field>
        <Field label="Status">{snapshot?.status}</Field>
        <Field label="Expires">
          <Exact iso={snapshot?.expiresAt} />
        </Field>
      </Fields>
    </DetailCard>
  );
}

export function ComponentsCard({ job }: { job: ExportJob }) {
  if (!job.components || job.components.length === 0) return null;
  return (
    <DetailCard title={`Components (${job.components.length} replica sets)`} id="components">
      <table className="w-full text-left text-sm">
        <thead className="text-xs text-slate-500">
          <tr>
            <th scope="col" className="py-1 pr-4 font-medium">
              Replica set
            </th>
            <th scope="col" className="py-1 font-medium">
              Export id
            </th>
          </tr>
        </thead>
        <tbody>
          {job.components.map((c, i) => (
            <tr key={c.exportId ?? i} className="border-t border-slate-100">
              <td className="py-1 pr-4 font-mono text-xs">{c.replicaSetName ?? '—'}</td>
              <td className="py-1">
                <IdWithCopy id={c.exportId} label={`export id of ${c.replicaSetName ?? 'component'}`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </DetailCard>
  );
}

export function LinksAndRaw({ job }: { job: ExportJob }) {
  const [raw, setRaw] = useState(false);
  return (
    <DetailCard title="Links and raw response" id="links">
      <ul className="flex flex-col gap-1 text-sm">
        {(job.links ?? []).map((l, i) => (
          <li key={i} className="flex gap-2">
            <span className="w-16 shrink-0 text-slate-500">{l.rel ?? 'link'}</span>
            <Mono>{l.href}</Mono>
          </li>
        ))}
        {(job.links ?? []).length === 0 && <li className="text-slate-400">No links</li>}
      </ul>
      <button
        type="button"
        aria-expanded={raw}
        aria-controls="raw-json"
        onClick={() => setRaw((r) => !r)}
        className="mt-3 rounded border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
      >
        {raw ? 'Hide raw JSON' : 'Show raw JSON'}
      </button>
      {raw && (
        <div className="relative mt-2">
          <pre
            id="raw-json"
            className="max-h-96 overflow-auto rounded bg-slate-900 p-3 font-mono text-xs text-slate-100"
          >
            {JSON.stringify(job, null, 2)}
          </pre>
          <div className="absolute top-1 right-1 rounded bg-white">
            <CopyButton value={JSON.stringify(job, null, 2)} label="Copy raw JSON" />
          </div>
        </div>
      )}
    </DetailCard>
  );
}
