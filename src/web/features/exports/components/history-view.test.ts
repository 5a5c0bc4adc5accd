import { describe, expect, it } from 'vitest';
import type { ExportJob } from '../../../../atlas/types.ts';
import { filterJobs, sortJobs } from '../../../data/export-history/query-jobs.ts';
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

describe('computeHistoryView sorts once per history and sort', () => {
  const many = Array.from({ length: 300 }, (_, i) =>
    job(i + 1, i % 7 === 0 ? 'Failed' : 'Successful', (i * 37) % 100, i % 3 === 0 ? 'exports/orders' : 'x/billing'),
  );
  const queries = [{}, { q: 'orders' }, { q: 'ord', states: ['Failed' as const] }, { since: '24h' }];
  const sorts = [NEWEST, { key: 'created', desc: false } as const, { key: 'state', desc: false } as const];

  it('gives the rows sorting the matches would, ties newest first, for every query and sort', () => {
    for (const query of queries)
      for (const sort of sorts) {
        const view = computeHistoryView(many, query, sort, NOW);
        const expected = sortJobs(filterJobs(many, query, NOW), sort);
        expect(view.rows.map((j) => j.id)).toEqual(expected.map((j) => j.id));
      }
  });

  it('re-sorts for a new history (a refresh) and for another sort, never from a stale order', () => {
    const refreshed = [job(999, 'Failed', 0, 'exports/orders'), ...many];
    expect(computeHistoryView(refreshed, {}, NEWEST, NOW).rows[0]!.id).toBe(hex(999));
    const oldest = { key: 'created', desc: false } as const;
    expect(computeHistoryView(many, {}, NEWEST, NOW).rows).toEqual(sortJobs(many, NEWEST));
    expect(computeHistoryView(many, {}, oldest, NOW).rows).toEqual(sortJobs(many, oldest));
  });
});

describe('computeHistoryView while typing', () => {
  const many = Array.from({ length: 200 }, (_, i) =>
    job(i + 1, i % 5 === 0 ? 'Failed' : 'Successful', (i * 13) % 90, ['exports/orders', 'x/ordinal', 'y/or'][i % 3]!),
  );
  const fresh = (q: string, since?: string) =>
    sortJobs(filterJobs(many, { q, ...(since ? { since } : {}) }, NOW), NEWEST).map((j) => j.id);

  it('searches only what the previous text matched when the new text contains it, with the same result', () => {
    for (const q of ['o', 'or', 'ord', 'orde', 'order', 'ord', '', 'ORD', 'ordi'])
      expect(
        computeHistoryView(many, { q }, NEWEST, NOW).rows.map((j) => j.id),
        q,
      ).toEqual(fresh(q));
  });

  it('starts again from every job when the time range, the bucket names or the history change', () => {
    computeHistoryView(many, { q: 'ord', since: '24h' }, NEWEST, NOW);
    expect(computeHistoryView(many, { q: 'orde' }, NEWEST, NOW).rows.map((j) => j.id)).toEqual(fresh('orde'));
    const named = computeHistoryView(many, { q: 'bucket-b' }, NEWEST, NOW, () => 'bucket-b');
    expect(named.rows).toHaveLength(many.length);
    expect(computeHistoryView(many, { q: 'bucket-b' }, NEWEST, NOW, () => 'other').rows).toEqual([]);
  });
});
