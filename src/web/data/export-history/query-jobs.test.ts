import { describe, expect, it } from 'vitest';
import type { ExportJob } from '../../../atlas/types.ts';
import {
  countByState,
  failuresInWindow,
  filterJobs,
  jobByIdFragment,
  lastSuccess,
  sortJobs,
  type JobSort,
} from './query-jobs.ts';
import { parseTimeBound } from './time-window.ts';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const hex = (n: number) => n.toString(16).padStart(24, '0');
const at = (hoursAgo: number) => new Date(NOW - hoursAgo * 3_600_000).toISOString();

// Newest first, as Atlas lists them.
const JOBS: ExportJob[] = [
  {
    id: hex(1),
    state: 'InProgress',
    createdAt: at(1),
    exportBucketId: hex(100),
    snapshotId: 'a1'.repeat(12),
    exportStatus: { exportedCollections: 3, totalCollections: 10 },
  },
  {
    id: hex(2),
    state: 'Failed',
    createdAt: at(30),
    finishedAt: at(29),
    exportBucketId: hex(100),
    snapshotId: 'b2'.repeat(12),
    stateReason: { errorCode: 'EXPORT_TIMEOUT', message: 'The export timed out.' },
    exportStatus: { exportedCollections: 4, totalCollections: 10 },
  },
  {
    id: hex(3),
    state: 'Successful',
    createdAt: at(50),
    finishedAt: at(48),
    exportBucketId: hex(101),
    snapshotId: 'c3'.repeat(12),
    customData: [{ key: 'ticket', value: 'OPS-5432' }],
    exportStatus: { exportedCollections: 0, totalCollections: 0 },
  },
  {
    id: hex(4),
    state: 'Failed',
    createdAt: at(200),
    finishedAt: at(199.5),
    exportBucketId: hex(101),
    snapshotId: 'd4'.repeat(12),
    stateReason: { errorCode: 'EXPORT_FAILED', message: 'Access denied to bucket Logs-Archive.' },
  },
  {
    id: hex(5),
    state: 'Cancelled',
    createdAt: at(800),
    finishedAt: at(790),
    exportBucketId: hex(100),
    snapshotId: 'e5'.repeat(12),
    prefix: 'exported_snapshots/org/grp/orders-prod/2026-10-01T0300/1759288000',
  },
  {
    id: hex(6),
    state: 'Successful',
    createdAt: at(900),
    finishedAt: at(899),
    exportBucketId: hex(100),
    snapshotId: 'f6'.repeat(12),
    exportStatus: { exportedCollections: 7, totalCollections: 7 },
  },
];
const ids = (jobs: ExportJob[]) => jobs.map((j) => Number.parseInt(j.id ?? '', 16));
const bucketName = (id: string) => ({ [hex(100)]: 'orders-exports', [hex(101)]: 'LOGS-archive' })[id];

