/**
 * What the browser gets for an upstream exchange. Bodies are always JSON: Atlas data on success, otherwise an
 * Atlas-shaped ApiError, sanitized to the known fields (an upstream body must not smuggle anything else out).
 * Upstream headers are dropped except an explicit allowlist; WWW-Authenticate never passes (it would pop the
 * browser's native login prompt) and neither does Set-Cookie.
 */
import { apiError, isApiError, type ApiError } from '../../atlas/index.ts';
import type { Cacheable } from './cache.ts';
import { AuthError } from './auth/authenticator.ts';
import { scrubString } from '../scrubber.ts';
import { busy, BUSY_HEADERS, FROM_ATLAS } from './refusals.ts';
import { retryAfterMs, UpstreamError, type UpstreamResponse } from './upstream.ts';

export interface Outcome extends Cacheable {
  status: number;
  headers: Record<string, string>;
}

/** The status Atlas answered when the proxy reports it under its own (a 5xx as 502). */
export const ATLAS_STATUS = 'x-atlas-status';

const PASS_HEADERS = ['ratelimit-limit', 'ratelimit-remaining', 'deprecation', 'sunset'] as const;

export function errorOutcome(error: ApiError, headers: Record<string, string> = {}): Outcome {
  return { status: error.error, headers, body: Buffer.from(JSON.stringify(error)), ttlMs: 0 };
}

/** An error that comes from Atlas (relayed, sanitized, or Atlas failing to answer), marked so for the SPA. */
function atlasError(error: ApiError, headers: Record<string, string> = {}): Outcome {
  return errorOutcome(error, { ...headers, ...FROM_ATLAS });
}

export interface MapContext {
  authKind: 'serviceAccount' | 'apiKey';
  ttlMs: number;
  notFoundTtlMs: number;
  attempts: number;
  /** The log's redaction, applied to every string of an Atlas error body before it is relayed. */
  scrub: (jsonText: string) => string;
}

export function fromUpstream(res: UpstreamResponse, ctx: MapContext): Outcome {
  const headers = passHeaders(res);
  const s = res.status;
  if (s >= 200 && s < 300) return success(res, headers, ctx.ttlMs);
  if (s >= 300 && s < 400)
    return atlasError(
      apiError(502, 'UPSTREAM_ERROR', 'Atlas answered with a redirect, which the proxy does not follow.'),
    );
  if (s === 401) return atlasError(credentialsRejected(ctx.authKind));
  if (s === 429 || s === 503) {
    const retryAfter = Math.ceil((retryAfterMs(res.headers['retry-after']) ?? 0) / 1000);
    if (s === 429 || retryAfter > 0) {
      const body = sanitized(
        res,
        ctx.scrub,
        s,
        s === 429 ? 'RATE_LIMITED' : 'SERVICE_UNAVAILABLE',
        s === 429 ? 'Atlas rate limit reached.' : 'Atlas is unavailable.',
      );
      return atlasError(body, retryAfter > 0 ? { ...headers, 'retry-after': String(retryAfter) } : headers);
    }
  }
  if (s >= 500) {
    // Reported as the gateway's 502, with Atlas's own status named for the SPA (it tells "Atlas is unavailable"
    // from "Atlas failed" by it).
    return atlasError(
      apiError(
        502,
        'UPSTREAM_ERROR',
        `Atlas answered HTTP ${s} (${ctx.attempts} attempt${ctx.attempts > 1 ? 's' : ''}).`,
      ),
      { [ATLAS_STATUS]: String(s) },
    );
  }
  const outcome = atlasError(sanitized(res, ctx.scrub, s, 'UPSTREAM_ERROR', `Atlas answered HTTP ${s}.`), headers);
  // A 404 may turn into a 200 moments later (a job just created), so it is cached only briefly.
  return s === 404 ? { ...outcome, ttlMs: Math.min(ctx.ttlMs, ctx.notFoundTtlMs) } : outcome;
}

export function credentialsRejected(authKind: 'serviceAccount' | 'apiKey'): ApiError {
  const vars =
    authKind === 'serviceAccount'
      ? 'MONGODB_ATLAS_CLIENT_ID/MONGODB_ATLAS_CLIENT_SECRET'
      : 'MONGODB_ATLAS_PUBLIC_API_KEY/MONGODB_ATLAS_PRIVATE_API_KEY';
  return apiError(
    502,
    'UPSTREAM_AUTH',
    `Atlas rejected the dashboard's credentials: check ${vars}, that the key is not expired or revoked, and that it belongs to the organization that owns the project.`,
  );
}

