import type { Link } from '../../atlas/index.ts';

export interface PageQuery {
  pageNum: number;
  itemsPerPage: number;
  includeCount: boolean;
}

export interface Page<T> {
  results: T[];
  totalCount?: number;
  links: Link[];
}

export function pageQuery(values: Record<string, unknown>): PageQuery {
  return {
    pageNum: typeof values.pageNum === 'number' ? values.pageNum : 1,
    itemsPerPage: typeof values.itemsPerPage === 'number' ? values.itemsPerPage : 100,
    includeCount: typeof values.includeCount === 'boolean' ? values.includeCount : true,
  };
}

/**
 * One page plus Atlas's links: `self` always, `previous` except on page 1, `next` while items remain. Link
 * hrefs carry includeCount, pageNum and itemsPerPage in that order, as Atlas's recordings show, plus any filter.
 */
export function paginate<T, R>(
  items: readonly T[],
  q: PageQuery,
  selfUrl: string,
  view: (item: T) => R,
  filters: Record<string, string> = {},
): Page<R> {
  const from = (q.pageNum - 1) * q.itemsPerPage;
  const results = items.slice(from, from + q.itemsPerPage).map(view);
  const href = (pageNum: number) => {
    const sp = new URLSearchParams({
      includeCount: String(q.includeCount),
      pageNum: String(pageNum),
      itemsPerPage: String(q.itemsPerPage),
      ...filters,
    });
    return `${selfUrl}?${sp.toString()}`;
  };
  const links: Link[] = [];
  if (q.pageNum > 1) links.push({ href: href(q.pageNum - 1), rel: 'previous' });
  links.push({ href: href(q.pageNum), rel: 'self' });
  if (from + q.itemsPerPage < items.length) links.push({ href: href(q.pageNum + 1), rel: 'next' });
  return { links, results, ...(q.includeCount ? { totalCount: items.length } : {}) };
}
