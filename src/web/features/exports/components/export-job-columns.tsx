import { createColumnHelper, type ColumnDef, type RowData } from '@tanstack/react-table';
import type { ExportJob } from '../../../../atlas/types.ts';
import { CopyButton } from '../../../components/copy-button.tsx';
import { Elapsed, RelativeTime } from '../../../components/relative-time.tsx';
import { StatusBadge } from '../../../components/status-badge.tsx';
import { formatDuration, formatUtc, parseTime, shortId } from '../../../lib/format.ts';
import type { AnySnapshot, BucketSummary } from '../api/export-lookups.ts';
import { exportDetailsHref, type ExportsSearch } from '../api/exports-search.ts';
import { isActiveJob } from '../api/export-jobs.ts';
import { CustomDataChips, FailureReason } from './job-bits.tsx';
import { JobProgress } from './progress-cell.tsx';

/** What the cells need besides the job; one object, kept referentially stable by the table. */
export interface ExportJobLookups {
  groupId: string;
  clusterName: string;
  search: ExportsSearch;
  buckets: ReadonlyMap<string, BucketSummary> | undefined;
  snapshots: ReadonlyMap<string, AnySnapshot> | undefined;
}

declare module '@tanstack/react-table' {
  // Cells read lookups from the table's meta, so the column definitions stay constant (a new cell function would
  // be a new component type to React, and every cell would remount).
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface TableMeta<TData extends RowData> {
    exportLookups?: ExportJobLookups;
  }
}

const col = createColumnHelper<ExportJob>();

export function jobDurationMs(job: ExportJob): number | undefined {
  const start = parseTime(job.createdAt);
  const end = parseTime(job.finishedAt);
  return start !== undefined && end !== undefined ? end - start : undefined;
}

function BucketCell({ job, buckets }: { job: ExportJob; buckets: ExportJobLookups['buckets'] }) {
  const bucket = buckets?.get(job.exportBucketId);
  if (!bucket)
    return (
      <span className="font-mono text-xs text-slate-500" title={`Bucket ${job.exportBucketId}`}>
        {shortId(job.exportBucketId)}
      </span>
    );
  return (
    <span className="flex min-w-0 flex-col" title={`Bucket id ${bucket._id}`}>
      <span className="truncate text-slate-800">{bucket.bucketName}</span>
      <span className="text-xs text-slate-500">{bucket.cloudProvider}</span>
    </span>
  );
}

function SnapshotCell({ job, snapshots }: { job: ExportJob; snapshots: ExportJobLookups['snapshots'] }) {
  if (!job.snapshotId) return <span className="text-slate-400">—</span>;
  const created = parseTime(snapshots?.get(job.snapshotId)?.createdAt);
  return (
    <span className="flex flex-col">
      <span className="font-mono text-xs text-slate-700" title={`Snapshot ${job.snapshotId}`}>
        {shortId(job.snapshotId)}
      </span>
      <span className="text-xs whitespace-nowrap text-slate-500">
        {created !== undefined ? formatUtc(created).slice(0, 16) : ''}
      </span>
    </span>
  );
}

function PrefixCell({ prefix }: { prefix: string | undefined }) {
  if (!prefix) return <span className="text-slate-400">—</span>;
  return (
    <span className="flex min-w-0 items-center gap-0.5">
      <span className="truncate font-mono text-xs text-slate-700" title={prefix} dir="rtl">
        {/* rtl truncation keeps the distinctive tail (date/timestamp) visible; the bdi keeps the text itself in order */}
        <bdi>{prefix}</bdi>
      </span>
      <CopyButton value={prefix} label="Copy export prefix" />
    </span>
  );
}

/**
 * A plain anchor, not the router's Link: 500 Links each build a location and subscribe to router state, which
 * costs more than the rest of the row. The table navigates client-side through one delegated click handler.
 */
function ExportLink({ job, lookups }: { job: ExportJob; lookups: ExportJobLookups | undefined }) {
  if (!job.id || !lookups) return <>{shortId(job.id)}</>;
  return (
    <a
      href={exportDetailsHref(lookups.groupId, lookups.clusterName, job.id, lookups.search)}
      data-spa-link=""
      title={`Export ${job.id}`}
      aria-label={`Export ${job.id}`}
      className="rounded font-mono text-xs whitespace-nowrap text-blue-700 hover:underline focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
    >
      {shortId(job.id)}
    </a>
  );
}

export const exportJobColumns: ColumnDef<ExportJob, unknown>[] = [
  col.display({
    id: 'id',
    meta: { width: 'w-[84px]' },
    header: 'Export',
    cell: ({ row, table }) => <ExportLink job={row.original} lookups={table.options.meta?.exportLookups} />,
  }),
  col.display({
    id: 'state',
    meta: { width: 'w-[176px]' },
    header: 'State',
    cell: ({ row }) => (
      <div className="flex min-w-0 flex-col items-start gap-1">
        <StatusBadge state={row.original.state} />
        {row.original.state === 'Failed' && <FailureReason job={row.original} compact />}
      </div>
    ),
  }),
  col.display({
    id: 'progress',
    meta: { width: 'w-[164px]' },
    header: 'Progress',
    cell: ({ row }) => <JobProgress job={row.original} />,
  }),
  col.display({
    id: 'created',
    meta: { width: 'w-[96px]' },
    header: 'Created',
    cell: ({ row }) => <RelativeTime iso={row.original.createdAt} />,
  }),
  col.display({
    id: 'finished',
    meta: { width: 'w-[116px]' },
    header: 'Finished',
    cell: ({ row }) =>
      isActiveJob(row.original) ? (
        <span className="text-xs text-blue-800">
          <Elapsed since={row.original.createdAt} prefix="running " />
        </span>
      ) : (
        <RelativeTime iso={row.original.finishedAt} />
      ),
  }),
  col.display({
    id: 'duration',
    header: 'Duration',
    meta: { align: 'right', width: 'w-[84px]' },
    cell: ({ row }) => {
      const ms = jobDurationMs(row.original);
      return ms === undefined ? (
        <span className="text-slate-400">—</span>
      ) : (
        <span className="whitespace-nowrap">{formatDuration(ms)}</span>
      );
    },
  }),
  col.display({
    id: 'bucket',
    meta: { width: 'w-[200px]' },
    header: 'Export bucket',
    cell: ({ row, table }) => <BucketCell job={row.original} buckets={table.options.meta?.exportLookups?.buckets} />,
  }),
  col.display({
    id: 'snapshot',
    meta: { width: 'w-[128px]' },
    header: 'Snapshot',
    cell: ({ row, table }) => (
      <SnapshotCell job={row.original} snapshots={table.options.meta?.exportLookups?.snapshots} />
    ),
  }),
  col.display({
    id: 'prefix',
    meta: { width: 'w-[216px]' },
    header: 'Prefix',
    cell: ({ row }) => <PrefixCell prefix={row.original.prefix} />,
  }),
  col.display({
    id: 'customData',
    header: 'Custom data',
    cell: ({ row }) => <CustomDataChips labels={row.original.customData} />,
  }),
];
