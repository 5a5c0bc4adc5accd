import { isApiError, type ApiError } from '../../atlas/api-error.ts';
import { mediaType, operation, type OperationId } from '../../atlas/operations.ts';
import { buildPath, type PathParams, type QueryValue } from '../../atlas/routing.ts';
import type {} from '../early-fetch.ts';
import { atlasRequests } from './request-limiter.ts';

/** Atlas's advice when a 429 carries no Retry-After: wait at least 10 s. */
const RATE_LIMIT_WAIT_MS = 10_000;

export type RequestFailureKind = 'http' | 'network' | 'malformed';

/** Every failed call to the proxy becomes one of these, so the UI can explain it in plain words. */
export class AtlasRequestError extends Error {
  readonly kind: RequestFailureKind;
  /** HTTP status; 0 when no response arrived. */
  readonly status: number;
  readonly body: ApiError | undefined;
  /** From `Retry-After` (seconds or HTTP date), in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(kind: RequestFailureKind, status: number, message: string, body?: ApiError, retryAfterMs?: number) {
    super(message);
    this.name = 'AtlasRequestError';
    this.kind = kind;
    this.status = status;
    this.body = body;
    this.retryAfterMs = retryAfterMs;
  }

  get errorCode(): string | undefined {
    return this.body?.errorCode;
  }

  /** 4xx other than 429: retrying without a change somewhere else cannot help. */
  get isPermanent(): boolean {
    return this.kind === 'http' && this.status >= 400 && this.status < 500 && this.status !== 429;
  }
}

export function isAtlasRequestError(value: unknown): value is AtlasRequestError {
  return value instanceof AtlasRequestError;
}

/** Parses `Retry-After`: delta-seconds or an HTTP date (RFC 9110 10.2.3). */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d{1,7}$/.test(trimmed)) return Number(trimmed) * 1000;
  // Only an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"): Date.parse alone would accept "-5" as a year.
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The browser-facing URL of an Atlas operation: the proxy serves the same paths and query names as Atlas. */
export function atlasUrl(id: OperationId, params: PathParams, query: Record<string, QueryValue> = {}): string {
  const path = buildPath(operation(id), params);
  const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
  return search ? `${path}?${search}` : path;
}

/** GET one Atlas operation through the proxy. Throws AtlasRequestError on anything but a 2xx JSON body. */
export async function atlasGet<T>(
  id: OperationId,
  params: PathParams,
  query: Record<string, QueryValue> = {},
  signal?: AbortSignal,
): Promise<T> {
  // Through the shared gate: a bounded number on the wire, and a 429 holds every queued read until Retry-After.
  return atlasRequests.run(async () => {
    try {
      return await getJson<T>(atlasUrl(id, params, query), mediaType(operation(id).version), signal);
    } catch (err) {
      if (isAtlasRequestError(err) && err.status === 429)
        atlasRequests.pauseFor(err.retryAfterMs ?? RATE_LIMIT_WAIT_MS);
      throw err;
    }
  }, signal);
}

/** Adopts the request early-fetch.ts started at page load, once, if it is for this URL and still fresh. */
function takeEarlyResponse(url: string): Promise<Response> | undefined {
  const early = typeof window === 'undefined' ? undefined : window.__atlasEarly;
  if (!early || early.url !== url) return undefined;
  window.__atlasEarly = undefined;
  return performance.now() - early.at < 10_000 ? early.response : undefined;
}

export async function getJson<T>(url: string, accept = 'application/json', signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await (takeEarlyResponse(url) ??
      fetch(url, { headers: { Accept: accept }, signal: signal ?? null, credentials: 'same-origin' }));
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new AtlasRequestError('network', 0, 'The dashboard server could not be reached.');
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok) {
    if (body === undefined)
      throw new AtlasRequestError('malformed', response.status, 'The response was not valid JSON.');
    // Types come from the official spec; the proxy forwards Atlas's JSON unchanged.
    return body as T;
  }
  const apiError = isApiError(body) ? body : undefined;
  const detail = apiError?.detail ?? apiError?.reason ?? response.statusText;
  throw new AtlasRequestError(
    'http',
    response.status,
    `${response.status} ${detail || 'request failed'}`,
    apiError,
    parseRetryAfter(response.headers.get('Retry-After')),
  );
}
