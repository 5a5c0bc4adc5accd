/**
 * `/api/atlas/v2/*`: the allowlisted GET operations of the operation table, nothing else. The raw request
 * target is matched segment by segment (never decoded, never resolved against a base URL); the upstream path
 * is rebuilt from the table and the validated parameters; only allowlisted query parameters go upstream.
 */
import {
  API_PREFIX,
  apiError,
  buildPath,
  matchOperation,
  mediaType,
  parseQuery,
  type OperationSpec,
  type PathParams,
  type QueryValue,
} from '../../atlas/index.ts';
import type { ProxySettings } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { Authenticator } from './auth/authenticator.ts';
import { ClientGoneError, CoalescingCache, type CacheStatus } from './cache.ts';
import { errorOutcome, fromError, fromUpstream, type Outcome } from './outcome.ts';
import { CoolDown, TokenBucket } from './rate-gate.ts';
import { withRetries } from './retry.ts';
import { retryAfterMs } from './upstream.ts';

const MAX_QUERY_LENGTH = 2048;
const MAX_VALIDATED = 4096;
/** nginx's 499: the client closed the connection before the answer; logged, never sent (nobody is listening). */
const CLIENT_GONE = errorOutcome(apiError(499, 'CLIENT_CLOSED', 'The request was cancelled by the client.'));
const READ_ONLY = errorOutcome(apiError(405, 'METHOD_NOT_ALLOWED', 'The dashboard proxy is read-only.'), {
  allow: 'GET, HEAD',
});

export interface ProxyResult {
  outcome: Outcome;
  /** Route template for logs (never the raw path), or undefined when nothing matched. */
  route?: string;
  cache?: CacheStatus;
  upstreamMs?: number;
}

/** A request that passed every check and needs the cache or Atlas. */
export interface Prepared {
  route: string;
  op: OperationSpec;
  path: string;
  scope: string;
  key: string;
}

export interface Proxy {
  handle(method: string, rawTarget: string, hasBody: boolean, signal?: AbortSignal): Promise<ProxyResult>;
  /** The phases of handle(), for the HTTP fast path: checks, a synchronous cache lookup, then the load. */
  prepare(method: string, rawTarget: string, hasBody: boolean): ProxyResult | Prepared;
  hit(p: Prepared): ProxyResult | undefined;
  fetch(p: Prepared, signal?: AbortSignal): Promise<ProxyResult>;
  readonly cache: CoalescingCache<Outcome>;
}

