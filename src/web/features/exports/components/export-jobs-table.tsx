import { getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { useRouter } from '@tanstack/react-router';
import { memo, useEffect, useRef, type MouseEvent } from 'react';
import type { ExportJob } from '../../../../atlas/types.ts';
import { DataTable, type TableSort } from '../../../components/data-table.tsx';
import { attachRowKeys } from '../../../components/row-keys.ts';
import { useRowFlash } from '../../../components/use-row-flash.ts';
import { exportJobColumns } from './export-job-columns.tsx';
import type { ExportJobLookups } from './job-cells.tsx';

export interface ExportJobsTableProps {
  jobs: ExportJob[];
  totalCount: number | undefined;
  lookups: ExportJobLookups;
  stale: boolean;
  sort?: TableSort | undefined;
  onSort?: ((columnId: string) => void) | undefined;
}

function rowId(job: ExportJob, index: number): string {
  return job.id ?? `row-${index}`;
}

const jobKey = (job: ExportJob) => job.id ?? '';

/**
 * Memoized on the page's `results` array: a refresh that changed nothing yields the same array (structural
 * sharing), so the table does not render at all; a refresh that changed one job re-renders that one row.
 */
export const ExportJobsTable = memo(function ExportJobsTable({
  jobs,
  totalCount,
  lookups,
  stale,
  sort,
  onSort,
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
  const router = useRouter();
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => (container.current ? attachRowKeys(container.current) : undefined), []);
  useRowFlash(container, jobs, jobKey);
  // One handler for every row link: plain clicks navigate in the SPA; modified clicks (new tab) stay native.
  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    const link = e.target instanceof Element ? e.target.closest<HTMLAnchorElement>('a[data-spa-link]') : null;
    if (!link || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    void router.navigate({ href: link.getAttribute('href') ?? '/' });
  };
  return (
    <div ref={container} onClick={onClick} className="jobs-table">
      <DataTable
        table={table}
        context={lookups}
        caption={`Export jobs of cluster ${lookups.clusterName}`}
        stale={stale}
        sort={sort}
        onSort={onSort}
      />
    </div>
  );
});
