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
import { createScrubber } from '../scrubber.ts';
import { AuthError, type Authenticator } from './auth/authenticator.ts';
import { ClientGoneError, CoalescingCache, type CacheStatus } from './cache.ts';
import { errorOutcome, fromError, fromUpstream, type Outcome } from './outcome.ts';
import { CoolDown, TokenBucket } from './rate-gate.ts';
import type { ByteBudget } from './budget.ts';
import {
  bodyRefused,
  busy,
  BUSY_HEADERS,
  coolingDown,
  FROM_ATLAS,
  methodRefused,
  pathRefused,
  queryRefused,
  queryTooLong,
  SHUTDOWN_RETRY_AFTER_SEC,
  shuttingDown,
} from './refusals.ts';
import { withRetries } from './retry.ts';
import { retryAfterMs, UpstreamError } from './upstream.ts';

const MAX_QUERY_LENGTH = 2048;
const MAX_VALIDATED = 4096;
/** nginx's 499: the client closed the connection before the answer; logged, never sent (nobody is listening). */
const CLIENT_GONE = errorOutcome(apiError(499, 'CLIENT_CLOSED', 'The request was cancelled by the client.'));

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
  /**
   * Shutdown's grace period is over: from now on a load that fails because its call was cut, or that would
   * start another attempt, answers 503 SHUTTING_DOWN with Retry-After instead of a reset or a 499.
   */
  shutdown(): void;
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
  /** The upstream's in-flight memory budget: when it is full, nothing more is sent. */
  budget?: ByteBudget;
}): Proxy {
  const { auth, settings: s } = deps;
  const now = deps.now ?? Date.now;
  const cache = new CoalescingCache<Outcome>({ maxEntries: s.cacheMaxEntries });
  const coolDown = new CoolDown(s.rateLimitDefaultMs, now);
  const bucket = new TokenBucket(s.upstreamRatePerSec, s.upstreamBurst, now);
  const timing = new WeakMap<Outcome, number>();
  const scrubber = deps.logger ?? createScrubber();
  const scrub = (text: string) => scrubber.scrub(text);
  const validated = new Map<string, Prepared>();
  let stopping = false;
  const stopped = () => errorOutcome(shuttingDown(), { 'retry-after': String(SHUTDOWN_RETRY_AFTER_SEC) });

  async function load(op: OperationSpec, path: string, scope: string, signal: AbortSignal): Promise<Outcome> {
    if (stopping) return stopped();
    if (deps.budget?.full) return errorOutcome(busy(), { ...BUSY_HEADERS });
    if (!bucket.take()) {
      return errorOutcome(
        apiError(
          429,
          'PROXY_RATE_LIMITED',
          'The dashboard is holding back this request: too many distinct requests would reach Atlas at once, and it protects the shared Atlas quota. Retry in a second.',
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
      const send = () =>
        stopping
          ? Promise.reject(new UpstreamError('shutdown', 'the dashboard is shutting down'))
          : auth.send(request, signal);
      const { res, attempts } = await withRetries(send, retry, signal);
      const pause = retryAfterMs(res.headers['retry-after']);
      // A 503 with Retry-After is Atlas asking for a pause, as a 429 does: honoured the same way.
      const coolsDown = res.status === 429 || (res.status === 503 && pause !== undefined && pause > 0);
      if (coolsDown) {
        coolDown.block(scope, pause, res.status === 503 ? 503 : 429);
        deps.metrics?.coolDown();
      } else if (res.status < 400) coolDown.succeeded(scope);
      outcome = fromUpstream(res, {
        authKind: auth.kind,
        ttlMs: s.cacheTtlMs,
        notFoundTtlMs: s.notFoundTtlMs,
        attempts,
        scrub,
      });
      if (coolsDown) outcome = withRetryAfter(outcome, coolDown.remaining(scope));
      // Atlas may echo the request's token (or a configured secret) in a successful body too.
      if (outcome.status < 300) outcome = { ...outcome, body: scrubber.scrubBody(outcome.body) };
    } catch (err) {
      outcome = stopping && !signal.aborted ? stopped() : fromError(err, auth.kind);
      // A rejected credential inside its back-off: say when the next attempt will be made.
      if (err instanceof AuthError && err.kind === 'rejected' && err.retryAfterMs)
        outcome = withRetryAfter(outcome, err.retryAfterMs);
    }
    timing.set(outcome, performance.now() - started);
    return outcome;
  }

  /**
   * Everything decided before any I/O: method, allowlist match, parameters, cool-down. Returns either the
   * answer (an error) or what the load needs. Synchronous, so a cache hit never waits on a promise.
   */
  function prepare(method: string, rawTarget: string, hasBody: boolean): ProxyResult | Prepared {
    if (method !== 'GET' && method !== 'HEAD') {
      return { outcome: errorOutcome(methodRefused(method), { allow: 'GET, HEAD' }) };
    }
    let p = hasBody ? undefined : validated.get(rawTarget);
    if (!p) {
      const checked = validate(method, rawTarget, hasBody);
      if ('outcome' in checked) return checked;
      // Dashboards poll the same few URLs: remember what passed, bounded by clearing when full.
      if (validated.size >= MAX_VALIDATED) validated.clear();
      validated.set(rawTarget, (p = checked));
    }
    const wait = coolDown.remaining(p.scope);
    if (wait > 0) {
      const body = coolingDown(coolDown.status(p.scope));
      // Atlas set this limit: the SPA shows it as Atlas's, although this answer never left the dashboard.
      const headers = { 'retry-after': String(Math.ceil(wait / 1000)), ...FROM_ATLAS };
      return { route: p.route, outcome: errorOutcome(body, headers) };
    }
    return p;
  }

  /** The allowlist match and parameter checks: a pure function of the raw target (and method, for wording). */
  function validate(method: string, rawTarget: string, hasBody: boolean): ProxyResult | Prepared {
    const q = rawTarget.indexOf('?');
    const rawPath = q < 0 ? rawTarget : rawTarget.slice(0, q);
    const rawQuery = q < 0 ? '' : rawTarget.slice(q + 1);
    if (rawQuery.length > MAX_QUERY_LENGTH) return { outcome: errorOutcome(queryTooLong(MAX_QUERY_LENGTH)) };
    const match = matchOperation('GET', rawPath);
    if (!match.ok) return { outcome: errorOutcome(pathRefused(match.error, method)) };
    const route = API_PREFIX + match.op.path;
    if (match.op.method !== 'GET')
      return { route, outcome: errorOutcome(methodRefused(match.op.method), { allow: 'GET, HEAD' }) };
    if (hasBody) return { route, outcome: errorOutcome(bodyRefused()) };
    const search = new URLSearchParams(rawQuery);
    const query = parseQuery(match.op, search);
    if (!query.ok) return { route, outcome: errorOutcome(queryRefused(query.error, search)) };
    const path = upstreamPath(match.op, match.params, query.values);
    const scope = scopeKey(match.op, match.params);
    const key = `${auth.identity} ${cacheKeyPath(match.op, match.params, query.values)}`;
    return { route, op: match.op, path, scope, key };
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

  const shutdown = () => {
    stopping = true;
  };

  return { handle, prepare, hit, fetch, shutdown, cache };
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

/**
 * The cache key's path: the canonical upstream path without the parameters that repeat Atlas's documented default
 * (`includeCount=true`, `pageNum=1`, `itemsPerPage=100`), since Atlas answers both forms with the same document.
 * The SPA asks `?pageNum=1&itemsPerPage=500&includeCount=true` and the watch `?itemsPerPage=500&pageNum=1`: one
 * key, one call to Atlas, whichever asks first.
 */
function cacheKeyPath(op: OperationSpec, params: PathParams, values: Record<string, QueryValue>): string {
  const meaningful: Record<string, QueryValue> = {};
  for (const [name, value] of Object.entries(values)) {
    const spec = op.query[name];
    if (spec && 'default' in spec && spec.default === value) continue;
    meaningful[name] = value;
  }
  return upstreamPath(op, params, meaningful);
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
