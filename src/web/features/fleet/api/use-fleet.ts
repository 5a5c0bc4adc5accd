import { useQueries, useQuery, type Query } from '@tanstack/react-query';
import { operation, type OperationId } from '../../../../atlas/operations.ts';
import type { Cluster, Group } from '../../../../atlas/types.ts';
import { exportHistoryQueryOptions } from '../../../data/export-history/history-query.ts';
import { hasActiveJobs, type ExportHistory } from '../../../data/export-history/model.ts';
import { clustersQueryOptions, orgsQueryOptions, projectsQueryOptions } from '../../../data/projects/queries.ts';
import { isAtlasRequestError } from '../../../lib/api-client.ts';
import type { FleetCluster, RowProblem } from './fleet-rows.ts';

/** The cluster table's cadence: every 5 s while a job runs, every minute otherwise. */
export const FLEET_ACTIVE_MS = 5_000;
export const FLEET_IDLE_MS = 60_000;
/** Atlas's advice when a 429 carries no Retry-After: wait at least 10 s. */
const RATE_LIMIT_WAIT_MS = 10_000;

/**
 * Refresh per cluster: only clusters with a job queued or running poll fast. After a 429 the next try waits for
 * the shared gate (it holds every request until Retry-After); an error retrying cannot fix stops polling.
 */
/** The part of a history query's state the cadence depends on. */
export interface PollInput {
  state: Pick<Query<ExportHistory>['state'], 'data' | 'error' | 'errorUpdatedAt' | 'status'>;
}

export function historyPollMs(query: PollInput, now = Date.now()): number | false {
  const { data, error, errorUpdatedAt } = query.state;
  if (isAtlasRequestError(error) && error.isPermanent) return false;
  // The cluster that met the 429 asks again as soon as Retry-After ends (the gate opens for everyone then).
  if (isAtlasRequestError(error) && error.status === 429 && query.state.status === 'error')
    return Math.max(250, errorUpdatedAt + (error.retryAfterMs ?? RATE_LIMIT_WAIT_MS) - now);
  return hasActiveJobs(data?.jobs) ? FLEET_ACTIVE_MS : FLEET_IDLE_MS;
}

/** A refusal in words, with the role the refused operation needs (from the operation table, not Atlas's text). */
export function problemOf(error: unknown, op: OperationId, hasData = false): RowProblem | undefined {
  if (!isAtlasRequestError(error)) return undefined;
  if (!error.isPermanent) {
    // With figures on screen, a failed refresh keeps them; without any, say why the row is empty.
    if (hasData) return undefined;
    return error.status === 429
      ? { status: 429, reason: 'Atlas is rate limiting: waiting for it', transient: true }
      : { status: error.status, reason: 'Unavailable: retrying', transient: true };
  }
  const role = operation(op).role;
  if (error.status === 403)
    return { status: 403, reason: role ? `No access: needs the ${role} role` : 'No access (403)' };
  if (error.status === 404) return { status: 404, reason: 'Not found: deleted or renamed?' };
  if (error.status === 401) return { status: 401, reason: 'Atlas rejected the dashboard’s credentials' };
  return { status: error.status, reason: `Atlas refused the request (${error.status})` };
}

type Named = Cluster & { name: string };
const named = (c: Cluster): c is Named => typeof c.name === 'string' && c.name.length > 0;

/**
 * Every cluster of every project the credentials can see, with its whole export history as it arrives. Rows
 * exist as soon as a project's cluster list does; backup-off clusters never ask for exports.
 */
export function useFleetClusters(): { clusters: FleetCluster[]; projects: Group[] | undefined; error: unknown } {
  const orgs = useQuery({ ...orgsQueryOptions, retry: false });
  const projects = useQuery(projectsQueryOptions);
  const groups = (projects.data?.results ?? []).filter((g): g is Group & { id: string } => Boolean(g.id));
  const lists = useQueries({ queries: groups.map((g) => clustersQueryOptions(g.id)) });
  const wanted = groups.flatMap((g, i) =>
    (lists[i]?.data?.results ?? []).filter(named).map((c) => ({ group: g, cluster: c })),
  );
  const histories = useQueries({
    queries: wanted.map(({ group, cluster }) => ({
      ...exportHistoryQueryOptions(group.id, cluster.name),
      enabled: cluster.backupEnabled !== false,
      refetchInterval: historyPollMs,
    })),
  });
  const orgName = (orgId: string) => orgs.data?.results.find((o) => o.id === orgId)?.name;
  const historyOf = new Map(wanted.map((w, i) => [`${w.group.id}/${w.cluster.name}`, histories[i]]));
  const clusters = groups.flatMap((g, i): FleetCluster[] => {
    const base = { orgId: g.orgId, orgName: orgName(g.orgId), groupId: g.id, projectName: g.name };
    const list = lists[i];
    if (!list?.data) return [projectRow(base, list?.error)];
    return list.data.results.filter(named).map((c) => {
      const h = historyOf.get(`${g.id}/${c.name}`);
      return {
        ...base,
        clusterName: c.name,
        clusterType: c.clusterType,
        backupEnabled: c.backupEnabled !== false,
        history: h?.data,
        problem: problemOf(h?.error, 'listGroupClusterBackupExports', h?.data !== undefined),
      };
    });
  });
  return { clusters, projects: projects.data?.results, error: projects.error ?? projects.failureReason };
}

/** A project whose clusters are not known (yet): one row, loading or saying why Atlas refused. */
function projectRow(base: Pick<FleetCluster, 'orgId' | 'orgName' | 'groupId' | 'projectName'>, error: unknown) {
  return {
    ...base,
    clusterName: undefined,
    clusterType: undefined,
    backupEnabled: true,
    history: undefined,
    problem: problemOf(error, 'listGroupClusters'),
  };
}
