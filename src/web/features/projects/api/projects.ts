import { queryOptions } from '@tanstack/react-query';
import type { ClusterPage, ExportJobPage, Group, GroupPage, OrganizationPage } from '../../../../atlas/types.ts';
import { atlasGet } from '../../../lib/api-client.ts';

export const projectKeys = {
  all: ['projects'] as const,
  list: () => [...projectKeys.all, 'list'] as const,
  orgs: () => [...projectKeys.all, 'orgs'] as const,
  detail: (groupId: string) => [...projectKeys.all, 'detail', groupId] as const,
  clusters: (groupId: string) => [...projectKeys.all, 'detail', groupId, 'clusters'] as const,
  latestExport: (groupId: string, clusterName: string) =>
    [...projectKeys.all, 'detail', groupId, 'clusters', clusterName, 'latestExport'] as const,
};

/** The picker lists up to 500 projects: more than one page is a fleet view, which comes separately. */
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

export function projectQueryOptions(groupId: string) {
  return queryOptions({
    queryKey: projectKeys.detail(groupId),
    queryFn: ({ signal }) => atlasGet<Group>('getGroup', { groupId }, {}, signal),
    staleTime: 5 * 60_000,
  });
}

export function clustersQueryOptions(groupId: string) {
  return queryOptions({
    queryKey: projectKeys.clusters(groupId),
    queryFn: ({ signal }) => atlasGet<ClusterPage>('listGroupClusters', { groupId }, { itemsPerPage: 500 }, signal),
    staleTime: 60_000,
  });
}

/** The newest export job of a cluster and the (estimated) number of jobs: one small request per cluster row. */
export function latestExportQueryOptions(groupId: string, clusterName: string) {
  return queryOptions({
    queryKey: projectKeys.latestExport(groupId, clusterName),
    queryFn: ({ signal }) =>
      atlasGet<ExportJobPage>(
        'listGroupClusterBackupExports',
        { groupId, clusterName },
        { pageNum: 1, itemsPerPage: 1, includeCount: true },
        signal,
      ),
    staleTime: 60_000,
    // A 403 here (no Project Backup Manager role) should not retry per row.
    retry: false,
  });
}
