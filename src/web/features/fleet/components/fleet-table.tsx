import { lazy, memo, Suspense, useEffect, useRef } from 'react';
import { Link } from '@tanstack/react-router';
import type { FleetRow, FleetSort, FleetSortKey } from '../../../../export-health/index.ts';
import { attachRowKeys, syncRowTabStops } from '../../../components/row-keys.ts';
import { SortHeaderRow } from '../../../components/toolbar.tsx';
import { DrillLink, clusterTableHref } from './drill-link.tsx';
import {
  AutoExportCell,
  CheckedCell,
  FailuresCell,
  LastSuccessCell,
  NewestFailureCell,
  RunningCell,
  TotalCell,
} from './fleet-cells.tsx';

// Loaded only by a fleet long enough to window (the cluster table loads it the same way).
const VirtualRows = lazy(() =>
  import('../../../components/virtual-rows.tsx').then((m) => ({ default: m.VirtualRows })),
);

const TYPE_SHORT: Record<string, string> = { REPLICASET: 'replica set', SHARDED: 'sharded', GEOSHARDED: 'global' };
/** Below `lg` a row is a card (a two-column grid), failures and their reasons right under the name. */
const cell = 'px-3 py-1.5 align-middle max-lg:p-0';
/** Beyond this many rows only those near the viewport are rendered. */
const WINDOWED_FROM = 150;
const COLUMN_COUNT = 10;

interface Column {
  key: FleetSortKey | 'reason' | 'auto';
  label: string;
  right?: boolean;
}

function SortHeader({
  col,
  sort,
  onSort,
}: {
  col: Column;
  sort: FleetSort | undefined;
  onSort: (k: FleetSortKey) => void;
}) {
  if (col.key === 'reason' || col.key === 'auto')
    return (
      <th scope="col" className="px-3 py-2 font-medium whitespace-nowrap">
        {col.label}
      </th>
    );
  const key = col.key;
  const active = sort?.key === key;
  const arrow = active ? (sort.desc ? '↓' : '↑') : '';
  return (
    <th
      scope="col"
      aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'}
      className={`px-3 py-2 font-medium whitespace-nowrap ${col.right ? 'text-right' : ''}`}
    >
      <button
        type="button"
        onClick={() => onSort(key)}
        className={`inline-flex items-center gap-1 rounded hover:text-slate-900 focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none ${active ? 'text-slate-900' : ''}`}
      >
        {col.label}
        <span aria-hidden="true" className="w-2 text-slate-500">
          {arrow}
        </span>
      </button>
    </th>
  );
}

function ClusterCell({ row }: { row: FleetRow }) {
  const where = (
    <span className="block text-xs text-slate-500 lg:hidden">
      {row.projectName} · {row.orgName ?? row.orgId.slice(-6)}
    </span>
  );
  if (!row.clusterName)
    return (
      <span>
        <span className="text-slate-500 italic">{row.problem ? 'clusters not listed' : 'listing clusters…'}</span>
        {where}
      </span>
    );
  return (
    <span>
      <span className="flex items-center gap-2 whitespace-nowrap">
        <DrillLink
          primary
          href={clusterTableHref(row.groupId, row.clusterName)}
          className="rounded font-medium text-blue-700 hover:underline focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
        >
          {row.clusterName}
        </DrillLink>
        {row.clusterType && row.clusterType !== 'REPLICASET' && (
          <span className="text-xs text-slate-500">{TYPE_SHORT[row.clusterType] ?? row.clusterType}</span>
        )}
        {!row.backupEnabled && (
          <span className="rounded bg-slate-100 px-1 text-xs text-slate-600 ring-1 ring-slate-300 ring-inset">
            backup off
          </span>
        )}
      </span>
      {where}
    </span>
  );
}

const wide = 'max-lg:col-span-2';

function Figures({ row, window }: { row: FleetRow; window: string }) {
  if (!row.backupEnabled)
    return (
      <td colSpan={7} className={`${cell} ${wide} text-slate-500`}>
        Backup off: nothing to export
      </td>
    );
  if (row.problem)
    return (
      <td colSpan={7} className={`${cell} ${wide} text-red-800 max-lg:order-1`} data-testid="row-problem">
        {row.problem.reason} <span className="text-xs text-slate-500">({row.problem.status})</span>
      </td>
    );
  if (!row.jobs)
    return (
      <td colSpan={7} className={`${cell} ${wide}`} aria-label="Not checked yet">
        {row.error ? (
          <span className="text-xs text-amber-800">{row.error.reason}</span>
        ) : (
          <span className="block h-2.5 w-2/3 animate-pulse rounded bg-slate-200" />
        )}
      </td>
    );
  return (
    <>
      <td className={`${cell} max-lg:order-3`}>
        <LastSuccessCell row={row} />
      </td>
      <td className={`${cell} max-lg:order-4`}>
        <RunningCell row={row} />
      </td>
      <td className={`${cell} max-lg:order-1 max-lg:text-left`}>
        <span className="flex items-center gap-1 lg:block">
          <FailuresCell row={row} window={window} />
          <span className="text-xs text-slate-500 lg:hidden">failed ({window})</span>
        </span>
      </td>
      <td className={`${cell} max-lg:order-2 ${wide}`}>
        <NewestFailureCell row={row} />
      </td>
      <td className={`${cell} max-lg:order-7`}>
        <span className="flex items-center gap-1 text-xs lg:block lg:text-sm">
          <TotalCell row={row} />
          <span className="text-slate-500 lg:hidden">jobs</span>
        </span>
      </td>
      <td className={`${cell} max-lg:order-6 max-lg:text-right`}>
        <span className="text-xs text-slate-500 lg:hidden">auto-export </span>
        <AutoExportCell row={row} />
      </td>
      <td className={`${cell} max-lg:order-5`}>
        <CheckedCell row={row} />
      </td>
    </>
  );
}