export function createProxy(deps: {
  auth: Authenticator;
  settings: ProxySettings;
  logger?: Logger;
  metrics?: Pick<Metrics, 'cache' | 'coolDown'>;
  now?: () => number;
}): Proxy {
  const { auth, settings: s } = deps;
  const now = deps.now ?? Date.now;
  const cache = new CoalescingCache<Outcome>({ maxEntries: s.cacheMaxEntries });
  const coolDown = new CoolDown(s.rateLimitDefaultMs, now);
  const bucket = new TokenBucket(s.upstreamRatePerSec, s.upstreamBurst, now);
  const timing = new WeakMap<Outcome, number>();
  const validated = new Map<string, Prepared>();

  async function load(op: OperationSpec, path: string, scope: string, signal: AbortSignal): Promise<Outcome> {
    if (!bucket.take()) {
      return errorOutcome(
        apiError(
          429,
          'PROXY_RATE_LIMITED',
          'Too many distinct requests; the dashboard is protecting the shared Atlas quota.',
        ),
        { 'retry-after': '1' },
      );
    }
    const started = performance.now();
    const request = { method: 'GET' as const, path, headers: { accept: mediaType(op.version) } };
    let outcome: Outcome;
    try {
      const budgetMs = s.connectTimeoutMs + s.headersTimeoutMs + s.bodyTimeoutMs;
      const onRetry = (reason: string, delayMs: number) =>
        deps.logger?.debug('retrying upstream', { route: API_PREFIX + op.path, reason, delayMs: Math.round(delayMs) });
      const retry = { maxRetries: s.maxRetries, baseMs: s.retryBaseMs, budgetMs, onRetry };
      const { res, attempts } = await withRetries(() => auth.send(request, signal), retry, signal);
      if (res.status === 429) {
        coolDown.block(scope, retryAfterMs(res.headers['retry-after']));
        deps.metrics?.coolDown();
      } else if (res.status < 400) coolDown.succeeded(scope);
      outcome = fromUpstream(res, {
        authKind: auth.kind,
        ttlMs: s.cacheTtlMs,
        notFoundTtlMs: s.notFoundTtlMs,
        attempts,
      });
      if (res.status === 429) outcome = withRetryAfter(outcome, coolDown.remaining(scope));
    } catch (err) {
      outcome = fromError(err, auth.kind);
    }
    timing.set(outcome, performance.now() - started);
    return outcome;
  }

  /**
   * Everything decided before any I/O: method, allowlist match, parameters, cool-down. Returns either the
   * answer (an error) or what the load needs. Synchronous, so a cache hit never waits on a promise.
   */
  function prepare(method: string, rawTarget: string, hasBody: boolean): ProxyResult | Prepared {
    if (method !== 'GET' && method !== 'HEAD') return { outcome: READ_ONLY };
    let p = hasBody ? undefined : validated.get(rawTarget);
    if (!p) {
      const checked = validate(rawTarget, hasBody);
      if ('outcome' in checked) return checked;
      // Dashboards poll the same few URLs: remember what passed, bounded by clearing when full.
      if (validated.size >= MAX_VALIDATED) validated.clear();
      validated.set(rawTarget, (p = checked));
    }
    const wait = coolDown.remaining(p.scope);
    if (wait > 0) {
      const body = apiError(
        429,
        'RATE_LIMITED',
        'Atlas asked the dashboard to slow down; retry after the indicated delay.',
      );
      return { route: p.route, outcome: errorOutcome(body, { 'retry-after': String(Math.ceil(wait / 1000)) }) };
    }
    return p;
  }

  /** The allowlist match and parameter checks: a pure function of the raw target. */
  function validate(rawTarget: string, hasBody: boolean): ProxyResult | Prepared {
    const q = rawTarget.indexOf('?');
    const rawPath = q < 0 ? rawTarget : rawTarget.slice(0, q);
    const rawQuery = q < 0 ? '' : rawTarget.slice(q + 1);
    if (rawQuery.length > MAX_QUERY_LENGTH)
      return { outcome: errorOutcome(apiError(414, 'URI_TOO_LONG', 'The query string is too long.')) };
    const match = matchOperation('GET', rawPath);
    if (!match.ok) return { outcome: errorOutcome(match.error) };
    const route = API_PREFIX + match.op.path;
    if (match.op.method !== 'GET') return { route, outcome: READ_ONLY };
    if (hasBody)
      return { route, outcome: errorOutcome(apiError(400, 'INVALID_REQUEST', 'A GET request must not have a body.')) };
    const query = parseQuery(match.op, new URLSearchParams(rawQuery));
    if (!query.ok) return { route, outcome: errorOutcome(query.error) };
    const path = upstreamPath(match.op, match.params, query.values);
    const scope = scopeKey(match.op, match.params);
    return { route, op: match.op, path, scope, key: `${auth.identity} ${path}` };
  }

  function hit(p: Prepared): ProxyResult | undefined {
    const value = cache.peek(p.key);
    if (!value) return undefined;
    deps.metrics?.cache('hit');
    return { route: p.route, outcome: value, cache: 'HIT' };
  }

  async function fetch(p: Prepared, signal?: AbortSignal): Promise<ProxyResult> {
    try {
      const { value, status } = await cache.get(p.key, (sig) => load(p.op, p.path, p.scope, sig), signal);
      deps.metrics?.cache(status === 'HIT' ? 'hit' : status === 'MISS' ? 'miss' : 'shared');
      const upstreamMs = status === 'MISS' ? timing.get(value) : undefined;
      return { route: p.route, outcome: value, cache: status, ...(upstreamMs !== undefined ? { upstreamMs } : {}) };
    } catch (err) {
      if (err instanceof ClientGoneError) return { route: p.route, outcome: CLIENT_GONE };
      throw err;
    }
  }

  async function handle(
    method: string,
    rawTarget: string,
    hasBody: boolean,
    signal?: AbortSignal,
  ): Promise<ProxyResult> {
    const p = prepare(method, rawTarget, hasBody);
    if ('outcome' in p) return p;
    return hit(p) ?? fetch(p, signal);
  }

  return { handle, prepare, hit, fetch, cache };
}

/** Canonical upstream path: built from the table, forwarded query names sorted, so equal requests share a key. */
function upstreamPath(op: OperationSpec, params: PathParams, values: Record<string, QueryValue>): string {
  const forwarded = Object.keys(values)
    .filter((name) => op.query[name]?.proxied)
    .sort()
    .map((name) => [name, String(values[name])]);
  const qs = new URLSearchParams(forwarded).toString();
  return buildPath(op, params) + (qs ? `?${qs}` : '');
}

/** Atlas rate-limits per endpoint set and scope (project, organization or user). */
function scopeKey(op: OperationSpec, params: PathParams): string {
  const id =
    op.rateLimit.scope === 'GROUP' ? params.groupId : op.rateLimit.scope === 'ORGANIZATION' ? params.orgId : 'user';
  return `${op.rateLimit.set}:${id ?? 'user'}`;
}

function withRetryAfter(outcome: Outcome, remainingMs: number): Outcome {
  const seconds = Math.max(1, Math.ceil(remainingMs / 1000));
  return { ...outcome, headers: { ...outcome.headers, 'retry-after': String(seconds) } };
}
