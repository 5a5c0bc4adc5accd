import { describe, expect, it } from 'vitest';
import type { ExportJob } from '../../../../atlas/types.ts';
import { computeHistoryView } from './history-view.ts';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const hex = (n: number) => n.toString(16).padStart(24, '0');
const job = (n: number, state: ExportJob['state'], hoursAgo: number, prefix: string): ExportJob => ({
  id: hex(n),
  state,
  createdAt: new Date(NOW - hoursAgo * 3_600_000).toISOString(),
  exportBucketId: hex(100),
  snapshotId: hex(200 + n),
  prefix,
});
const JOBS = [
  job(1, 'Failed', 1, 'exports/orders'),
  job(2, 'Successful', 2, 'exports/orders'),
  job(3, 'Successful', 3, 'exports/orders'),
  job(4, 'Failed', 4, 'exports/billing'),
  job(5, 'Cancelled', 50, 'exports/orders'),
];
const NEWEST = { key: 'created', desc: true } as const;

describe('computeHistoryView', () => {
  it('the state chips count the search and time scope, before the state filter picks its rows', () => {
    const view = computeHistoryView(JOBS, { states: ['Failed'], q: 'orders', since: '24h' }, NEWEST, NOW);
    expect(view.rows.map((j) => j.id)).toEqual([hex(1)]);
    expect(view.scopedCounts).toEqual({ Queued: 0, InProgress: 0, Successful: 2, Failed: 1, Cancelled: 0 });
  });

  it('with no state filter, the rows are the whole scope, newest first', () => {
    const view = computeHistoryView(JOBS, { q: 'orders' }, NEWEST, NOW);
    expect(view.rows.map((j) => j.id)).toEqual([hex(1), hex(2), hex(3), hex(5)]);
    expect(view.scopedCounts).toEqual({ Queued: 0, InProgress: 0, Successful: 2, Failed: 1, Cancelled: 1 });
  });
});
