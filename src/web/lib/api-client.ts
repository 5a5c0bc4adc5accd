import { isApiError, type ApiError } from '../../atlas/api-error.ts';
import { mediaType, operation, type OperationId } from '../../atlas/operations.ts';
import { buildPath, type PathParams, type QueryValue } from '../../atlas/routing.ts';
import type {} from '../early-fetch.ts';
import { shapeProblem, type ShapeProblem } from './atlas-schemas.ts';
import { atlasRequests } from './request-limiter.ts';

/** `shape`: valid JSON that does not match the contract for the fields the dashboard reads. */
export type RequestFailureKind = 'http' | 'network' | 'malformed' | 'shape';
/** Who refused: the proxy marks its own refusals `X-Error-Source: dashboard`; anything unmarked came from Atlas. */
export type ErrorSource = 'dashboard' | 'atlas';

/** When Atlas sends a 429 without Retry-After, its docs advise waiting at least 10 s. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 10_000;

export interface RequestErrorDetails {
  source?: ErrorSource;
  shape?: ShapeProblem;
  /** The status Atlas itself answered, when the proxy reports it under another one (`X-Atlas-Status`). */
  atlasStatus?: number;
}

/** Every failed call to the proxy becomes one of these, so the UI can explain it in plain words. */
export class AtlasRequestError extends Error {
  readonly kind: RequestFailureKind;
  /** HTTP status; 0 when no response arrived. */
  readonly status: number;
  readonly body: ApiError | undefined;
  /** From `Retry-After` (seconds or HTTP date), in milliseconds. */
  readonly retryAfterMs: number | undefined;
  readonly source: ErrorSource;
  /** For `kind: 'shape'`: the first field that departs from the contract. */
  readonly shape: ShapeProblem | undefined;
  /**
   * What Atlas itself answered: the proxy reports a persistent Atlas 5xx as its own 502 and names Atlas's status
   * in `X-Atlas-Status`; an error Atlas sent that the proxy relays as is has that status. Undefined when Atlas did
   * not answer (the dashboard refused, the network failed, Atlas timed out).
   */
  readonly atlasStatus: number | undefined;

  constructor(
    kind: RequestFailureKind,
    status: number,
    message: string,
    body?: ApiError,
    retryAfterMs?: number,
    extra: RequestErrorDetails = {},
  ) {
    super(message);
    this.name = 'AtlasRequestError';
    this.kind = kind;
    this.status = status;
    this.body = body;
    this.retryAfterMs = retryAfterMs;
    this.source = extra.source ?? 'atlas';
    this.shape = extra.shape;
    this.atlasStatus =
      extra.atlasStatus ??
      (kind === 'http' && this.source === 'atlas' && !/^UPSTREAM_|^TOKEN_/.test(body?.errorCode ?? '')
        ? status
        : undefined);
  }

  get errorCode(): string | undefined {
    return this.body?.errorCode;
  }

  /**
   * 4xx other than 429, and Atlas refusing the server's credentials (the proxy's 502 UPSTREAM_AUTH): retrying
   * without a change somewhere else cannot help, and each retry would make the proxy ask for another token.
   */
  get isPermanent(): boolean {
    if (this.kind !== 'http') return false;
    return (this.status >= 400 && this.status < 500 && this.status !== 429) || this.errorCode === 'UPSTREAM_AUTH';
  }

  /**
   * How long to send nothing: a 429 (Retry-After, or Atlas's advised 10 s), or a 503 that says when to come back.
   * Undefined for every other error. Retrying sooner only spends a quota shared with everyone on these credentials.
   */
  get coolDownMs(): number | undefined {
    if (this.kind !== 'http') return undefined;
    if (this.status === 429) return this.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS;
    if (this.status === 503 && this.retryAfterMs !== undefined) return this.retryAfterMs;
    return undefined;
  }
}

export function isAtlasRequestError(value: unknown): value is AtlasRequestError {
  return value instanceof AtlasRequestError;
}

/** When a cool-down (429, or 503 with Retry-After) ends (epoch ms), or 0 when the last error asked for none. */
export function coolDownEnd(error: unknown, errorUpdatedAt: number): number {
  const wait = isAtlasRequestError(error) ? error.coolDownMs : undefined;
  return wait === undefined ? 0 : errorUpdatedAt + wait;
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
  // Through the shared gate: a bounded number on the wire, and a cool-down (a 429, or a 503 with Retry-After)
  // holds every queued read until it has passed.
  const body = await atlasRequests.run(async () => {
    try {
      return await getJson<unknown>(atlasUrl(id, params, query), mediaType(operation(id).version), signal);
    } catch (err) {
      const pause = isAtlasRequestError(err) ? err.coolDownMs : undefined;
      if (pause !== undefined) atlasRequests.pauseFor(pause);
      throw err;
    }
  }, signal);
  if (!readable<T>(id, body)) throw shapeError(id, body);
  return body;
}

/** The one check of Atlas's bodies: the schema for this operation mirrors the generated type `T` it promises. */
function readable<T>(id: OperationId, body: unknown): body is T {
  return shapeProblem(id, body) === undefined;
}

function shapeError(id: OperationId, body: unknown): AtlasRequestError {
  const shape = shapeProblem(id, body) ?? { path: '(body)', expected: 'the documented shape', got: 'something else' };
  return new AtlasRequestError(
    'shape',
    200,
    `Unexpected answer for ${id}: ${shape.path} should be ${shape.expected} but is ${shape.got}.`,
    undefined,
    undefined,
    { shape },
  );
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
  throw httpError(response, body);
}

/** A non-2xx answer, with who sent it (the header the proxy sets on its own refusals) and when to come back. */
export function httpError(response: Pick<Response, 'status' | 'statusText' | 'headers'>, body: unknown) {
  const apiError = isApiError(body) ? body : undefined;
  const detail = apiError?.detail ?? apiError?.reason ?? response.statusText;
  const source: ErrorSource =
    response.headers.get('X-Error-Source')?.trim().toLowerCase() === 'dashboard' ? 'dashboard' : 'atlas';
  const reported = /^[1-5]\d\d$/.exec(response.headers.get('X-Atlas-Status')?.trim() ?? '');
  return new AtlasRequestError(
    'http',
    response.status,
    `${response.status} ${detail || 'request failed'}`,
    apiError,
    parseRetryAfter(response.headers.get('Retry-After')),
    { source, ...(reported ? { atlasStatus: Number(reported[0]) } : {}) },
  );
}
