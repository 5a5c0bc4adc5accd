import { describe, expect, it } from 'vitest';
import type { ExportJob, ExportJobPage } from '../../../atlas/types.ts';
import {
  appendPage,
  EMPTY_HISTORY,
  historyHoldsPage,
  mergeHead,
  pageOfHistory,
  planRefresh,
  type ExportHistory,
} from './model.ts';
import { walkPages } from './walk-pages.ts';

const job = (n: number, state: ExportJob['state'] = 'Successful'): ExportJob => ({
  id: n.toString(16).padStart(24, '0'),
  state,
  exportBucketId: 'b',
});

/** A fake Atlas list of `total` jobs, paged like the real one (links.next while more remain). */
function atlasList(total: number, perPage: number, withCount = true) {
  const calls: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetchPage = async (pageNum: number): Promise<ExportJobPage> => {
    calls.push(pageNum);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 5 * ((pageNum % 3) + 1))); // answers out of order
    inFlight--;
    const from = (pageNum - 1) * perPage;
    const results = Array.from({ length: Math.max(0, Math.min(perPage, total - from)) }, (_, i) => job(from + i));
    const links = from + perPage < total ? [{ rel: 'next', href: 'x' }] : [];
    return { results, links, ...(withCount ? { totalCount: total } : {}) };
  };
  return { fetchPage, calls, maxInFlight: () => maxInFlight };
}

async function collect(gen: AsyncGenerator<{ pageNum: number; page: ExportJobPage }>) {
  const out: number[] = [];
  for await (const { pageNum } of gen) out.push(pageNum);
  return out;
}

describe('walkPages', () => {
  it('reads 1,250 jobs in exactly three calls, two at a time, yielding in order', async () => {
    const atlas = atlasList(1250, 500);
    expect(await collect(walkPages(atlas.fetchPage, { from: 1 }))).toEqual([1, 2, 3]);
    expect(atlas.calls.sort()).toEqual([1, 2, 3]);
    expect(atlas.maxInFlight()).toBe(2);
  });
  it('follows links without a total, reading at most one page past the end', async () => {
    const atlas = atlasList(1250, 500, false);
    expect(await collect(walkPages(atlas.fetchPage, { from: 1 }))).toEqual([1, 2, 3]);
    expect(atlas.calls.length).toBeLessThanOrEqual(4);
  });
  it('stops at the page cap, and resumes from a given page', async () => {
    const atlas = atlasList(10_000, 10);
    expect(await collect(walkPages(atlas.fetchPage, { from: 1, perPage: 10, maxPages: 4 }))).toEqual([1, 2, 3, 4]);
    expect(await collect(walkPages(atlasList(25, 10).fetchPage, { from: 2, perPage: 10 }))).toEqual([2, 3]);
  });
  it('yields the pages before a failed one, then throws its error', async () => {
    const atlas = atlasList(2000, 500);
    const failing = (n: number) => (n === 3 ? Promise.reject(new Error('page 3 broke')) : atlas.fetchPage(n));
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const { pageNum } of walkPages(failing, { from: 1 })) seen.push(pageNum);
      })(),
    ).rejects.toThrow('page 3 broke');
    expect(seen).toEqual([1, 2]);
  });
});

describe('history model', () => {
  const page = (jobs: ExportJob[], next: boolean, totalCount?: number): ExportJobPage => ({
    results: jobs,
    links: next ? [{ rel: 'next', href: 'x' }] : [],
    ...(totalCount !== undefined ? { totalCount } : {}),
  });
  it('appends pages, skips jobs seen on an earlier page, and completes on the last one', () => {
    let h = appendPage(EMPTY_HISTORY, page([job(1), job(2)], true, 4), 1, 100);
    expect(h).toMatchObject({ pagesLoaded: 1, complete: false, estimatedTotal: 4, fullLoadedAt: 0 });
    // A new job arrived at the front meanwhile: job 2 slid onto page 2.
    h = appendPage(h, page([job(2), job(3)], false, 5), 2, 200);
    expect(h.jobs.map((j) => j.id)).toEqual([job(1), job(2), job(3)].map((j) => j.id));
    expect(h).toMatchObject({ complete: true, capped: false, fullLoadedAt: 200, estimatedTotal: 5 });
  });
  it('says when it stopped at the cap', () => {
    const h = appendPage({ ...EMPTY_HISTORY, pagesLoaded: 39 }, page([job(1)], true, 30_000), 40, 5);
    expect(h).toMatchObject({ complete: true, capped: true });
  });
  it('merges a fresh page 1 by id: updated jobs replaced, new ones in front, the rest untouched', () => {
    const old: ExportHistory = {
      ...EMPTY_HISTORY,
      jobs: [job(2, 'InProgress'), job(1)],
      complete: true,
      pagesLoaded: 1,
    };
    const merged = mergeHead(old, page([job(3, 'Queued'), job(2, 'Failed')], true, 3));
    expect(merged.jobs.map((j) => [j.id?.slice(-1), j.state])).toEqual([
      ['3', 'Queued'],
      ['2', 'Failed'],
      ['1', 'Successful'],
    ]);
    expect(merged.jobs[2]).toBe(old.jobs[1]);
  });
  it('plans a refresh: everything, the rest after a failure, or page 1 while recent', () => {
    const done: ExportHistory = { ...EMPTY_HISTORY, pagesLoaded: 3, complete: true, fullLoadedAt: 1000 };
    expect(planRefresh(undefined, 0, 60_000)).toBe('full');
    expect(planRefresh({ ...done, complete: false }, 2000, 60_000)).toBe('resume');
    expect(planRefresh(done, 30_000, 60_000)).toBe('head');
    expect(planRefresh(done, 61_000, 60_000)).toBe('full');
  });
  it("answers the table's page from the history: Atlas's rows in Atlas's order, exact total once complete", () => {
    const jobs = Array.from({ length: 120 }, (_, i) => job(i));
    const loading: ExportHistory = { ...EMPTY_HISTORY, jobs: jobs.slice(0, 100), estimatedTotal: 121, pagesLoaded: 1 };
    expect(pageOfHistory(loading, 2, 50)?.results.map((j) => j.id)).toEqual(jobs.slice(50, 100).map((j) => j.id));
    expect(pageOfHistory(loading, 2, 50)?.totalCount).toBe(121);
    // Not read yet: no page rather than a short one.
    expect(pageOfHistory(loading, 3, 50)).toBeUndefined();
    const done: ExportHistory = { ...loading, jobs, complete: true, pagesLoaded: 2 };
    expect(pageOfHistory(done, 3, 50)).toEqual({ results: jobs.slice(100), totalCount: 120 });
    expect(pageOfHistory(done, 9, 50)).toEqual({ results: [], totalCount: 120 });
    expect(pageOfHistory({ ...done, capped: true }, 1, 10)?.totalCount).toBe(121);
    expect(historyHoldsPage(400, 50)).toBe(true);
    expect(historyHoldsPage(401, 50)).toBe(false);
  });
});
