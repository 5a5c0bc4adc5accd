import { memo, useEffect, useRef } from 'react';
import { Link } from '@tanstack/react-router';
import type { FleetRow } from '../api/fleet-rows.ts';
import type { FleetSort, FleetSortKey } from '../api/fleet-search.ts';
import { attachRowKeys } from '../../../components/row-keys.ts';
import { DrillLink, clusterTableHref } from './drill-link.tsx';
import { FailuresCell, LastSuccessCell, NewestFailureCell, RunningCell, TotalCell } from './fleet-cells.tsx';
import { SortHeaderRow } from '../../../components/toolbar.tsx';

const TYPE_SHORT: Record<string, string> = { REPLICASET: 'replica set', SHARDED: 'sharded', GEOSHARDED: 'global' };
const cell = 'px-3 py-1.5 align-middle';

interface Column {
  key: FleetSortKey | 'reason';
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
  if (col.key === 'reason')
    return (
      <th scope="col" className="px-3 py-2 font-medium">
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
  if (!row.clusterName)
    return <span className="text-slate-500 italic">{row.problem ? 'clusters not listed' : 'listing clusters…'}</span>;
  return (
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
  );
}

function Figures({ row, window }: { row: FleetRow; window: string }) {
  if (!row.backupEnabled)
    return (
      <td colSpan={5} className={`${cell} text-slate-500`}>
        Backup off: nothing to export
      </td>
    );
  if (row.problem)
    return (
      <td colSpan={5} className={`${cell} text-red-800`} data-testid="row-problem">
        {row.problem.reason} <span className="text-xs text-slate-500">({row.problem.status})</span>
      </td>
    );
  if (!row.history)
    return (
      <td colSpan={5} className={cell} aria-label="Loading">
        <span className="block h-2.5 w-2/3 animate-pulse rounded bg-slate-200" />
      </td>
    );
  return (
    <>
      <td className={cell}>
        <LastSuccessCell row={row} />
      </td>
      <td className={cell}>
        <RunningCell row={row} />
      </td>
      <td className={cell}>
        <FailuresCell row={row} window={window} />
      </td>
      <td className={cell}>
        <NewestFailureCell row={row} />
      </td>
      <td className={cell}>
        <TotalCell row={row} />
      </td>
    </>
  );
}

/** Memoised: a row whose figures did not change (most of them, as histories arrive one by one) is not re-rendered. */
const FleetTableRow = memo(function FleetTableRow({ row, window }: { row: FleetRow; window: string }) {
  return (
    <tr
      data-row-id={row.key}
      data-cluster={row.clusterName ?? ''}
      data-group={row.groupId}
      data-loading={row.loading ? 'true' : 'false'}
      className="border-b border-slate-100 last:border-0 hover:bg-slate-50"
    >
      <td className={`${cell} whitespace-nowrap text-slate-600`}>{row.orgName ?? row.orgId.slice(-6)}</td>
      <td className={`${cell} whitespace-nowrap`}>
        <Link
          to="/projects/$groupId"
          params={{ groupId: row.groupId }}
          className="rounded text-slate-700 hover:underline focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
        >
          {row.projectName}
        </Link>
      </td>
      <td className={cell}>
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
  ];
  // One tab stop for the whole table, like the jobs table: ↑/↓ between clusters, Enter opens the cluster's jobs.
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => (container.current ? attachRowKeys(container.current) : undefined), []);
  return (
    <div ref={container} className="overflow-x-auto rounded-md border border-slate-200 bg-white">
      <table className="w-full border-collapse text-left text-sm tabular-nums">
        <caption className="sr-only">Fleet: export health per cluster</caption>
        <thead className="sticky top-0 border-b border-slate-200 bg-slate-50 text-xs text-slate-600">
          <SortHeaderRow>
            {columns.map((c) => (
              <SortHeader key={c.key} col={c} sort={sort} onSort={onSort} />
            ))}
          </SortHeaderRow>
        </thead>
        <tbody>
          {rows.map((row) => (
            <FleetTableRow key={row.key} row={row} window={window} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
