/**
 * Starts the export-jobs request of a bookmarked table URL (or the fleet's one request) while the main bundle is still downloading and
 * compiling, so the data and the code arrive together instead of one after the other. The main bundle adopts
 * the response (`takeEarlyResponse` in lib/api-client.ts) when it asks for the very same URL.
 * No imports: this file is its own tiny entry chunk. `early-fetch.test.ts` keeps it in step with the app's
 * own URL building and search parsing.
 */

const EXPORTS_ROUTE = /^\/projects\/([a-f0-9]{24})\/clusters\/([a-zA-Z0-9][a-zA-Z0-9-]{0,63})\/exports\/?$/;
const PER_PAGE_OPTIONS = [10, 25, 50, 100, 500];
const DEFAULT_PER_PAGE = 50;
/** Any of these makes the table read the whole history, which starts with page 1 at 500 rows. */
const HISTORY_PARAMS = ['state', 'q', 'since', 'until', 'sort'];
const HISTORY_PAGE_SIZE = 500;
/** The newest jobs the history holds (model.ts MAX_HISTORY_JOBS): pages beyond are Atlas's own. */
const MAX_HISTORY_JOBS = 20_000;
/** The media type of listGroupClusterBackupExports at the pinned API version. */
export const EXPORTS_ACCEPT = 'application/vnd.atlas.2023-01-01+json';

export function earlyExportsUrl(pathname: string, search: string): string | undefined {
  const match = EXPORTS_ROUTE.exec(pathname);
  if (!match) return undefined;
  const params = new URLSearchParams(search);
  const base = `/api/atlas/v2/groups/${match[1]}/clusters/${match[2]}/backup/exports`;
  if (HISTORY_PARAMS.some((p) => params.get(p)?.trim()))
    return `${base}?pageNum=1&itemsPerPage=${HISTORY_PAGE_SIZE}&includeCount=true`;
  const page = Number(params.get('page') ?? 1);
  const perPage = Number(params.get('perPage') ?? DEFAULT_PER_PAGE);
  const pageNum = Number.isInteger(page) && page >= 1 && page <= 1_000_000 ? page : 1;
  // The nearest offered size, as the app's search validation snaps it.
  const itemsPerPage =
    Number.isInteger(perPage) && perPage >= 1
      ? PER_PAGE_OPTIONS.reduce((best, o) => (Math.abs(o - perPage) < Math.abs(best - perPage) ? o : best))
      : DEFAULT_PER_PAGE;
  // A page within the history's reach is read from the history, which starts with page 1 at 500 rows.
  if (pageNum * itemsPerPage <= MAX_HISTORY_JOBS)
    return `${base}?pageNum=1&itemsPerPage=${HISTORY_PAGE_SIZE}&includeCount=true`;
  return `${base}?pageNum=${pageNum}&itemsPerPage=${itemsPerPage}&includeCount=true`;
}

declare global {
  interface Window {
    __atlasEarly?: { url: string; at: number; response: Promise<Response> };
  }
}

/** The fleet (`/`) reads one document, the watch's `/api/fleet`. */
export const FLEET_URL = '/api/fleet';

if (typeof window !== 'undefined' && typeof document !== 'undefined') {
  const fleet = location.pathname === '/';
  const url = fleet ? FLEET_URL : earlyExportsUrl(location.pathname, location.search);
  if (url) {
    const accept = fleet ? 'application/json' : EXPORTS_ACCEPT;
    const response = fetch(url, { headers: { Accept: accept }, credentials: 'same-origin' });
    // An unadopted failure must not surface as an unhandled rejection; the app fetches again itself.
    response.catch(() => undefined);
    window.__atlasEarly = { url, at: performance.now(), response };
  }
}
