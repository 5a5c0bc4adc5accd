/**
 * Composes the server: access checks, security headers and the request log once, then health, info, the
 * proxy and the SPA. Errors never leak a stack or configuration: the browser gets an ApiError, the log a
 * redacted line.
 */
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { apiError } from '../atlas/index.ts';
import type { Access, AccessVars } from './access/access.ts';
import type { ServerConfig, AtlasTarget } from './config.ts';
import { registerHealth, type Lifecycle } from './health.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { Authenticator } from './proxy/auth/authenticator.ts';
import type { Outcome } from './proxy/outcome.ts';
import type { Proxy } from './proxy/proxy.ts';
import { ERROR_SOURCE, internalFailure } from './proxy/refusals.ts';
import { fetchMetadataCheck, hostCheck, securityHeaders } from './security.ts';
import type { StaticSite } from './static.ts';
import type { Watch } from '../atlas-watch/watch.ts';
import { registerFleet } from './fleet-route.ts';
import { registerActivity } from './audit/activity-route.ts';
import type { AuditLog } from './audit/audit.ts';
import { registerWrite } from './write/write-route.ts';
import { registerAlerts } from './alerts-route.ts';
import type { Alerts } from '../alerts/alerts.ts';

type Vars = { route?: string; cache?: string; upstreamMs?: number } & AccessVars;
export type Env = { Bindings: Partial<HttpBindings>; Variables: Vars };

export interface AppDeps {
  config: ServerConfig & { atlas: AtlasTarget };
  auth: Authenticator;
  proxy: Proxy;
  site: StaticSite;
  logger: Logger;
  metrics: Metrics;
  lifecycle: Lifecycle;
  version: string;
  /** Who each request comes from (access/access.ts): sessions, Basic, OpenID Connect or a trusted proxy. */
  access: Access;
  /** The watch, when this server runs it (WATCH=on): `/api/fleet` reads it. */
  watch?: Watch;
  /** Write mode's audit trail: present exactly when DASHBOARD_WRITE=on. */
  audit?: AuditLog;
  /** Alerts, when ALERTS_CONFIG is set: `/api/alerts` shows them. */
  alerts?: Alerts;
}

export function createApp(d: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  app.use('*', errorSource());
  app.use('*', d.access.cookies);
  app.use('*', requestLog(d.logger, d.metrics));
  app.use('*', securityHeaders());
  // A liveness probe addresses the pod by IP; /healthz reveals nothing, so it answers any Host.
  app.use('*', hostCheck(d.config.access.allowedHosts, ['/healthz']));
  app.use('*', d.access.middleware);
  app.use('*', fetchMetadataCheck());
  d.access.routes(app);

  registerHealth(app as unknown as Hono<{ Bindings: Partial<HttpBindings> }>, d.auth, d.lifecycle);
  // Behind the same Host guard and access control as the API (registered after them).
  app.get('/metrics', async (c) => {
    c.set('route', '/metrics');
    return c.body(await d.metrics.render(), 200, {
      'content-type': d.metrics.contentType,
      'cache-control': 'no-store',
    });
  });
  app.get('/api/info', (c) =>
    c.json({
      mode: d.config.mode,
      authKind: d.auth.kind,
      atlasHost: new URL(d.config.atlas.baseUrl).host,
      version: d.version,
      write: d.config.write.enabled,
      alerts: d.alerts !== undefined,
    }),
  );
  registerFleet(app, d.watch);
  registerActivity(app, d.audit);
  if (d.config.write.enabled && d.audit) {
    registerWrite(app, {
      auth: d.auth,
      audit: d.audit,
      operatorOnly: d.access.operatorOnly as MiddlewareHandler,
      logger: d.logger,
      created: () => d.proxy.cache.clear(),
      scrub: (text) => d.logger.scrub(text),
    });
  }
  registerAlerts(app, d.alerts, d.access, d.logger);
  app.all('/api/atlas/v2/*', async (c) => {
    const hasBody = c.req.header('content-length') !== undefined && c.req.header('content-length') !== '0';
    const result = await d.proxy.handle(
      c.req.method,
      rawTarget(c),
      hasBody || c.req.header('transfer-encoding') !== undefined,
      c.req.raw.signal,
    );
    if (result.route) c.set('route', result.route);
    if (result.cache) c.set('cache', result.cache);
    if (result.upstreamMs !== undefined) c.set('upstreamMs', Math.round(result.upstreamMs * 10) / 10);
    return send(c, result.outcome, result.cache);
  });
  app.all('/api/*', (c) =>
    c.json(apiError(404, 'RESOURCE_NOT_FOUND', 'The dashboard has no API endpoint at this path.'), 404),
  );
  app.on(['GET', 'HEAD'], '*', (c) => {
    c.set('route', 'static');
    return d.site.serve(c, rawTarget(c).split('?')[0] ?? '/');
  });
  app.all('*', (c) =>
    c.json(
      apiError(
        405,
        'METHOD_NOT_ALLOWED',
        `The dashboard does not accept ${c.req.method} here: it serves GET and HEAD.`,
      ),
      405,
      { allow: 'GET, HEAD' },
    ),
  );
  app.notFound((c) => c.json(apiError(404, 'RESOURCE_NOT_FOUND', 'The dashboard has nothing at this path.'), 404));
  app.onError((err, c) => {
    d.logger.error('unhandled error', { err, route: c.get('route') });
    return c.json(internalFailure(), 500);
  });
  return app;
}

