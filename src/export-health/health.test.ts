import { describe, expect, it } from 'vitest';
import type { ExportJob } from '../atlas/types.ts';
import type { ClusterHealth } from './fleet.ts';
import { digestJobs } from './jobs.ts';
import { attentionOrder, filterRows, sortRows, summarize } from './order.ts';
import { fleetRow, type RowSettings } from './rows.ts';
import { digestSchedule, thresholdsFor } from './schedule.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 29, 12);
const iso = (hoursAgo: number) => new Date(NOW - hoursAgo * HOUR).toISOString();
const S: RowSettings = { window: '24h', staleMs: 26 * HOUR, oldMs: 8 * DAY, now: NOW };

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
    snapshotId: (n + 0x1000).toString(16).padStart(24, '0'),
    exportBucketId: 'b'.repeat(24),
    state,
    createdAt: iso(createdH),
    ...(finishedH !== undefined ? { finishedAt: iso(finishedH) } : {}),
    ...extra,
  };
}
function cluster(name: string, jobs: ExportJob[] | undefined, extra: Partial<ClusterHealth> = {}): ClusterHealth {
  const digest = jobs ? digestJobs(jobs, jobs.length, NOW) : undefined;
  return {
    orgId: 'o'.repeat(24),
    orgName: 'Org',
    groupId: 'a'.repeat(24),
    projectName: 'proj',
    clusterName: name,
    clusterType: 'REPLICASET',
    backupEnabled: true,
    ...(digest ? { jobs: digest, checkedAt: NOW - 10_000 } : {}),
    ...extra,
  };
}

describe('the digest of a page of jobs', () => {
  it('keeps the newest success, live jobs, 30 days of failures with reasons, and the ids for search', () => {
    const failed = job('Failed', 3, 2.5, { stateReason: { errorCode: 'E', message: 'bucket gone' } });
    const old = job('Failed', 24 * 40, 24 * 40 - 1);
    const jobs = [
      job('Queued', 0.1),
      job('InProgress', 0.5),
      failed,
      job('Successful', 5, 4),
      job('Successful', 30, 29),
      old,
    ];
    const d = digestJobs(jobs, 1234, NOW);
    expect(d.total).toBe(1234);
    expect(d.lastSuccess?.id).toBe(jobs[3]!.id);
    expect(d.active.map((j) => j.state)).toEqual(['Queued', 'InProgress']);
    expect(d.failures).toEqual([expect.objectContaining({ id: failed.id, reason: 'bucket gone', errorCode: 'E' })]);
    expect(d.ids).toContain(failed.snapshotId);
    expect(d.ids).not.toContain(old.id);
  });
});

describe('one fleet row', () => {
  it('counts failures in the window, running and queued, the furthest job, the newest success', () => {
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
    expect(row.furthest?.id).toBe(running.id);
    expect(row.lastSuccessAt).toBe(NOW - 4 * HOUR);
    expect(row.freshness).toBe('fresh');
    expect(row.total).toBe(6);
    expect(row.rank).toBe(0);
    expect(fleetRow(cluster('c', [job('Failed', 30, 29)]), { ...S, window: '7d' }).failures).toHaveLength(1);
  });

  it('ages a last success against the thresholds; no success is "never", no jobs "none"', () => {
    expect(fleetRow(cluster('a', [job('Successful', 30, 27)]), S).freshness).toBe('stale');
    expect(fleetRow(cluster('b', [job('Successful', 200, 199)]), S).freshness).toBe('old');
    expect(fleetRow(cluster('c', [job('Failed', 40, 39)]), S).freshness).toBe('never');
    expect(fleetRow(cluster('d', []), S).freshness).toBe('none');
  });

  it('a monthly auto-export is judged by its own cadence: fresh at 3 days, stale after a missed month', () => {
    const monthly = digestSchedule(
      { autoExportEnabled: true, export: { frequencyType: 'monthly' }, policies: [] },
      NOW,
    );
    const at3d = cluster('m', [job('Successful', 72, 71)], { schedule: monthly });
    expect(fleetRow(at3d, S)).toMatchObject({ freshness: 'fresh', autoExport: 'monthly' });
    expect(fleetRow(cluster('m', [job('Successful', 24 * 35, 24 * 35)], { schedule: monthly }), S).freshness).toBe(
      'stale',
    );
    expect(fleetRow(cluster('d', [job('Successful', 72, 71)]), S).freshness).toBe('stale');
    expect(thresholdsFor(undefined, 1, 2)).toEqual({ staleMs: 1, oldMs: 2 });
  });

  it('backup off and refused rows are not loading; an unchecked cluster is; a failed check marks figures outdated', () => {
    expect(fleetRow(cluster('off', undefined, { backupEnabled: false }), S)).toMatchObject({ loading: false, rank: 6 });
    const refused = cluster('x', undefined, { error: { status: 403, reason: 'No access', at: NOW, transient: false } });
    expect(fleetRow(refused, S)).toMatchObject({ loading: false, rank: 1, problem: { status: 403 } });
    expect(fleetRow(cluster('y', undefined), S)).toMatchObject({ loading: true, rank: 5 });
    const failing = cluster('z', [job('Successful', 2, 1)], {
      error: { status: 503, reason: 'x', at: NOW, transient: true },
    });
    expect(fleetRow(failing, S)).toMatchObject({ outdated: true, problem: undefined, freshness: 'fresh' });
    expect(fleetRow(cluster('w', [job('Successful', 2, 1)]), { ...S, failingSince: NOW - 5_000 }).outdated).toBe(true);
  });
});

