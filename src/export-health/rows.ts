import type { ExportJob } from '../../../../atlas/types.ts';
import type { ExportHistory } from '../../../data/export-history/model.ts';
import { failuresInWindow, lastSuccess, progressRatio } from '../../../data/export-history/query-jobs.ts';
import type { RelativeWindow } from '../../../data/export-history/time-window.ts';

export type Freshness = 'fresh' | 'stale' | 'old' | 'never' | 'none';

/** Why a row has no figures: a project or cluster Atlas refused, with the role the operation needs. */
export interface RowProblem {
  status: number;
  /** Plain words for the cell: "No access: needs Project Backup Manager". */
  reason: string;
  /** Retrying on its own (5xx, network, 429): the row still counts as loading. */
  transient?: boolean;
}

/** One cluster as the fleet knows it; `history` is absent until its first page arrives (or for backup off). */
export interface FleetCluster {
  orgId: string;
  orgName: string | undefined;
  groupId: string;
  projectName: string;
  /** Absent on a project row standing in for clusters that could not be listed. */
  clusterName: string | undefined;
  clusterType: string | undefined;
  backupEnabled: boolean;
  history: ExportHistory | undefined;
  problem: RowProblem | undefined;
}

export interface FleetRow extends FleetCluster {
  key: string;
  loading: boolean;
  lastSuccess: ExportJob | undefined;
  /** When the newest successful export finished (epoch ms); falls back on its creation. */
  lastSuccessAt: number | undefined;
  freshness: Freshness;
  running: number;
  queued: number;
  /** The running job furthest along. */
  furthest: ExportJob | undefined;
  failures: ExportJob[];
  total: number | undefined;
  /** 0 failing, 1 refused, 2 stale, 3 running, 4 healthy, 5 loading, 6 backup off. */
  rank: number;
}

export interface RowSettings {
  window: RelativeWindow;
  staleMs: number;
  oldMs: number;
  now: number;
}

const time = (iso: string | undefined) => {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
};

export function freshnessOf(jobs: readonly ExportJob[], at: number | undefined, s: RowSettings): Freshness {
  if (at === undefined) return jobs.length === 0 ? 'none' : 'never';
  const age = s.now - at;
  return age > s.oldMs ? 'old' : age > s.staleMs ? 'stale' : 'fresh';
}

function furthestRunning(jobs: readonly ExportJob[]): ExportJob | undefined {
  let best: ExportJob | undefined;
  for (const job of jobs) {
    if (job.state !== 'InProgress') continue;
    if (!best || (progressRatio(job) ?? 0) > (progressRatio(best) ?? 0)) best = job;
  }
  return best;
}

function rankOf(row: Omit<FleetRow, 'rank'>): number {
  if (!row.backupEnabled) return 6;
  if (row.failures.length > 0) return 0;
  if (row.loading) return 5;
  if (row.problem) return 1;
  if (row.freshness === 'stale' || row.freshness === 'old' || row.freshness === 'never') return 2;
  if (row.running + row.queued > 0) return 3;
  return 4;
}

/** The figures of one row, from whatever of the cluster's history has arrived. */
export function fleetRow(c: FleetCluster, s: RowSettings): FleetRow {
  const jobs = c.history?.jobs ?? [];
  const success = lastSuccess(jobs);
  const lastSuccessAt = success ? (time(success.finishedAt) ?? time(success.createdAt)) : undefined;
  const complete = c.history?.complete ?? false;
  const row = {
    ...c,
    key: `${c.groupId}/${c.clusterName ?? ''}`,
    loading: c.backupEnabled && (!c.problem || c.problem.transient === true) && !complete,
    lastSuccess: success,
    lastSuccessAt,
    freshness: c.history ? freshnessOf(jobs, lastSuccessAt, s) : ('none' as const),
    running: jobs.filter((j) => j.state === 'InProgress').length,
    queued: jobs.filter((j) => j.state === 'Queued').length,
    furthest: furthestRunning(jobs),
    failures: failuresInWindow(jobs, s.window, s.now),
    total: c.history ? (complete ? jobs.length : c.history.estimatedTotal) : undefined,
  };
  return { ...row, rank: rankOf(row) };
}

const rowCache = new WeakMap<ExportHistory, { key: string; row: FleetRow }>();

/**
 * fleetRow, remembered per history object: while histories arrive one by one, every other row keeps its object,
 * so the table's memoised rows skip re-rendering. Rows without a history are cheap and always rebuilt.
 */
export function cachedFleetRow(c: FleetCluster, s: RowSettings): FleetRow {
  if (!c.history) return fleetRow(c, s);
  const key = [s.window, s.staleMs, s.oldMs, s.now, c.orgName, c.problem?.reason, c.clusterType, c.backupEnabled].join(
    '|',
  );
  const hit = rowCache.get(c.history);
  if (hit?.key === key) return hit.row;
  const row = fleetRow(c, s);
  rowCache.set(c.history, { key, row });
  return row;
}
