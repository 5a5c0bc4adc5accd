import { describe, expect, it } from 'vitest';
import { mediaType, operation } from '../atlas/operations.ts';
import { EXPORTS_ACCEPT, earlyExportsUrl } from './early-fetch.ts';
import { exportJobListQueryOptions } from './features/exports/api/export-jobs.ts';
import { resolvePaging, validateExportsSearch } from './features/exports/api/exports-search.ts';
import { atlasUrl } from './lib/api-client.ts';
import { HISTORY_PAGE_SIZE, historyHoldsPage } from './data/export-history/model.ts';

const G = '674ba7007c5700893a34bd83';

/**
 * What the app itself requests first for a table URL: the history's page 1 when the page lies within the history
 * (use-export-jobs.ts), else Atlas's page. The early request must be byte-for-byte the same.
 */
function appUrl(search: Record<string, unknown>, cluster = 'orders-prod'): string {
  const { page, perPage } = resolvePaging(validateExportsSearch(search));
  expect(exportJobListQueryOptions(G, cluster, page, perPage).queryKey).toContainEqual({ page, perPage });
  const first = historyHoldsPage(page, perPage)
    ? { pageNum: 1, itemsPerPage: HISTORY_PAGE_SIZE, includeCount: true }
    : { pageNum: page, itemsPerPage: perPage, includeCount: true };
  return atlasUrl('listGroupClusterBackupExports', { groupId: G, clusterName: cluster }, first);
}

describe('early export-jobs request', () => {
  it('asks for exactly what the app will ask for', () => {
    expect(earlyExportsUrl(`/projects/${G}/clusters/orders-prod/exports`, '')).toBe(appUrl({}));
    expect(earlyExportsUrl(`/projects/${G}/clusters/orders-prod/exports`, '?page=3&perPage=25')).toBe(
      appUrl({ page: 3, perPage: 25 }),
    );
    expect(earlyExportsUrl(`/projects/${G}/clusters/orders-prod/exports`, '?perPage=7&page=0')).toBe(
      appUrl({ perPage: 7, page: 0 }),
    );
    expect(earlyExportsUrl(`/projects/${G}/clusters/Cluster0/exports/`, '?page=2')).toBe(
      appUrl({ page: 2 }, 'Cluster0'),
    );
    expect(earlyExportsUrl(`/projects/${G}/clusters/orders-prod/exports`, '?perPage=37')).toBe(appUrl({ perPage: 37 }));
    expect(earlyExportsUrl(`/projects/${G}/clusters/orders-prod/exports`, '?perPage=-4&page=2')).toBe(
      appUrl({ perPage: -4, page: 2 }),
    );
    // Beyond the newest 20,000 jobs the table pages through Atlas itself.
    expect(earlyExportsUrl(`/projects/${G}/clusters/orders-prod/exports`, '?page=401')).toBe(appUrl({ page: 401 }));
    expect(earlyExportsUrl(`/projects/${G}/clusters/orders-prod/exports`, '?page=401')).toContain('pageNum=401');
    expect(earlyExportsUrl(`/projects/${G}/clusters/orders-prod/exports`, '?page=400')).toContain('pageNum=1&');
    expect(EXPORTS_ACCEPT).toBe(mediaType(operation('listGroupClusterBackupExports').version));
  });
  it("asks for the history's first page when a filter or sort is in the URL", () => {
    const history = atlasUrl(
      'listGroupClusterBackupExports',
      { groupId: G, clusterName: 'orders-prod' },
      { pageNum: 1, itemsPerPage: HISTORY_PAGE_SIZE, includeCount: true },
    );
    for (const search of ['?state=Failed', '?q=OPS-1', '?since=7d&page=3', '?sort=-duration', '?until=2026-11-01'])
      expect(earlyExportsUrl(`/projects/${G}/clusters/orders-prod/exports`, search), search).toBe(history);
  });
  it('stays out of every other route', () => {
    expect(earlyExportsUrl('/', '')).toBeUndefined();
    expect(earlyExportsUrl(`/projects/${G}`, '')).toBeUndefined();
    expect(earlyExportsUrl(`/projects/${G}/clusters/orders-prod/exports/${G}`, '')).toBeUndefined();
    expect(earlyExportsUrl(`/projects/not-an-id/clusters/x/exports`, '')).toBeUndefined();
  });
});