describe('order, filters and tiles', () => {
  const rows = [
    fleetRow(cluster('healthy', [job('Successful', 2, 1)]), S),
    fleetRow(cluster('running', [job('InProgress', 0.2), job('Successful', 2, 1)]), S),
    fleetRow(cluster('stale-old', [job('Successful', 300, 299)]), S),
    fleetRow(cluster('stale-new', [job('Successful', 30, 29)]), S),
    fleetRow(
      cluster('one-failure', [
        job('Failed', 2, 1, { stateReason: { message: 'Bucket not found' } }),
        job('Successful', 3, 2),
      ]),
      S,
    ),
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

  it('a cluster that never succeeded is stale and first among the stale; a transient failure keeps its figures', () => {
    const transient = { error: { status: 503, reason: 'Unavailable', at: NOW, transient: true } };
    const more = [
      ...rows,
      // Its only job failed ten days ago: no failure in the window, and no success ever.
      fleetRow(cluster('never-succeeded', [job('Failed', 240, 239)]), S),
      // Atlas failing for a moment: the last good figures rank as they are, and a cluster with none yet is loading.
      fleetRow(cluster('flaky-healthy', [job('Successful', 2, 1)], transient), S),
      fleetRow(cluster('flaky-new', undefined, transient), S),
    ];
    expect([...more].sort(attentionOrder).map((r) => r.clusterName)).toEqual([
      'two-failures',
      'one-failure',
      'never-succeeded',
      'stale-old',
      'stale-new',
      'running',
      'flaky-healthy',
      'healthy',
      'flaky-new',
      'off',
    ]);
    expect(more.find((r) => r.clusterName === 'never-succeeded')).toMatchObject({ freshness: 'never', rank: 2 });
    expect(more.find((r) => r.clusterName === 'flaky-healthy')).toMatchObject({ rank: 4, outdated: true });
    expect(more.find((r) => r.clusterName === 'flaky-new')).toMatchObject({ rank: 5, loading: true });
    expect(more.find((r) => r.clusterName === 'flaky-new')?.problem).toBeUndefined();
  });

  it('sorts by a column either way, rows without a value last', () => {
    const byFailures = sortRows(rows, { key: 'failures', desc: true }).map((r) => r.clusterName);
    expect(byFailures.slice(0, 2)).toEqual(['two-failures', 'one-failure']);
    expect(byFailures.at(-1)).toBe('off');
    expect(sortRows(rows, { key: 'lastSuccess', desc: false })[0]?.clusterName).toBe('stale-old');
  });

  it('filters by names, failure reasons and id hits, and counts the tiles', () => {
    expect(filterRows(rows, { show: 'failing' }).map((r) => r.clusterName)).toEqual(['one-failure', 'two-failures']);
    expect(filterRows(rows, { q: 'STALE-O' }).map((r) => r.clusterName)).toEqual(['stale-old']);
    expect(filterRows(rows, { q: 'bucket not' }).map((r) => r.clusterName)).toEqual(['one-failure']);
    const hit = new Set([rows[0]!.key]);
    expect(filterRows(rows, { q: 'f'.repeat(24) }, hit).map((r) => r.clusterName)).toEqual(['healthy']);
    expect(summarize(rows)).toMatchObject({ watched: 7, failing: 2, stale: 2, running: 1, backupOff: 1, loading: 0 });
  });
});