/**
 * Every error answer says who refused (the contract with the SPA): the proxy marks what comes from Atlas, so
 * any other error (a validation 400, a 404, the Host guard, sign-in, a busy proxy) is the dashboard's own.
 */
function errorSource() {
  return async (c: Context<Env>, next: () => Promise<void>) => {
    await next();
    if (c.res.status >= 400 && !c.res.headers.has(ERROR_SOURCE)) c.res.headers.set(ERROR_SOURCE, 'dashboard');
  };
}

/** The request target exactly as received (still percent-encoded); Hono's URL has already resolved dot segments. */
function rawTarget(c: Context<Env>): string {
  const raw = c.env?.incoming?.url;
  if (raw !== undefined) return raw;
  const url = new URL(c.req.url);
  return url.pathname + url.search;
}

function send(c: Context<Env>, o: Outcome, cache: string | undefined): Response {
  const headers: Record<string, string> = { ...o.headers, 'content-type': 'application/json; charset=utf-8' };
  if (cache) headers['x-cache'] = cache;
  const body = c.req.method === 'HEAD' ? null : o.body;
  // 499 (client closed) is a log-only status; nobody is listening any more.
  return new Response(body, { status: o.status === 499 ? 502 : o.status, headers });
}

function requestLog(logger: Logger, metrics: Metrics) {
  return async (c: Context<Env>, next: () => Promise<void>) => {
    const started = performance.now();
    await next();
    const path = c.req.path;
    const route =
      c.get('route') ?? (path === '/healthz' || path === '/readyz' || path === '/api/info' ? path : 'unmatched');
    // The client left before the answer: nginx's 499, not whatever we would have sent.
    const gone = c.req.raw.signal.aborted;
    const status = gone ? 499 : c.res.status;
    metrics.request(route, status);
    logger.info('request', {
      method: c.req.method,
      route,
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      ...(c.get('upstreamMs') !== undefined && !gone ? { upstreamMs: c.get('upstreamMs') } : {}),
      ...(c.get('cache') && !gone ? { cache: c.get('cache') } : {}),
      // Who asked (the audit trail of reads): the signed-in subject, never for the anonymous loopback user.
      ...(c.get('identity') && c.get('identity')!.via !== 'none' ? { user: c.get('identity')!.id } : {}),
    });
  };
}
