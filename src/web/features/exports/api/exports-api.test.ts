import { describe, expect, it } from 'vitest';
import type { ExportJobPage } from '../../../../atlas/types.ts';
import { AtlasRequestError } from '../../../lib/api-client.ts';
import { ACTIVE_POLL_MS, ERROR_POLL_MS, IDLE_POLL_MS, pollIntervalMs, rateLimitRemainingMs } from './export-jobs.ts';
import { exportDetailsHref, pagingSearch, resolvePaging, validateExportsSearch } from './exports-search.ts';
import { pageHasNext } from './use-export-jobs.ts';

describe('URL state', () => {
  it('keeps defaults and bad values out of the search state', () => {
    expect(validateExportsSearch({})).toEqual({});
    expect(validateExportsSearch({ page: 1, perPage: 50 })).toEqual({});
    expect(validateExportsSearch({ page: '3', perPage: '25' })).toEqual({ page: 3, perPage: 25 });
    // An odd page size snaps to the nearest offered one (the smaller on a tie), so the menu shows what is used.
    expect(validateExportsSearch({ page: 0, perPage: 7 })).toEqual({ perPage: 10 });
    expect(validateExportsSearch({ perPage: 37 })).toEqual({ perPage: 25 });
    expect(validateExportsSearch({ perPage: '9999' })).toEqual({ perPage: 500 });
    expect(validateExportsSearch({ page: -3, perPage: 'abc' })).toEqual({});
    expect(validateExportsSearch({ page: 'abc', perPage: '500' })).toEqual({ perPage: 500 });
    expect(validateExportsSearch({ page: 2.5 })).toEqual({});
  });
  it('maps URL page to Atlas pageNum 1:1 and drops defaults when writing', () => {
    expect(resolvePaging({})).toEqual({ page: 1, perPage: 50 });
    expect(resolvePaging({ page: 4, perPage: 10 })).toEqual({ page: 4, perPage: 10 });
    expect(pagingSearch(1, 50)).toEqual({});
    expect(pagingSearch(2, 100)).toEqual({ page: 2, perPage: 100 });
  });
  it('builds the details link carrying the table page', () => {
    expect(exportDetailsHref('a'.repeat(24), 'Cluster0', 'b'.repeat(24), { page: 2 })).toBe(
      `/projects/${'a'.repeat(24)}/clusters/Cluster0/exports/${'b'.repeat(24)}?page=2`,
    );
    expect(exportDetailsHref('g', 'c', 'e', {})).toBe('/projects/g/clusters/c/exports/e');
  });
});

describe('live refresh cadence', () => {
  const ok = { error: null, errorUpdatedAt: 0, status: 'success' as const };
  it('polls fast while jobs run, slowly otherwise, never while paused', () => {
    expect(pollIntervalMs(ok, true, false)).toBe(ACTIVE_POLL_MS);
    expect(pollIntervalMs(ok, false, false)).toBe(IDLE_POLL_MS);
    expect(pollIntervalMs(ok, true, true)).toBe(false);
  });
  it('waits out a 429 exactly, and stops on errors a retry cannot fix', () => {
    const now = Date.now();
    const limited = new AtlasRequestError('http', 429, 'x', undefined, 30_000);
    expect(rateLimitRemainingMs(limited, now - 10_000, now)).toBe(20_000);
    const interval = pollIntervalMs({ error: limited, errorUpdatedAt: now - 10_000, status: 'error' }, true, false);
    expect(interval).toBeGreaterThan(19_000);
    expect(interval).toBeLessThanOrEqual(20_000);
    const forbidden = new AtlasRequestError('http', 403, 'x');
    expect(pollIntervalMs({ error: forbidden, errorUpdatedAt: now, status: 'error' }, true, false)).toBe(false);
    const down = new AtlasRequestError('http', 502, 'x');
    expect(pollIntervalMs({ error: down, errorUpdatedAt: now, status: 'error' }, false, false)).toBe(ERROR_POLL_MS);
  });
});

describe('pageHasNext', () => {
  const page = (n: number, extra: Partial<ExportJobPage> = {}): ExportJobPage => ({
    results: Array.from({ length: n }, () => ({ exportBucketId: 'b' })),
    ...extra,
  });
  it('trusts Atlas links first, then the estimated total, then a full page', () => {
    expect(pageHasNext(page(10, { links: [{ rel: 'next', href: 'x' }] }), 9, 10)).toBe(true);
    expect(pageHasNext(page(10, { totalCount: 30 }), 2, 10)).toBe(true);
    expect(pageHasNext(page(10, { totalCount: 30 }), 3, 10)).toBe(false);
    expect(pageHasNext(page(10), 1, 10)).toBe(true);
    expect(pageHasNext(page(4), 1, 10)).toBe(false);
    expect(pageHasNext(undefined, 1, 10)).toBe(false);
  });
});
