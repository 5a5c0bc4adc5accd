/**
 * The hot path: proxied Atlas reads (GET/HEAD /api/atlas/v2/...) straight on node:http, in front of Hono. It
 * runs the same checks as the Hono middleware (Host guard, Fetch Metadata, no body) and takes a request only when
 * every one passes; anything else, and every deployment with Basic auth, goes to Hono, which answers refusals
 * exactly as before. A cache hit is a map lookup and one write of headers and bytes prepared when the entry was
 * first served; a miss is the proxy's one upstream call, relayed as a single buffer. Error answers carry the
 * same `X-Error-Source` as Hono's (app.ts errorSource): `atlas` where outcome.ts marked one, else `dashboard`.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Logger, RequestLine } from './logger.ts';
import type { Metrics } from './metrics.ts';
import { errorOutcome, type Outcome } from './proxy/outcome.ts';
import type { Prepared, Proxy, ProxyResult } from './proxy/proxy.ts';
import { ERROR_SOURCE, FROM_DASHBOARD, internalFailure } from './proxy/refusals.ts';
import { API_RESPONSE_HEADERS, hostAllowed } from './security.ts';

export interface FastApiDeps {
  proxy: Proxy;
  logger: Logger;
  metrics: Metrics;
  allowedHosts: readonly string[];
  /** With Basic auth configured every request goes through Hono's (async, rate-limited) check. */
  basicAuth: boolean;
}

export type FastApi = (req: IncomingMessage, res: ServerResponse) => boolean;

const PREFIX = '/api/atlas/v2/';

export function createFastApi(d: FastApiDeps): FastApi {
  if (d.basicAuth) return () => false;
  const allowed = new Set(d.allowedHosts.map((h) => h.toLowerCase()));
  const hitHeaders = new WeakMap<Outcome, OutgoingHttpHeaders>();
  let lastHost: string | undefined;

  const finish = (req: IncomingMessage, res: ServerResponse, r: ProxyResult, started: number) => {
    const gone = r.outcome.status === 499 || res.destroyed;
    const status = gone ? 499 : r.outcome.status;
    if (!gone) {
      let headers = r.cache === 'HIT' ? hitHeaders.get(r.outcome) : undefined;
      if (!headers) {
        headers = responseHeaders(r.outcome, r.cache);
        if (r.cache === 'HIT') hitHeaders.set(r.outcome, headers);
      }
      res.writeHead(r.outcome.status, headers);
      res.end(req.method === 'HEAD' ? undefined : r.outcome.body);
    }
    const route = r.route ?? 'unmatched';
    d.metrics.request(route, status);
    const line: RequestLine = {
      method: req.method!,
      route,
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    };
    if (!gone && r.upstreamMs !== undefined) line.upstreamMs = Math.round(r.upstreamMs * 10) / 10;
    if (!gone && r.cache) line.cache = r.cache;
    d.logger.request(line);
  };

  const load = async (req: IncomingMessage, res: ServerResponse, p: Prepared, started: number) => {
    // Only a request that has to wait needs to notice its client leaving.
    const controller = new AbortController();
    const onClose = () => controller.abort();
    res.once('close', onClose);
    let r: ProxyResult;
    try {
      r = await d.proxy.fetch(p, controller.signal);
    } finally {
      res.off('close', onClose);
    }
    finish(req, res, r, started);
  };

  return (req, res) => {
    const method = req.method;
    const url = req.url ?? '';
    if ((method !== 'GET' && method !== 'HEAD') || !url.startsWith(PREFIX)) return false;
    const h = req.headers;
    // Clients send the same Host over and over: the last one that passed is remembered.
    if (h.host !== lastHost) {
      if (!hostAllowed(allowed, h.host)) return false;
      lastHost = h.host;
    }
    const site = h['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site') return false;
    if ((h['content-length'] !== undefined && h['content-length'] !== '0') || h['transfer-encoding'] !== undefined)
      return false;
    const started = performance.now();
    // A bug here must answer 500 like Hono's onError, never reach the process's crash handler.
    const fail = (err: unknown, route?: string) => {
      d.logger.error('unhandled error', { err, route });
      if (!res.headersSent) res.writeHead(500, responseHeaders(INTERNAL, undefined));
      res.end(INTERNAL.body);
    };
    try {
      const p = d.proxy.prepare(method, url, false);
      if ('outcome' in p) finish(req, res, p, started);
      else {
        const cached = d.proxy.hit(p);
        if (cached) finish(req, res, cached, started);
        else load(req, res, p, started).catch((err: unknown) => fail(err, p.route));
      }
    } catch (err) {
      fail(err);
    }
    return true;
  };
}

const HEALTHZ_BODY = Buffer.from(JSON.stringify({ status: 'ok' }));
const HEALTHZ_HEADERS = { ...API_RESPONSE_HEADERS, 'content-type': 'application/json' };

/**
 * `/healthz` (GET or HEAD, any query, any Host, no sign-in: it reveals nothing) straight on node:http, with the
 * headers Hono's route answered: a liveness probe, and the first answer after start, never waits for the
 * rest of the server (Hono is loaded on the first request that needs it, start.ts).
 */
export function healthz(
  req: IncomingMessage,
  res: ServerResponse,
  d: Pick<FastApiDeps, 'logger' | 'metrics'>,
): boolean {
  const url = req.url ?? '';
  if ((req.method !== 'GET' && req.method !== 'HEAD') || !(url === '/healthz' || url.startsWith('/healthz?')))
    return false;
  const started = performance.now();
  if (req.method === 'HEAD') {
    res.writeHead(200, HEALTHZ_HEADERS);
    res.end();
  } else {
    res.writeHead(200, { ...HEALTHZ_HEADERS, 'content-length': HEALTHZ_BODY.length });
    res.end(HEALTHZ_BODY);
  }
  d.metrics.request('/healthz', 200);
  d.logger.request({
    method: req.method,
    route: '/healthz',
    status: 200,
    ms: Math.round((performance.now() - started) * 10) / 10,
  });
  return true;
}

const INTERNAL = errorOutcome(internalFailure());

function responseHeaders(o: Outcome, cache: string | undefined): OutgoingHttpHeaders {
  const source = o.status >= 400 && !Object.hasOwn(o.headers, ERROR_SOURCE) ? FROM_DASHBOARD : undefined;
  return {
    ...o.headers,
    ...source,
    ...API_RESPONSE_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    ...(cache ? { 'x-cache': cache } : {}),
    'content-length': o.body.length,
  };
}
