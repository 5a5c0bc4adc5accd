import { queryOptions } from '@tanstack/react-query';
import type { ExportJobPage, Group } from '../../../../atlas/types.ts';
import {
  clustersQueryOptions,
  orgsQueryOptions,
  projectKeys,
  projectsQueryOptions,
} from '../../../data/projects/queries.ts';
import { atlasGet } from '../../../lib/api-client.ts';

export { clustersQueryOptions, orgsQueryOptions, projectKeys, projectsQueryOptions };

export function projectQueryOptions(groupId: string) {
  return queryOptions({
    queryKey: projectKeys.detail(groupId),
    queryFn: ({ signal }) => atlasGet<Group>('getGroup', { groupId }, {}, signal),
    staleTime: 5 * 60_000,
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
