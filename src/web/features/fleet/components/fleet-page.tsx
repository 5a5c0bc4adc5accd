import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import {
  filterRows,
  fleetRow,
  scopeRows,
  sortRows,
  summarize,
  type FleetSnapshot,
} from '../../../../export-health/index.ts';
import { ErrorPanel } from '../../../components/error-panel.tsx';
import { TableSkeleton } from '../../../components/skeleton.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { useNow } from '../../../lib/use-now.ts';
import { fleetFindQueryOptions, fleetQueryOptions, idQuery } from '../api/fleet-query.ts';
import {
  DEFAULT_OLD_AFTER,
  DEFAULT_STALE_AFTER,
  fleetSearchNotices,
  resolveFleetSearch,
  type FleetSearch,
  type FleetSortKey,
} from '../api/fleet-search.ts';
import { AtlasBanner, FleetStatus } from './fleet-status.tsx';
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

/** What the address asked for that the page could not honour, read once from the URL the page opened with. */
function useOpeningNotices(): [string[], () => void] {
  const [notes, setNotes] = useState(() =>
    typeof window === 'undefined'
      ? []
      : fleetSearchNotices(Object.fromEntries(new URLSearchParams(window.location.search))),
  );
  return [notes, () => setNotes([])];
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
  const fleet = useQuery(fleetQueryOptions);
  const id = idQuery(search.q);
  const found = useQuery(fleetFindQueryOptions(id));
  const [notices, dismiss] = useOpeningNotices();
  const data: FleetSnapshot | undefined = fleet.data;
  const failingSince = data && data.atlas.state !== 'ok' ? data.atlas.since : undefined;
  const all = useMemo(
    () =>
      (data?.clusters ?? []).map((c) =>
        fleetRow(c, { window, staleMs, oldMs, now, intervals: data?.intervals, failingSince }),
      ),
    [data, window, staleMs, oldMs, now, failingSince],
  );
  const hits = useMemo(
    () => new Set((found.data?.clusters ?? []).map((c) => `${c.groupId}/${c.clusterName}`)),
    [found.data],
  );
  const scoped = useMemo(() => scopeRows(all, search), [all, search]);
  const rows = useMemo(() => sortRows(filterRows(scoped, search, hits), sort), [scoped, search, hits, sort]);
  const summary = useMemo(() => summarize(scoped), [scoped]);
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
      {notices.length > 0 && (
        <div
          role="note"
          data-testid="fleet-notices"
          className="rounded-md border border-slate-300 bg-slate-50 px-3 py-2 text-sm text-slate-800"
        >
          <ul className="list-disc pl-5">
            {notices.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
          <button
            type="button"
            onClick={dismiss}
            className="mt-1 rounded text-xs text-blue-700 hover:underline focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
          >
            Dismiss
          </button>
        </div>
      )}
      {!data && fleet.error != null && <ErrorPanel error={fleet.error} what="the fleet" />}
      {!data && fleet.error == null && <TableSkeleton rows={8} columns={8} />}
      {data && (
        <>
          {fleet.error != null && <ErrorPanel error={fleet.error} what="the fleet" />}
          <AtlasBanner atlas={data.atlas} outdated={summary.outdated} />
          <FleetTiles summary={summary} window={window} show={search.show} onShow={(show) => onSearch({ show })} />
          <FleetToolbar
            search={search}
            window={window}
            orgs={data.orgs}
            projects={data.projects}
            onChange={(patch) => onSearch(patch, 'q' in patch)}
          />
          <FleetStatus
            summary={summary}
            progress={data.progress}
            shown={rows.length}
            staleAfter={search.staleAfter ?? DEFAULT_STALE_AFTER}
            oldAfter={search.oldAfter ?? DEFAULT_OLD_AFTER}
          />
          {id && found.data && found.data.clusters.length > 0 && (
            <p className="text-sm text-slate-700" data-testid="id-found">
              Job or snapshot {id} belongs to {found.data.clusters.map((c) => c.clusterName).join(', ')}.
            </p>
          )}
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
