/**
 * `GET /metrics` in Prometheus's text format (prom-client), one registry per server. Per-request counting must
 * cost next to nothing on the hot path: requests and cache results are plain integers in nested maps (no key
 * strings, no label hashing per request), added to prom-client's counters by their `collect()` hook, which
 * prom-client runs at every scrape (and every `get()`), so what it reports is always current.
 */
import { Counter, Histogram, Registry } from 'prom-client';
import { matchOperation } from '../atlas/index.ts';
import type { Upstream } from './proxy/upstream.ts';

export type CacheResult = 'hit' | 'miss' | 'shared';

export interface Metrics {
  readonly registry: Registry;
  request(route: string, status: number): void;
  cache(result: CacheResult): void;
  coolDown(): void;
  render(): Promise<string>;
  readonly contentType: string;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * `authKind`: the Digest challenge counter exists only in API-key (Digest) mode; in service-account mode a 401
 * from Atlas still carries a Digest challenge, and counting it there read as Digest traffic that never happened.
 */
export function createMetrics(
  o: { authKind?: 'serviceAccount' | 'apiKey' } = {},
): Metrics & { upstream: UpstreamMetrics } {
  const registry = new Registry();
  const registers = [registry];
  /** route -> status -> requests not yet added to the counter (registered below; counted through collect()). */
  const pendingRequests = new Map<string, Map<number, { n: number }>>();
  const pendingCache = { hit: 0, miss: 0, shared: 0 };
  new Counter({
    name: 'dashboard_http_requests_total',
    help: 'Requests answered, by route template and status (499: the client went away first)',
    labelNames: ['route', 'status'],
    registers,
    collect() {
      for (const [route, byStatus] of pendingRequests)
        for (const [status, pending] of byStatus) {
          if (pending.n === 0) continue;
          this.labels(route, String(status)).inc(pending.n);
          pending.n = 0;
        }
    },
  });
  new Counter({
    name: 'dashboard_proxy_cache_total',
    help: 'Proxied reads by cache result: hit, miss (this request called Atlas), shared (waited on a call in flight)',
    labelNames: ['result'],
    registers,
    collect() {
      for (const result of ['hit', 'miss', 'shared'] as const) {
        if (pendingCache[result] === 0) continue;
        this.labels(result).inc(pendingCache[result]);
        pendingCache[result] = 0;
      }
    },
  });
  const coolDowns = new Counter({
    name: 'dashboard_atlas_rate_limit_cooldowns_total',
    help: 'Atlas 429 answers that started a cool-down',
    registers,
  });
  const upstream: UpstreamMetrics = {
    calls: new Counter({
      name: 'dashboard_atlas_requests_total',
      help: 'HTTP exchanges with Atlas, by operation and status (token and Digest challenge exchanges included)',
      labelNames: ['operation', 'status'],
      registers,
    }),
    latency: new Histogram({
      name: 'dashboard_atlas_request_duration_seconds',
      help: 'Time to the complete Atlas answer, by operation',
      labelNames: ['operation'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    tokens: new Counter({
      name: 'dashboard_atlas_tokens_minted_total',
      help: 'Service-account access tokens obtained from Atlas',
      registers,
    }),
    ...(o.authKind === 'apiKey'
      ? {
          challenges: new Counter({
            name: 'dashboard_atlas_digest_challenges_total',
            help: 'Digest challenges received from Atlas (401 with WWW-Authenticate: Digest)',
            registers,
          }),
        }
      : {}),
  };
  return {
    registry,
    contentType: registry.contentType,
    request(route, status) {
      let byStatus = pendingRequests.get(route);
      if (!byStatus) pendingRequests.set(route, (byStatus = new Map()));
      const pending = byStatus.get(status);
      if (pending) pending.n++;
      else byStatus.set(status, { n: 1 });
    },
    cache: (result) => void pendingCache[result]++,
    coolDown: () => coolDowns.inc(),
    render: () => registry.metrics(),
    upstream,
  };
}

export interface UpstreamMetrics {
  calls: Counter;
  latency: Histogram;
  tokens: Counter;
  /** API-key (Digest) mode only. */
  challenges?: Counter;
}

/** Counts every exchange with Atlas where it happens, so the auth modules need no metrics code of their own. */
export function instrumentUpstream(inner: Upstream, m: UpstreamMetrics): Upstream {
  // Per call: two map lookups, no route matching and no label hashing (children are kept).
  const operations = new Map<string, string>();
  const calls = new Map<string, Counter.Internal>();
  const latency = new Map<string, Histogram.Internal<'operation'>>();
  const opOf = (method: string, path: string) => {
    let op = operations.get(path);
    if (op === undefined) {
      if (operations.size >= 4096) operations.clear();
      operations.set(path, (op = operationOf(method, path)));
    }
    return op;
  };
  return {
    origin: inner.origin,
    // The proxy reads the in-flight memory budget through every wrapper (503 PROXY_BUSY when full).
    budget: inner.budget,
    close: () => inner.close(),
    async send(req, signal) {
      const operation = opOf(req.method, req.path);
      const started = performance.now();
      try {
        const res = await inner.send(req, signal);
        const key = `${operation} ${res.status}`;
        let counter = calls.get(key);
        if (!counter) calls.set(key, (counter = m.calls.labels(operation, String(res.status))));
        counter.inc();
        let histogram = latency.get(operation);
        if (!histogram) latency.set(operation, (histogram = m.latency.labels(operation)));
        histogram.observe((performance.now() - started) / 1000);
        if (operation === 'oauthToken' && res.status === 200) m.tokens.inc();
        if (m.challenges && res.status === 401 && /^\s*Digest\s/i.test(res.headers['www-authenticate'] ?? ''))
          m.challenges.inc();
        return res;
      } catch (err) {
        m.calls.labels(operation, 'error').inc();
        throw err;
      }
    },
  };
}

function operationOf(method: string, pathAndQuery: string): string {
  const q = pathAndQuery.indexOf('?');
  const path = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
  if (path === '/api/oauth/token') return 'oauthToken';
  if (path === '/api/oauth/revoke') return 'oauthRevoke';
  const m = matchOperation(method, path);
  return m.ok ? m.op.operationId : 'other';
}
