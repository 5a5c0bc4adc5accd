/**
 * The proxy's own refusals, worded as the dashboard's: the routing table's errors read like Atlas's (the
 * simulator answers with them), but when the proxy refuses, Atlas was never asked, and the user must not think
 * Atlas said no. Each detail starts with what the dashboard refused and why. The `X-Error-Source` header that
 * tells the SPA the same is set in app.ts (dashboard by default) and outcome.ts (atlas).
 */
import { apiError, INT32_MAX, type ApiError } from '../../atlas/index.ts';

export const ERROR_SOURCE = 'x-error-source';
export const FROM_ATLAS = { [ERROR_SOURCE]: 'atlas' } as const;
export const FROM_DASHBOARD = { [ERROR_SOURCE]: 'dashboard' } as const;

/** The answer when the dashboard itself failed (a bug, or a part it could not load): one wording for every layer. */
export function internalFailure(): ApiError {
  return apiError(500, 'INTERNAL_ERROR', 'The dashboard server failed to handle this request.');
}

/** Seconds a client is asked to wait when the dashboard answers during its shutdown (a restart takes a few). */
export const SHUTDOWN_RETRY_AFTER_SEC = 5;

/** The grace period of a shutdown ended before Atlas answered this request: it was not sent again. */
export function shuttingDown(): ApiError {
  return apiError(
    503,
    'SHUTTING_DOWN',
    `The dashboard is shutting down (or restarting) and stopped waiting for Atlas; retry in ${SHUTDOWN_RETRY_AFTER_SEC} s.`,
  );
}

/** Why a paging value is refused, in Atlas's terms; other parameters fall back to the rule they broke. */
const PAGING_RULES: Readonly<Record<string, (n: number) => string>> = {
  pageNum: (n) => (n < 1 ? 'Atlas pages start at 1' : `Atlas page numbers go from 1 to ${INT32_MAX}`),
  itemsPerPage: () => 'Atlas serves 1 to 500 items per page',
};

/** A query value as it may be quoted back: short, and without control characters. */
function shown(value: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, '\uFFFD');
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}

/** Rewords a query-parameter 400 from the routing table, keeping its code and field list. */
export function queryRefused(error: ApiError, search: URLSearchParams): ApiError {
  const field = error.badRequestDetail?.fields?.[0];
  if (!field) return { ...error, detail: 'The dashboard does not forward this query string.' };
  const values = search.getAll(field.field);
  if (values.length > 1) {
    return { ...error, detail: `The dashboard does not forward ${field.field} given twice: Atlas takes it once.` };
  }
  const raw = values[0] ?? '';
  const rule = Object.hasOwn(PAGING_RULES, field.field) ? PAGING_RULES[field.field] : undefined;
  const n = /^-?\d{1,20}$/.test(raw) ? Number(raw) : NaN;
  const why = rule && String(n) === raw ? rule(n) : `${field.field} ${field.description}`;
  return { ...error, detail: `The dashboard does not forward ${field.field}=${shown(raw)}: ${why}.` };
}

/** Rewords the routing table's 404/405/400 for a path the dashboard will not forward. */
export function pathRefused(error: ApiError, method: string): ApiError {
  if (error.error === 404) {
    return {
      ...error,
      detail: 'The dashboard does not forward this path: it is not one of the Atlas reads the dashboard serves.',
    };
  }
  if (error.error === 405) return methodRefused(method);
  const fields = error.badRequestDetail?.fields ?? [];
  const why = fields.map((f) => `${f.field} ${f.description}`).join('; ');
  return { ...error, detail: `The dashboard does not forward this path: ${why || 'a parameter is invalid'}.` };
}

export function methodRefused(method: string): ApiError {
  return apiError(
    405,
    'METHOD_NOT_ALLOWED',
    `The dashboard does not forward ${shown(method)} requests: it only reads from Atlas (GET and HEAD).`,
  );
}

export const queryTooLong = (max: number): ApiError =>
  apiError(414, 'URI_TOO_LONG', `The dashboard does not forward query strings longer than ${max} characters.`);

export const bodyRefused = (): ApiError =>
  apiError(400, 'INVALID_REQUEST', 'The dashboard does not forward a GET request with a body.');

/** The in-flight memory budget is full: refused before (or instead of) reading another Atlas response. */
export const busy = (): ApiError =>
  apiError(
    503,
    'PROXY_BUSY',
    'The dashboard is not forwarding this request now: the Atlas responses it is already reading fill its memory budget (PROXY_MAX_INFLIGHT_BYTES). Retry in a moment.',
  );
export const BUSY_HEADERS = { 'retry-after': '1', ...FROM_DASHBOARD } as const;

/** The local answer while Atlas's own 429 (or 503 with Retry-After) cool-down runs: Atlas's limit, not ours. */
export function coolingDown(status: 429 | 503): ApiError {
  return status === 503
    ? apiError(
        503,
        'SERVICE_UNAVAILABLE',
        'Atlas said it is unavailable and asked the dashboard to wait; retry after the indicated delay.',
      )
    : apiError(429, 'RATE_LIMITED', 'Atlas asked the dashboard to slow down; retry after the indicated delay.');
}
