import { queryOptions, type QueryClient } from '@tanstack/react-query';
import type { ExportJobPage } from '../../../atlas/types.ts';
import { atlasGet } from '../../lib/api-client.ts';
import { exportJobKeys } from './keys.ts';
import { appendPage, EMPTY_HISTORY, HISTORY_PAGE_SIZE, mergeHead, planRefresh, type ExportHistory } from './model.ts';
import { walkPages } from './walk-pages.ts';

/** How old a complete history may grow before a fetch reads every page again instead of page 1 only. */
export const FULL_RELOAD_MS = 60_000;

/**
 * The query of one page of the history, the same for every viewer and every view of a cluster (the table's own
 * page is a slice of it), so the proxy gives every viewer the same cached or in-flight answer.
 */
export function historyPageQuery(pageNum: number) {
  return { pageNum, itemsPerPage: HISTORY_PAGE_SIZE, includeCount: true };
}

function fetchHistoryPage(groupId: string, clusterName: string, pageNum: number, signal: AbortSignal) {
  return atlasGet<ExportJobPage>(
    'listGroupClusterBackupExports',
    { groupId, clusterName },
    historyPageQuery(pageNum),
    signal,
  );
}

/**
 * A cluster's whole export history, one cache entry per cluster shared by every view that reads it. The first
 * load shows each page as it arrives (the cache entry grows while the fetch runs); later fetches either merge a
 * fresh page 1 or read every page and swap the result in whole, so a refresh never shrinks what is on screen.
 */
export function exportHistoryQueryOptions(groupId: string, clusterName: string) {
  return queryOptions({
    queryKey: exportJobKeys.history(groupId, clusterName),
    queryFn: async ({ signal, client, queryKey }): Promise<ExportHistory> => {
      const cached = client.getQueryData<ExportHistory>(queryKey);
      const fetchPage = (n: number) => fetchHistoryPage(groupId, clusterName, n, signal);
      const plan = planRefresh(cached, Date.now(), FULL_RELOAD_MS);
      if (plan === 'head' && cached) return mergeHead(cached, await fetchPage(1));
      const progressive = plan === 'resume' || !cached;
      return loadPages(client, queryKey, fetchPage, progressive && cached ? cached : EMPTY_HISTORY, progressive);
    },
    staleTime: 30_000,
  });
}

async function loadPages(
  client: QueryClient,
  queryKey: ReturnType<typeof exportJobKeys.history>,
  fetchPage: (n: number) => Promise<ExportJobPage>,
  start: ExportHistory,
  progressive: boolean,
): Promise<ExportHistory> {
  let history = start;
  for await (const { pageNum, page } of walkPages(fetchPage, { from: start.pagesLoaded + 1 })) {
    history = appendPage(history, page, pageNum, Date.now());
    // First load (or resuming one): show every page as it lands. A background reload swaps in at the end.
    if (progressive && !history.complete) client.setQueryData<ExportHistory>(queryKey, history);
  }
  return history;
}