/** Memoised: a row whose figures did not change (most of them, between two polls) is not re-rendered. */
const FleetTableRow = memo(function FleetTableRow({
  row,
  window,
  measureRef,
  index,
}: {
  row: FleetRow;
  window: string;
  measureRef?: (el: HTMLTableRowElement | null) => void;
  index?: number;
}) {
  return (
    <tr
      ref={measureRef}
      data-index={index}
      data-row-id={row.key}
      data-cluster={row.clusterName ?? ''}
      data-group={row.groupId}
      data-loading={row.loading ? 'true' : 'false'}
      data-outdated={row.outdated ? 'true' : 'false'}
      className={`border-b border-slate-100 last:border-0 hover:bg-slate-50 max-lg:grid max-lg:grid-cols-[1fr_auto] max-lg:items-center max-lg:gap-x-3 max-lg:gap-y-1 max-lg:px-3 max-lg:py-2 ${row.outdated ? 'bg-amber-50/40' : ''}`}
    >
      <td className={`${cell} whitespace-nowrap text-slate-600 max-lg:hidden`}>{row.orgName ?? row.orgId.slice(-6)}</td>
      <td className={`${cell} whitespace-nowrap max-lg:hidden`}>
        <Link
          to="/projects/$groupId"
          params={{ groupId: row.groupId }}
          className="rounded text-slate-700 hover:underline focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
        >
          {row.projectName}
        </Link>
      </td>
      <td className={`${cell} max-lg:order-first ${wide}`}>
        <ClusterCell row={row} />
      </td>
      <Figures row={row} window={window} />
    </tr>
  );
});

export function FleetTable({
  rows,
  window,
  sort,
  onSort,
}: {
  rows: FleetRow[];
  window: string;
  sort: FleetSort | undefined;
  onSort: (key: FleetSortKey) => void;
}) {
  const columns: Column[] = [
    { key: 'org', label: 'Organization' },
    { key: 'project', label: 'Project' },
    { key: 'cluster', label: 'Cluster' },
    { key: 'lastSuccess', label: 'Last success' },
    { key: 'running', label: 'Running now' },
    { key: 'failures', label: `Failed (${window})`, right: true },
    { key: 'reason', label: 'Newest failure' },
    { key: 'total', label: 'Jobs', right: true },
    { key: 'auto', label: 'Auto-export' },
    { key: 'checked', label: 'Checked' },
  ];
  // One tab stop for the whole table, like the jobs table: ↑/↓ between clusters, Enter opens the cluster's jobs.
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => (container.current ? attachRowKeys(container.current) : undefined), []);
  // Rows re-sort as figures change; React keeps each row's element, so the old stop would travel down the
  // table with its cluster. Unless someone is in the table, the first row is the stop: Tab lands on row 1.
  const first = rows[0]?.key;
  useEffect(() => {
    const el = container.current;
    // Someone on a row keeps their place; focus on a column header (a sort just clicked) does not count.
    if (!el || document.activeElement?.closest('tr[data-row-id]')) return;
    const top = el.querySelector('tr[data-row-id]');
    if (top) syncRowTabStops(el, top);
  }, [first, rows.length]);
  const windowed = rows.length >= WINDOWED_FROM;
  return (
    <div ref={container} className="rounded-md border border-slate-200 bg-white lg:overflow-x-auto">
      <table className="w-full border-collapse text-left text-sm tabular-nums max-lg:block">
        <caption className="sr-only">Fleet: export health per cluster</caption>
        <thead className="sticky top-0 border-b border-slate-200 bg-slate-50 text-xs text-slate-600 max-lg:hidden">
          <SortHeaderRow>
            {columns.map((c) => (
              <SortHeader key={c.key} col={c} sort={sort} onSort={onSort} />
            ))}
          </SortHeaderRow>
        </thead>
        {windowed ? (
          <Suspense fallback={<tbody />}>
            <VirtualRows
              count={rows.length}
              columnCount={COLUMN_COUNT}
              renderRow={(i, measureRef) => (
                <FleetTableRow key={rows[i]!.key} row={rows[i]!} window={window} measureRef={measureRef} index={i} />
              )}
            />
          </Suspense>
        ) : (
          <tbody className="max-lg:block">
            {rows.map((row) => (
              <FleetTableRow key={row.key} row={row} window={window} />
            ))}
          </tbody>
        )}
      </table>
    </div>
  );
}
