import { useQuery } from '@tanstack/react-query';
import { createRoute, redirect, useLocation, useNavigate } from '@tanstack/react-router';
import { lazy, Suspense, useMemo } from 'react';
import { exportHistoryQueryOptions } from '../data/export-history/history-query.ts';
import { historyHoldsPage } from '../data/export-history/model.ts';
import { needsHistory } from '../features/exports/api/history-search.ts';
import { openingNotices } from '../features/exports/api/search-notices.ts';
import { projectQueryOptions } from '../features/projects/api/projects.ts';
import { TableSkeleton } from '../components/skeleton.tsx';
import { exportJobListQueryOptions, exportJobQueryOptions } from '../features/exports/api/export-jobs.ts';
import { perPagePreference } from '../features/exports/api/live-settings.ts';
import {
  pagingSearch,
  resolvePaging,
  validateExportsSearch,
  type ExportsSearch,
} from '../features/exports/api/exports-search.ts';
import { ExportJobsPage } from '../features/exports/components/export-jobs-page.tsx';
import { isNewHistoryEntry } from '../app/history-entries.ts';
import { clusterParams, exportParams } from '../app/route-params.ts';
import { rootRoute } from './root.tsx';

export const exportsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/projects/$groupId/clusters/$clusterName/exports',
  params: clusterParams,
  validateSearch: validateExportsSearch,
  // The URL is the whole view: a page size is in it whenever it is not the default, so a bookmark with filters or
  // a page shows the same rows in every browser. Only a bare address (a new visit to a cluster, no view in it yet)
  // takes the page size last chosen, replacing its own entry; Back and Forward return to entries as they were.
  beforeLoad: ({ search, params, preload, location }) => {
    if (preload) return;
    const fresh = isNewHistoryEntry(location.state.__TSR_key ?? location.state.key);
    const remembered = pagingSearch(1, perPagePreference.get()).perPage;
    const bare = Object.values(search).every((v) => v === undefined);
    if (fresh && bare && remembered !== undefined) {
      throw redirect({ to: exportsRoute.fullPath, params, search: { ...search, perPage: remembered }, replace: true });
    }
  },
  loaderDeps: ({ search }) => ({ ...resolvePaging(search), history: needsHistory(search) }),
  // Start the request while React renders; the page itself reads it through useQuery and never blocks on it.
  loader: ({ context, params, deps }) => {
    const { queryClient } = context;
    // The table's page is a slice of the history whenever the history reaches it (use-export-jobs.ts).
    if (deps.history || historyHoldsPage(deps.page, deps.perPage))
      void queryClient.prefetchQuery(exportHistoryQueryOptions(params.groupId, params.clusterName));
    else
      void queryClient.prefetchQuery(
        exportJobListQueryOptions(params.groupId, params.clusterName, deps.page, deps.perPage),
      );
  },
  component: ExportsRouteComponent,
});

function ExportsRouteComponent() {
  const { groupId, clusterName } = exportsRoute.useParams();
  const search = exportsRoute.useSearch();
  const navigate = useNavigate({ from: exportsRoute.fullPath });
  const onSearch = (next: ExportsSearch, options?: { replace?: boolean }) =>
    void navigate({ search: next, replace: options?.replace ?? false });
  const pathname = useLocation({ select: (l) => l.pathname });
  const notices = useMemo(() => openingNotices(pathname, search, validateExportsSearch), [pathname, search]);
  const project = useQuery(projectQueryOptions(groupId));
  return (
    <ExportJobsPage
      groupId={groupId}
      clusterName={clusterName}
      search={search}
      onSearch={onSearch}
      notices={notices}
      projectName={project.data?.name ?? groupId}
    />
  );
}

const ExportJobDetails = lazy(() =>
  import('../features/exports/components/export-job-details.tsx').then((m) => ({ default: m.ExportJobDetails })),
);

export const exportDetailsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/projects/$groupId/clusters/$clusterName/exports/$exportId',
  params: exportParams,
  // Carries the table's page so the breadcrumb returns to it.
  validateSearch: validateExportsSearch,
  loader: ({ context, params }) =>
    void context.queryClient.prefetchQuery(exportJobQueryOptions(params.groupId, params.clusterName, params.exportId)),
  component: function ExportDetailsRouteComponent() {
    const params = exportDetailsRoute.useParams();
    return (
      <Suspense fallback={<TableSkeleton rows={6} columns={2} />}>
        <ExportJobDetails {...params} />
      </Suspense>
    );
  },
});
