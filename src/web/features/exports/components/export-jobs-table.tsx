import { getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { memo } from 'react';
import type { ExportJob } from '../../../../atlas/types.ts';
import { DataTable } from '../../../components/data-table.tsx';
import { exportJobColumns, type ExportJobLookups } from './export-job-columns.tsx';

export interface ExportJobsTableProps {
  jobs: ExportJob[];
  totalCount: number | undefined;
  lookups: ExportJobLookups;
  stale: boolean;
}

function rowId(job: ExportJob, index: number): string {
  return job.id ?? `row-${index}`;
}

/**
 * Memoized on the page's `results` array: a refresh that changed nothing yields the same array (structural
 * sharing), so the table does not render at all; a refresh that changed one job re-renders that one row.
 */
export const ExportJobsTable = memo(function ExportJobsTable({
  jobs,
  totalCount,
  lookups,
  stale,
}: ExportJobsTableProps) {
  const table = useReactTable({
    data: jobs,
    columns: exportJobColumns,
    meta: { exportLookups: lookups },
    getCoreRowModel: getCoreRowModel(),
    getRowId: rowId,
    // Atlas pages on the server: the table shows one page and knows the (estimated) total.
    manualPagination: true,
    rowCount: totalCount,
  });
  return (
    <DataTable
      table={table}
      context={lookups}
      caption={`Export jobs of cluster ${lookups.clusterName}`}
      stale={stale}
    />
  );
});
