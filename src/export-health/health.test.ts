import { describe, expect, it } from 'vitest';
import type { ExportJob } from '../../../../atlas/types.ts';
import type { ExportHistory } from '../../../data/export-history/model.ts';
import { attentionOrder, filterRows, sortRows, summarize } from './fleet-order.ts';
import { fleetRow, type FleetCluster, type RowSettings } from './fleet-rows.ts';
import { AtlasRequestError } from '../../../lib/api-client.ts';
import { FLEET_ACTIVE_MS, FLEET_IDLE_MS, historyPollMs, problemOf } from './use-fleet.ts';
import { patchFleetSearch, resolveFleetSearch, validateFleetSearch } from './fleet-search.ts';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 29, 12);
const iso = (hoursAgo: number) => new Date(NOW - hoursAgo * HOUR).toISOString();
const S: RowSettings = { window: '24h', staleMs: 26 * HOUR, oldMs: 8 * 24 * HOUR, now: NOW };

let n = 0;
function job(
  state: ExportJob['state'],
  createdH: number,
  finishedH?: number,
  extra: Partial<ExportJob> = {},
): ExportJob {
  n++;
  return {
    id: n.toString(16).padStart(24, '0'),
    exportBucketId: 'b'.repeat(24),
    state,
    createdAt: iso(createdH),
    ...(finishedH !== undefined ? { finishedAt: iso(finishedH) } : {}),
    ...extra,
  };
}
const history = (jobs: ExportJob[]): ExportHistory => ({
  jobs,
  estimatedTotal: jobs.length,
  pagesLoaded: 1,
  complete: true,
  capped: false,
  fullLoadedAt: NOW,
});
function cluster(name: string, jobs: ExportJob[] | undefined, extra: Partial<FleetCluster> = {}): FleetCluster {
  return {
    orgId: 'o'.repeat(24),
    orgName: 'Org',
    groupId: 'a'.repeat(24),
    projectName: 'proj',
    clusterName: name,
    clusterType: 'REPLICASET',
    backupEnabled: true,
    history: jobs ? history(jobs) : undefined,
    problem: undefined,
    ...extra,
  };
}

describe('one fleet row', () => {
  it('counts failures created in the window, the running jobs and the furthest one, the newest success', () => {
    const running = job('InProgress', 0.5, undefined, {
      exportStatus: { exportedCollections: 8, totalCollections: 10 },
    });
    const slower = job('InProgress', 0.2, undefined, {
      exportStatus: { exportedCollections: 1, totalCollections: 10 },
    });
    const row = fleetRow(
      cluster('c', [
        slower,
        running,
        job('Queued', 0.1),
        job('Failed', 3, 2.5),
        job('Successful', 5, 4),
        job('Failed', 30, 29),
      ]),
      S,
    );
    expect(row.failures).toHaveLength(1);
    expect(row.running).toBe(2);
    expect(row.queued).toBe(1);
    expect(row.furthest).toBe(running);
    expect(row.lastSuccessAt).toBe(NOW - 4 * HOUR);
    expect(row.freshness).toBe('fresh');
    expect(row.total).toBe(6);
    expect(row.rank).toBe(0);
  });

  it('ages a last success against the thresholds; no success at all is "never", no jobs "none"', () => {
    expect(fleetRow(cluster('a', [job('Successful', 30, 27)]), S).freshness).toBe('stale');
    expect(fleetRow(cluster('b', [job('Successful', 200, 199)]), S).freshness).toBe('old');
    expect(fleetRow(cluster('c', [job('Failed', 40, 39)]), S).freshness).toBe('never');
    expect(fleetRow(cluster('d', []), S).freshness).toBe('none');
    expect(fleetRow(cluster('a', [job('Successful', 30, 27)]), { ...S, staleMs: 48 * HOUR }).freshness).toBe('fresh');
  });

  it('a backup-off cluster or a refused one is not loading; a cluster without history yet is', () => {
    expect(fleetRow(cluster('off', undefined, { backupEnabled: false }), S)).toMatchObject({ loading: false, rank: 6 });
    const refused = cluster('x', undefined, { problem: { status: 403, reason: 'No access' } });
    expect(fleetRow(refused, S)).toMatchObject({ loading: false, rank: 1 });
    expect(fleetRow(cluster('y', undefined), S)).toMatchObject({ loading: true, rank: 5 });
  });
});

