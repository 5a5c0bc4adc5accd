import { createRoute, useNavigate } from '@tanstack/react-router';
import { fleetQueryOptions } from '../features/fleet/api/fleet-query.ts';
import { patchFleetSearch, validateFleetSearch, type FleetSearch } from '../features/fleet/api/fleet-search.ts';
import { FleetPage } from '../features/fleet/components/fleet-page.tsx';
import { rootRoute } from './root.tsx';

export const fleetRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  validateSearch: validateFleetSearch,
  // The fleet is one request to the server's watch: start it while React renders.
  loader: ({ context }) => void context.queryClient.prefetchQuery(fleetQueryOptions),
  component: FleetRouteComponent,
});

function FleetRouteComponent() {
  // The router lays the validated values over the raw ones (the root route keeps the raw query), so a value
  // validation dropped (`?staleAfter=xyz`) would still be there: validate what the page uses once more.
  const search = validateFleetSearch(fleetRoute.useSearch());
  const navigate = useNavigate({ from: fleetRoute.fullPath });
  // Typing in the search box replaces the history entry instead of adding one per keystroke.
  const onSearch = (patch: Partial<FleetSearch>, replace = false) =>
    void navigate({ search: (prev) => patchFleetSearch(prev, patch), replace });
  return <FleetPage search={search} onSearch={onSearch} />;
}
