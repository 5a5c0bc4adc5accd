import type { QueryClient } from '@tanstack/react-query';
import { createRouter } from '@tanstack/react-router';
import { exportDetailsRoute, exportsRoute } from '../routes/exports.tsx';
import { fleetRoute } from '../routes/fleet.tsx';
import { projectRoute, projectsRoute } from '../routes/projects.tsx';
import { rootRoute } from '../routes/root.tsx';

const routeTree = rootRoute.addChildren([fleetRoute, projectsRoute, projectRoute, exportsRoute, exportDetailsRoute]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: 'intent',
    // Data freshness is TanStack Query's job; the router cache would only hold `undefined` loader results.
    defaultPreloadStaleTime: 0,
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
