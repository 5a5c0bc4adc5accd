import { createColumnHelper, type ColumnDef, type RowData } from '@tanstack/react-table';
import type { ExportJob } from '../../../../atlas/types.ts';
import { Elapsed, RelativeTime } from '../../../components/relative-time.tsx';
import { StatusBadge } from '../../../components/status-badge.tsx';
import { jobDurationMs } from '../../../data/export-history/query-jobs.ts';
import { formatDuration } from '../../../lib/format.ts';
import { isActiveJob } from '../api/export-jobs.ts';
import { CustomDataChips, FailureReason } from './job-bits.tsx';
import { BucketCell, ExportLink, PrefixCell, SnapshotCell, type ExportJobLookups } from './job-cells.tsx';

import { JobProgress } from './progress-cell.tsx';

declare module '@tanstack/react-table' {
  // Cells read lookups from the table's meta, so the column definitions stay constant (a new cell function would
  // be a new component type to React, and every cell would remount).
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface TableMeta<TData extends RowData> {
    exportLookups?: ExportJobLookups;
  }
}

const col = createColumnHelper<ExportJob>();

export const exportJobColumns: ColumnDef<ExportJob, unknown>[] = [
  col.display({
    id: 'id',
    meta: { width: 'w-[84px]' },
    header: 'Export',
    cell: ({ row, table }) => <ExportLink job={row.original} lookups={table.options.meta?.exportLookups} />,
  }),
  col.display({
    id: 'state',
    meta: { sortable: true, width: 'w-[176px]' },
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
    meta: { sortable: true, width: 'w-[164px]' },
    header: 'Progress',
    cell: ({ row }) => <JobProgress job={row.original} />,
  }),
  col.display({
    id: 'created',
    meta: { sortable: true, width: 'w-[96px]' },
    header: 'Created',
    cell: ({ row }) => <RelativeTime iso={row.original.createdAt} />,
  }),
  col.display({
    id: 'finished',
    meta: { sortable: true, width: 'w-[116px]' },
    header: 'Finished',
    // Atlas gives no start time: a running job's clock starts at createdAt, so it counts its queue wait too.
    cell: ({ row }) =>
      row.original.state === 'Queued' ? (
        <span className="text-xs text-slate-600">
          <Elapsed since={row.original.createdAt} prefix="queued " />
        </span>
      ) : isActiveJob(row.original) ? (
        <span className="text-xs text-blue-800">
          <Elapsed since={row.original.createdAt} prefix="elapsed " />
        </span>
      ) : (
        <RelativeTime iso={row.original.finishedAt} />
      ),
  }),
  col.display({
    id: 'duration',
    header: 'Duration',
    meta: { align: 'right', sortable: true, width: 'w-[92px]' },
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
