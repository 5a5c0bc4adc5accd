import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { ErrorPanel } from '../../../components/error-panel.tsx';
import { TableSkeleton } from '../../../components/skeleton.tsx';
import { orgsQueryOptions } from '../../../data/projects/queries.ts';
import { useNow } from '../../../lib/use-now.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { filterRows, scopeRows, sortRows, summarize } from '../api/fleet-order.ts';
import { cachedFleetRow } from '../api/fleet-rows.ts';
import {
  DEFAULT_OLD_AFTER,
  DEFAULT_STALE_AFTER,
  resolveFleetSearch,
  type FleetSearch,
  type FleetSortKey,
} from '../api/fleet-search.ts';
import { useFleetClusters } from '../api/use-fleet.ts';
import { FleetStatus } from './fleet-status.tsx';
import { FleetTable } from './fleet-table.tsx';
import { FleetTiles } from './fleet-tiles.tsx';
import { FleetToolbar } from './fleet-toolbar.tsx';

/** Clicking a column sorts by it (largest / newest first where that is what one looks for), again reverses. */
function nextSort(current: string | undefined, key: FleetSortKey): string {
  const descFirst = key === 'failures' || key === 'running' || key === 'total';
  if (current === key) return `-${key}`;
  if (current === `-${key}`) return key;
  return descFirst ? `-${key}` : key;
}

export function FleetPage({
  search,
  onSearch,
}: {
  search: FleetSearch;
  onSearch: (patch: Partial<FleetSearch>, replace?: boolean) => void;
}) {
  useDocumentTitle('Fleet');
  const now = useNow(15_000);
  const { window, staleMs, oldMs, sort } = resolveFleetSearch(search);
  const fleet = useFleetClusters();
  const orgs = useQuery({ ...orgsQueryOptions, retry: false });
  const all = fleet.clusters.map((c) => cachedFleetRow(c, { window, staleMs, oldMs, now }));
  const scoped = scopeRows(all, search);
  const rows = sortRows(filterRows(scoped, search), sort);
  const summary = summarize(scoped);
  return (
    <section aria-labelledby="fleet-title" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h1 id="fleet-title" className="text-lg font-semibold text-slate-900">
          Fleet
        </h1>
        <p className="text-sm text-slate-600">Export health of every cluster these credentials can see.</p>
        <Link
          to="/projects"
          className="ml-auto rounded text-sm text-blue-700 hover:underline focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
        >
          All projects
        </Link>
      </div>
      {!fleet.projects && fleet.error != null && <ErrorPanel error={fleet.error} what="the projects" />}
      {!fleet.projects && fleet.error == null && <TableSkeleton rows={8} columns={8} />}
      {fleet.projects && (
        <>
          <FleetTiles summary={summary} window={window} show={search.show} onShow={(show) => onSearch({ show })} />
          <FleetToolbar
            search={search}
            window={window}
            orgs={orgs.data?.results ?? []}
            projects={fleet.projects}
            onChange={(patch) => onSearch(patch, 'q' in patch)}
          />
          <FleetStatus
            summary={summary}
            shown={rows.length}
            staleAfter={search.staleAfter ?? DEFAULT_STALE_AFTER}
            oldAfter={search.oldAfter ?? DEFAULT_OLD_AFTER}
          />
          <FleetTable
            rows={rows}
            window={window}
            sort={sort}
            onSort={(key) => onSearch({ sort: nextSort(search.sort, key) })}
          />
          {rows.length === 0 && (
            <p className="rounded-md border border-slate-200 bg-white p-4 text-sm text-slate-700">
              No cluster matches these filters.
            </p>
          )}
        </>
      )}
    </section>
  );
}
