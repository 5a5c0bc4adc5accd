import type { QueryClient } from '@tanstack/react-query';
import { createRouter, parseSearchWith, stringifySearchWith } from '@tanstack/react-router';
import { exportDetailsRoute, exportsRoute } from '../routes/exports.tsx';
import { alertsRoute } from '../routes/alerts.tsx';
import { fleetRoute } from '../routes/fleet.tsx';
import { activityRoute } from '../routes/activity.tsx';
import { projectRoute, projectsRoute } from '../routes/projects.tsx';
import { rootRoute } from '../routes/root.tsx';
import { RouteError } from './route-error.tsx';

const routeTree = rootRoute.addChildren([
  fleetRoute,
  projectsRoute,
  projectRoute,
  exportsRoute,
  exportDetailsRoute,
  activityRoute,
  alertsRoute,
]);

/**
 * Search values stay text: the default JSON reading turns `q=0012` into 12 and a 30-digit id into 1e+29, which a
 * search box cannot give back. Each route's validateSearch reads numbers from text itself.
 */
function keepAsText(): never {
  throw new Error('search values are read as text');
}

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: 'intent',
    // Data freshness is TanStack Query's job; the router cache would only hold `undefined` loader results.
    defaultPreloadStaleTime: 0,
    scrollRestoration: true,
    // Every route's boundary keeps the header and breadcrumbs around the error and offers a retry.
    defaultErrorComponent: RouteError,
    parseSearch: parseSearchWith(keepAsText),
    stringifySearch: stringifySearchWith(JSON.stringify),
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
