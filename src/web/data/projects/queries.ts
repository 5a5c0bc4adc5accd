import { queryOptions } from '@tanstack/react-query';
import type { ClusterPage, GroupPage, OrganizationPage } from '../../../atlas/types.ts';
import { atlasGet } from '../../lib/api-client.ts';

/**
 * Organizations, projects and their clusters: read by the projects pages and by the fleet, so they live outside
 * any one feature (one cache entry each, whoever asks first).
 */
export const projectKeys = {
  all: ['projects'] as const,
  list: () => [...projectKeys.all, 'list'] as const,
  orgs: () => [...projectKeys.all, 'orgs'] as const,
  detail: (groupId: string) => [...projectKeys.all, 'detail', groupId] as const,
  clusters: (groupId: string) => [...projectKeys.all, 'detail', groupId, 'clusters'] as const,
  latestExport: (groupId: string, clusterName: string) =>
    [...projectKeys.all, 'detail', groupId, 'clusters', clusterName, 'latestExport'] as const,
};

/** Up to 500 projects in one call, Atlas's largest page. */
export const projectsQueryOptions = queryOptions({
  queryKey: projectKeys.list(),
  queryFn: ({ signal }) => atlasGet<GroupPage>('listGroups', {}, { itemsPerPage: 500 }, signal),
  staleTime: 60_000,
});

/** Organizations, for their names beside projects (a project only carries its orgId). */
export const orgsQueryOptions = queryOptions({
  queryKey: projectKeys.orgs(),
  queryFn: ({ signal }) => atlasGet<OrganizationPage>('listOrgs', {}, { itemsPerPage: 500 }, signal),
  staleTime: 5 * 60_000,
});

export function clustersQueryOptions(groupId: string) {
  return queryOptions({
    queryKey: projectKeys.clusters(groupId),
    queryFn: ({ signal }) => atlasGet<ClusterPage>('listGroupClusters', { groupId }, { itemsPerPage: 500 }, signal),
    staleTime: 60_000,
  });
}
