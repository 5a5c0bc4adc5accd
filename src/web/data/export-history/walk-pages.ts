import type { ExportJobPage } from '../../../atlas/types.ts';
import { HISTORY_PAGE_SIZE, MAX_HISTORY_PAGES, MAX_PAGES_IN_FLIGHT, pageHasNext } from './model.ts';

export interface WalkOptions {
  /** First page to read (1-based, Atlas's pageNum). */
  from: number;
  perPage?: number;
  maxPages?: number;
  inFlight?: number;
}

/**
 * Reads Atlas pages `from`, `from + 1`, … until one says it is the last, yielding them in order. Up to `inFlight`
 * requests run at once, but only for pages the estimated total says exist, so a 1,250-job cluster costs exactly
 * three calls; without an estimate it reads ahead speculatively. A failed page ends the walk with its error
 * after the pages before it were yielded.
 */
export async function* walkPages(
  fetchPage: (pageNum: number) => Promise<ExportJobPage>,
  { from, perPage = HISTORY_PAGE_SIZE, maxPages = MAX_HISTORY_PAGES, inFlight = MAX_PAGES_IN_FLIGHT }: WalkOptions,
): AsyncGenerator<{ pageNum: number; page: ExportJobPage }> {
  const pending = new Map<number, Promise<ExportJobPage>>();
  let next = from;
  // Until the first answer, nothing is known about how many pages exist: ask for one.
  let lastKnown = from;
  const launch = () => {
    while (pending.size < inFlight && next <= Math.min(lastKnown, maxPages)) {
      const promise = fetchPage(next);
      // A read-ahead page may be abandoned when an earlier one fails; its rejection is not an unhandled one.
      promise.catch(() => undefined);
      pending.set(next, promise);
      next++;
    }
  };
  for (let pageNum = from; pageNum <= maxPages; pageNum++) {
    launch();
    const promise = pending.get(pageNum);
    if (!promise) return;
    const page = await promise;
    pending.delete(pageNum);
    yield { pageNum, page };
    if (!pageHasNext(page, pageNum, perPage)) return;
    lastKnown =
      page.totalCount !== undefined ? Math.max(pageNum + 1, Math.ceil(page.totalCount / perPage)) : pageNum + inFlight;
  }
}