describe('order, filters and tiles', () => {
  const rows = [
    fleetRow(cluster('healthy', [job('Successful', 2, 1)]), S),
    fleetRow(cluster('running', [job('InProgress', 0.2), job('Successful', 2, 1)]), S),
    fleetRow(cluster('stale-old', [job('Successful', 300, 299)]), S),
    fleetRow(cluster('stale-new', [job('Successful', 30, 29)]), S),
    fleetRow(cluster('one-failure', [job('Failed', 2, 1), job('Successful', 3, 2)]), S),
    fleetRow(cluster('two-failures', [job('Failed', 2, 1), job('Failed', 4, 3), job('Successful', 5, 4)]), S),
    fleetRow(cluster('off', undefined, { backupEnabled: false }), S),
  ];

  it('needs attention first: most failures, then stale (oldest first), running, healthy, backup off', () => {
    expect([...rows].sort(attentionOrder).map((r) => r.clusterName)).toEqual([
      'two-failures',
      'one-failure',
      'stale-old',
      'stale-new',
      'running',
      'healthy',
      'off',
    ]);
  });

  it('sorts by a column either way, rows without a value last', () => {
    const byFailures = sortRows(rows, { key: 'failures', desc: true }).map((r) => r.clusterName);
    expect(byFailures.slice(0, 2)).toEqual(['two-failures', 'one-failure']);
    expect(byFailures.at(-1)).toBe('off');
    const byAge = sortRows(rows, { key: 'lastSuccess', desc: false }).map((r) => r.clusterName);
    expect(byAge[0]).toBe('stale-old');
    expect(byAge.at(-1)).toBe('off');
  });

  it('filters and counts the tiles', () => {
    expect(filterRows(rows, { show: 'failing' }).map((r) => r.clusterName)).toEqual(['one-failure', 'two-failures']);
    expect(filterRows(rows, { show: 'stale' })).toHaveLength(2);
    expect(filterRows(rows, { q: 'STALE-O' }).map((r) => r.clusterName)).toEqual(['stale-old']);
    expect(summarize(rows)).toMatchObject({ watched: 7, failing: 2, stale: 2, running: 1, backupOff: 1, loading: 0 });
  });
});

describe('fleet URL state', () => {
  it('keeps what it understands, drops defaults and junk', () => {
    expect(
      validateFleetSearch({ window: '7d', show: 'stale', q: 'prod', sort: '-failures', staleAfter: '48h', org: 'x' }),
    ).toEqual({ window: '7d', show: 'stale', q: 'prod', sort: '-failures', staleAfter: '48h' });
    expect(
      validateFleetSearch({ window: '24h', staleAfter: '26h', oldAfter: '8d', sort: 'nope', show: 'all' }),
    ).toEqual({});
    expect(resolveFleetSearch({ staleAfter: '2d', oldAfter: '1d' })).toMatchObject({
      staleMs: 48 * HOUR,
      oldMs: 48 * HOUR,
    });
    expect(patchFleetSearch({ window: '7d', q: 'a' }, { q: undefined })).toEqual({ window: '7d' });
  });
});

describe('fleet refresh cadence', () => {
  const state = (data: ExportHistory | undefined, error: Error | null = null, errorUpdatedAt = 0) => ({
    state: { data, error, errorUpdatedAt, status: error ? ('error' as const) : ('success' as const) },
  });
  it('polls fast only while a job runs, stops on a refusal, and waits out a 429 exactly', () => {
    expect(historyPollMs(state(history([job('InProgress', 0.1)])))).toBe(FLEET_ACTIVE_MS);
    expect(historyPollMs(state(history([job('Successful', 3, 2)])))).toBe(FLEET_IDLE_MS);
    expect(historyPollMs(state(undefined, new AtlasRequestError('http', 403, 'no')))).toBe(false);
    const limited = new AtlasRequestError('http', 429, 'slow down', undefined, 4_000);
    expect(historyPollMs(state(undefined, limited, 1_000), 2_000)).toBe(3_000);
  });
  it('names the role a refused operation needs, from the operation table', () => {
    expect(problemOf(new AtlasRequestError('http', 403, 'x'), 'listGroupClusterBackupExports')?.reason).toBe(
      'No access: needs the Project Backup Manager role',
    );
    expect(problemOf(new AtlasRequestError('http', 503, 'x'), 'listGroupClusters')).toMatchObject({ transient: true });
    expect(problemOf(new AtlasRequestError('http', 503, 'x'), 'listGroupClusters', true)).toBeUndefined();
  });
});