describe('filterJobs', () => {
  it('matches every job for an empty query, keeping order', () => {
    expect(ids(filterJobs(JOBS, {}, NOW))).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it('keeps any of the chosen states', () => {
    expect(ids(filterJobs(JOBS, { states: ['Failed'] }, NOW))).toEqual([2, 4]);
    expect(ids(filterJobs(JOBS, { states: ['Failed', 'InProgress'] }, NOW))).toEqual([1, 2, 4]);
  });
  it('searches ids, bucket names, prefix, custom data and failure text, ignoring case', () => {
    expect(ids(filterJobs(JOBS, { q: 'ops-5432' }, NOW))).toEqual([3]);
    expect(ids(filterJobs(JOBS, { q: 'TICKET' }, NOW))).toEqual([3]);
    expect(ids(filterJobs(JOBS, { q: 'd4d4d4' }, NOW))).toEqual([4]);
    expect(ids(filterJobs(JOBS, { q: 'export_timeout' }, NOW))).toEqual([2]);
    expect(ids(filterJobs(JOBS, { q: 'access denied' }, NOW))).toEqual([4]);
    expect(ids(filterJobs(JOBS, { q: '2026-10-01T0300' }, NOW))).toEqual([5]);
    expect(ids(filterJobs(JOBS, { q: 'logs-archive' }, NOW, bucketName))).toEqual([3, 4]);
    expect(ids(filterJobs(JOBS, { q: 'orders-exports' }, NOW))).toEqual([]);
    expect(ids(filterJobs(JOBS, { q: '   ' }, NOW))).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it('limits creation time by relative and absolute bounds, until exclusive', () => {
    expect(ids(filterJobs(JOBS, { since: '24h' }, NOW))).toEqual([1]);
    expect(ids(filterJobs(JOBS, { since: '7d' }, NOW))).toEqual([1, 2, 3]);
    expect(ids(filterJobs(JOBS, { since: '30d' }, NOW))).toEqual([1, 2, 3, 4]); // job 5 is 33 days old
    expect(ids(filterJobs(JOBS, { until: at(50) }, NOW))).toEqual([4, 5, 6]);
    expect(ids(filterJobs(JOBS, { since: '2026-11-28', until: '2026-11-28' }, NOW))).toEqual([2]);
  });
  it('composes every filter', () => {
    expect(ids(filterJobs(JOBS, { states: ['Failed'], since: '7d', q: 'timed' }, NOW))).toEqual([2]);
  });
});

describe('time bounds', () => {
  it('reads relative windows, dates and zoned instants; rejects anything else', () => {
    expect(parseTimeBound('24h', NOW, 'since')).toBe(NOW - 86_400_000);
    expect(parseTimeBound('2026-11-01', NOW, 'since')).toBe(Date.parse('2026-11-01T00:00:00Z'));
    expect(parseTimeBound('2026-11-01', NOW, 'until')).toBe(Date.parse('2026-11-02T00:00:00Z'));
    expect(parseTimeBound('2026-11-01T08:30Z', NOW, 'since')).toBe(Date.parse('2026-11-01T08:30:00Z'));
    for (const bad of ['yesterday', '0d', '2026-02-30', '2026-11-01T08:30', '7 d', ''])
      expect(parseTimeBound(bad, NOW, 'since'), bad).toBeUndefined();
  });
});

describe('sortJobs', () => {
  const by = (sort: JobSort) => ids(sortJobs(JOBS, sort));
  it('sorts by creation either way', () => {
    expect(by({ key: 'created', desc: true })).toEqual([1, 2, 3, 4, 5, 6]);
    expect(by({ key: 'created', desc: false })).toEqual([6, 5, 4, 3, 2, 1]);
  });
  it('sorts by duration, jobs without one last in both directions', () => {
    // durations: 2 -> 1 h, 3 -> 2 h, 4 -> 0.5 h, 5 -> 10 h, 6 -> 1 h; 1 is running
    expect(by({ key: 'duration', desc: true })).toEqual([5, 3, 2, 6, 4, 1]);
    expect(by({ key: 'duration', desc: false })).toEqual([4, 2, 6, 3, 5, 1]);
  });
  it('sorts by finish, progress and state', () => {
    expect(by({ key: 'finished', desc: true })).toEqual([2, 3, 4, 5, 6, 1]);
    // progress: 1 -> .3, 2 -> .4, 3 -> 0 of 0 successful = 1, 4 -> none, 5 -> none, 6 -> 1
    expect(by({ key: 'progress', desc: false })).toEqual([1, 2, 3, 6, 4, 5]);
    expect(by({ key: 'state', desc: false })).toEqual([1, 3, 6, 2, 4, 5]);
  });
  it('does not touch its input', () => {
    const copy = [...JOBS];
    sortJobs(JOBS, { key: 'created', desc: false });
    expect(JOBS).toEqual(copy);
  });
});

describe('the questions a view asks', () => {
  it('counts every state, zero included', () => {
    expect(countByState(JOBS)).toEqual({ Queued: 0, InProgress: 1, Successful: 2, Failed: 2, Cancelled: 1 });
    expect(countByState([{ exportBucketId: 'x', state: 'Paused' as never }])).toMatchObject({ Paused: 1, Failed: 0 });
  });
  it('finds failures in a window and the last success', () => {
    expect(ids(failuresInWindow(JOBS, '7d', NOW))).toEqual([2]);
    expect(ids(failuresInWindow(JOBS, '30d', NOW))).toEqual([2, 4]);
    expect(lastSuccess(JOBS)?.id).toBe(hex(3));
    expect(lastSuccess(JOBS.filter((j) => j.state !== 'Successful'))).toBeUndefined();
  });
  it('points a pasted export or snapshot id at its one job', () => {
    expect(jobByIdFragment(JOBS, hex(4))?.id).toBe(hex(4));
    expect(jobByIdFragment(JOBS, ` ${'d4'.repeat(12)} `)?.id).toBe(hex(4));
    expect(jobByIdFragment(JOBS, '…d4d4d4d4')?.id).toBe(hex(4));
    expect(jobByIdFragment(JOBS, '000000')).toBeUndefined(); // every id holds it
    expect(jobByIdFragment(JOBS, 'd4d4')).toBeUndefined(); // too short to mean an id
    expect(jobByIdFragment(JOBS, 'OPS-5432')).toBeUndefined();
  });
});