export function fromError(err: unknown, authKind: 'serviceAccount' | 'apiKey'): Outcome {
  if (err instanceof AuthError) {
    if (err.kind === 'rejected') return atlasError(credentialsRejected(authKind));
    return atlasError(
      apiError(503, 'TOKEN_ERROR', `Could not obtain an Atlas access token: ${err.message}.`),
      err.retryAfterMs ? { 'retry-after': String(Math.ceil(err.retryAfterMs / 1000)) } : {},
    );
  }
  if (err instanceof UpstreamError) {
    if (err.kind === 'busy') return errorOutcome(busy(), { ...BUSY_HEADERS });
    if (err.kind === 'timeout') return atlasError(apiError(504, 'UPSTREAM_TIMEOUT', `${err.message}.`));
    if (err.kind === 'too-large') return atlasError(apiError(502, 'UPSTREAM_RESPONSE_TOO_LARGE', `${err.message}.`));
    if (err.kind === 'aborted')
      return atlasError(apiError(499 as number, 'CLIENT_CLOSED', 'The request was cancelled.'));
    return atlasError(apiError(502, 'UPSTREAM_ERROR', `${err.message}.`));
  }
  return atlasError(apiError(502, 'UPSTREAM_ERROR', 'The request to Atlas failed.'));
}

function success(res: UpstreamResponse, headers: Record<string, string>, ttlMs: number): Outcome {
  const type = res.headers['content-type'] ?? '';
  // Anything but JSON (an HTML error page from a middlebox, a truncated body) must not reach the browser.
  if (!/^application\/(?:vnd\.atlas\.[0-9-]+\+)?json\b/i.test(type) || !looksLikeJson(res.body)) {
    return atlasError(apiError(502, 'UPSTREAM_ERROR', 'Atlas returned a response that is not valid JSON.'));
  }
  return { status: res.status, headers, body: res.body, ttlMs };
}

function passHeaders(res: UpstreamResponse): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of PASS_HEADERS) {
    const v = res.headers[name];
    if (v !== undefined && /^[\x20-\x7e]{1,200}$/.test(v)) out[name] = v;
  }
  return out;
}

function sanitized(
  res: UpstreamResponse,
  scrub: (jsonText: string) => string,
  status: number,
  fallbackCode: string,
  fallbackDetail: string,
): ApiError {
  const body = parseJson(res.body);
  if (!isApiError(body)) return apiError(status, fallbackCode, fallbackDetail);
  // Atlas may quote the request back (an Authorization header, a token): scrubbed as the log is.
  const text = (v: unknown, max: number) => (typeof v === 'string' ? scrubString(scrub, v.slice(0, max)) : undefined);
  const code = /^[A-Z0-9_]{1,100}$/.test(body.errorCode) ? body.errorCode : fallbackCode;
  const out = apiError(status, code, text(body.detail, 1000) ?? fallbackDetail, {
    parameters: Array.isArray(body.parameters)
      ? (body.parameters as unknown[])
          .slice(0, 20)
          .flatMap((p): (string | number)[] =>
            typeof p === 'number' ? [p] : typeof p === 'string' ? [text(p, 200) ?? ''] : [],
          )
      : [],
  });
  const fields = body.badRequestDetail?.fields;
  if (Array.isArray(fields)) {
    out.badRequestDetail = {
      fields: fields
        .slice(0, 50)
        .map((f) => ({ field: text(f.field, 200) ?? '', description: text(f.description, 500) ?? '' })),
    };
  }
  return out;
}

/**
 * A structural check, not a full parse: parsing every 60 KB page would cost more than the rest of the proxy.
 * It stops HTML error pages and bodies cut short (Content-Length mismatches are already transport errors); the
 * browser's JSON.parse is the final validator, and nothing but JSON is ever served as JSON here.
 */
function looksLikeJson(body: Buffer): boolean {
  const space = (b: number | undefined) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
  let i = 0;
  let j = body.length - 1;
  while (i <= j && space(body[i])) i++;
  while (j >= i && space(body[j])) j--;
  const first = body[i];
  const last = body[j];
  return i < j && ((first === 0x7b && last === 0x7d) || (first === 0x5b && last === 0x5d));
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
