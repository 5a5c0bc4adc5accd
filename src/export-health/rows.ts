import { progressOf, type CompactJob } from './jobs.ts';
import type { ClusterHealth, WatchError } from './fleet.ts';
import { autoExportLabel, thresholdsFor } from './schedule.ts';

export type Freshness = 'fresh' | 'stale' | 'old' | 'never' | 'none';
export type RelativeWindow = '24h' | '7d' | '30d';
export const WINDOW_MS: Record<RelativeWindow, number> = {
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

/** One fleet row: a cluster's health with its figures for the chosen window and thresholds. */
export interface FleetRow extends ClusterHealth {
  key: string;
  /** No figures yet and none expected to be refused: the watch has not reached it. */
  loading: boolean;
  /** A refusal that will not pass on its own (403, 404): the row says why instead of figures. */
  problem: WatchError | undefined;
  /** The figures are not current: the last check failed, or it is overdue. */
  outdated: boolean;
  lastSuccess: CompactJob | undefined;
  /** When the newest successful export finished (epoch ms); falls back on its creation. */
  lastSuccessAt: number | undefined;
  freshness: Freshness;
  /** The thresholds this row was judged by (its schedule's, or the fleet's). */
  staleMs: number;
  autoExport: string | undefined;
  running: number;
  queued: number;
  /** The running job furthest along. */
  furthest: CompactJob | undefined;
  failures: CompactJob[];
  total: number | undefined;
  /** 0 failing, 1 refused, 2 stale, 3 running, 4 healthy, 5 loading, 6 backup off. */
  rank: number;
}

export interface RowSettings {
  window: RelativeWindow;
  staleMs: number;
  oldMs: number;
  now: number;
  /** The watch's cadence: a check older than a few of these is overdue. */
  intervals?: { activeMs: number; idleMs: number };
  /** Atlas failing since this instant: every row checked before it is outdated. */
  failingSince?: number;
}

export function freshnessOf(
  hasJobs: boolean,
  at: number | undefined,
  staleMs: number,
  oldMs: number,
  now: number,
): Freshness {
  if (at === undefined) return hasJobs ? 'never' : 'none';
  const age = now - at;
  return age > oldMs ? 'old' : age > staleMs ? 'stale' : 'fresh';
}

function furthestRunning(jobs: readonly CompactJob[]): CompactJob | undefined {
  let best: CompactJob | undefined;
  for (const job of jobs) {
    if (job.state !== 'InProgress') continue;
    if (!best || (progressOf(job) ?? 0) > (progressOf(best) ?? 0)) best = job;
  }
  return best;
}

function rankOf(row: Omit<FleetRow, 'rank'>): number {
  if (!row.backupEnabled) return 6;
  if (row.failures.length > 0) return 0;
  if (row.problem) return 1;
  if (row.loading) return 5;
  if (row.freshness === 'stale' || row.freshness === 'old' || row.freshness === 'never') return 2;
  if (row.running + row.queued > 0) return 3;
  return 4;
}

function isOutdated(c: ClusterHealth, active: boolean, s: RowSettings): boolean {
  if (!c.backupEnabled || c.checkedAt === undefined) return false;
  if (c.error) return true;
  if (s.failingSince !== undefined && c.checkedAt < s.failingSince) return true;
  if (!s.intervals) return false;
  const every = active ? s.intervals.activeMs : s.intervals.idleMs;
  return s.now - c.checkedAt > 3 * every + 60_000;
}

/** The figures of one row, from the cluster's digest as the watch holds it. */
export function fleetRow(c: ClusterHealth, s: RowSettings): FleetRow {
  const jobs = c.jobs;
  const success = jobs?.lastSuccess;
  const lastSuccessAt = success ? (success.finishedAt ?? success.createdAt) : undefined;
  const limits = thresholdsFor(c.schedule, s.staleMs, s.oldMs);
  const since = s.now - WINDOW_MS[s.window];
  const active = jobs?.active ?? [];
  const problem = c.error && !c.error.transient ? c.error : undefined;
  const row = {
    ...c,
    key: `${c.groupId}/${c.clusterName ?? ''}`,
    loading: c.backupEnabled && (c.clusterName === undefined ? !c.error : !jobs && !problem),
    problem: c.clusterName === undefined ? c.error : problem,
    outdated: isOutdated(c, active.length > 0, s),
    lastSuccess: success,
    lastSuccessAt,
    freshness: jobs
      ? freshnessOf(jobs.seen > 0, lastSuccessAt, limits.staleMs, limits.oldMs, s.now)
      : ('none' as const),
    staleMs: limits.staleMs,
    autoExport: autoExportLabel(c.schedule),
    running: active.filter((j) => j.state === 'InProgress').length,
    queued: active.filter((j) => j.state === 'Queued').length,
    furthest: furthestRunning(active),
    failures: (jobs?.failures ?? []).filter((j) => (j.createdAt ?? 0) >= since),
    total: jobs?.total,
  };
  return { ...row, rank: rankOf(row) };
}
