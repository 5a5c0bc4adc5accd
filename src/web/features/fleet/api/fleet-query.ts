import { queryOptions } from '@tanstack/react-query';
import type { FleetSnapshot } from '../../../../export-health/index.ts';
import { getJson } from '../../../lib/api-client.ts';

/**
 * The fleet as the server's watch holds it: one request. The server answers with an ETag and `no-cache`, so the
 * browser revalidates each poll (a 304 when nothing changed) and only a change costs a download and a parse.
 */
export const fleetQueryOptions = queryOptions({
  queryKey: ['fleet'] as const,
  queryFn: ({ signal }) => getJson<FleetSnapshot>('/api/fleet', 'application/json', signal),
  refetchInterval: (query) => pollMs(query.state.data),
  refetchIntervalInBackground: false,
  retry: 1,
});

/** Half the watch's active interval, between 1 and 5 seconds: a change shows within one interval. */
export function pollMs(data: FleetSnapshot | undefined): number {
  const active = data?.intervals.activeMs ?? 10_000;
  return Math.min(5_000, Math.max(1_000, Math.floor(active / 2)));
}

/** Clusters holding a job or snapshot with this id (the watch keeps the ids; rows do not carry them). */
export function fleetFindQueryOptions(id: string | undefined) {
  return queryOptions({
    queryKey: ['fleet', 'find', id ?? ''] as const,
    queryFn: ({ signal }) =>
      getJson<{ id: string; clusters: { groupId: string; clusterName: string }[] }>(
        `/api/fleet/find?id=${encodeURIComponent(id ?? '')}`,
        'application/json',
        signal,
      ),
    enabled: id !== undefined,
    staleTime: 10_000,
  });
}

const ID = /^[a-f0-9]{24}$/;
/** The search text as a job or snapshot id, when it is one. */
export const idQuery = (q: string | undefined) => {
  const t = q?.trim().toLowerCase();
  return t && ID.test(t) ? t : undefined;
};
