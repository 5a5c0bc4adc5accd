/**
 * `startServer(config)`: wires config to a listening HTTP server (port 0 allowed) and returns its URL and a
 * graceful `close()`. Used by main.ts (`npm start`) and by tests in-process.
 */
import { openAuditLog } from './audit/audit.ts';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAccess } from './access/access.ts';
import type { AtlasTarget, ServerConfig } from './config.ts';
import { createFastApi, healthz } from './fast-api.ts';
import { createLogger, type Logger, type LogSink } from './logger.ts';
import { createMetrics, instrumentUpstream } from './metrics.ts';
import type { Authenticator } from './proxy/auth/authenticator.ts';
import { createDigestAuth } from './proxy/auth/digest-client.ts';
import { createServiceAccountAuth } from './proxy/auth/service-account.ts';
import { createProxy, type Proxy } from './proxy/proxy.ts';
import { createUpstream, type Upstream } from './proxy/upstream.ts';
import { hostProblem, internalError, onClientError, refuseHost, refuseTarget } from './raw-refusal.ts';
import { packageRoot } from './root.ts';
import { createSignIn } from './sign-in/sign-in.ts';
import { loadStaticSite } from './static.ts';
import { createWatch, type Watch } from '../atlas-watch/watch.ts';
import { registerWatchMetrics } from './watch-metrics.ts';
import { createAlerts, type Alerts } from '../alerts/alerts.ts';

export interface StartOptions {
  logger?: Logger;
  logSink?: LogSink;
  /** Built SPA directory; defaults to `dist/` at the repository root. */
  distDir?: string;
  /** Clock for token expiry and rate-limit windows (tests). */
  now?: () => number;
  /** Alerts' own clock and pace (tests move it with the simulator's clock). */
  alerts?: { now?: () => number; pollMs?: number; retryBaseMs?: number };
}

export interface RunningServer {
  url: string;
  port: number;
  logger: Logger;
  auth: Authenticator;
  proxy: Proxy;
  /** The watch, unless WATCH=off. */
  watch: Watch | undefined;
  /** Alerts, when ALERTS_CONFIG is set. */
  alerts: Alerts | undefined;
  close(): Promise<void>;
}

const ROOT = packageRoot(import.meta.url);
/** Revoking the live token at exit gets this long after the grace period (exit stays within grace + 1 s). */
const REVOKE_AT_EXIT_MS = 500;
/** How long an idle keep-alive connection is kept (advertised as `Keep-Alive: timeout=65`). */
const KEEP_ALIVE_MS = 65_000;
/** After the grace period, how long the 503 answers to requests still waiting get to reach their clients. */
const SHUTDOWN_FLUSH_MS = 250;

export async function startServer(config: ServerConfig, opts: StartOptions = {}): Promise<RunningServer> {
  const atlas = config.atlas;
  if (!atlas) throw new Error('startServer needs an Atlas target: demo mode starts the simulator first (see main.ts)');
  const logger = opts.logger ?? createLogger({ level: config.logLevel, sink: opts.logSink, secrets: secretsOf(atlas) });
  for (const s of secretsOf(atlas)) logger.addSecret(s);
  const metrics = createMetrics({ authKind: atlas.auth.kind });
  // Metrics count every call to Atlas; shutdown aborts whichever are still running when the grace period ends.
  const raw = createUpstream(atlas.baseUrl, config.proxy);
  const upstream = { ...instrumentUpstream(raw, metrics.upstream), abortInFlight: () => raw.abortInFlight() };
  const auth = createAuth(atlas, upstream, logger, config, opts.now);
  const proxy = createProxy({ auth, settings: config.proxy, logger, metrics, now: opts.now, budget: upstream.budget });
  // The watch reads through the proxy's own path (credentials, rate gate, 429 cool-downs, cache), so it and the
  // viewers share one Atlas budget; it starts once the server listens.
  const watch = config.watch
    ? createWatch({
        read: (path) => proxy.handle('GET', path, false).then(({ outcome }) => outcome),
        settings: config.watch,
        stateFile: config.watch.stateFile,
        log: (msg, fields) => logger.warn(msg, fields),
      })
    : undefined;
  if (watch) registerWatchMetrics(metrics.registry, watch);
  const alerts = watch && config.alerts ? startAlerts(config.alerts, watch, logger, opts.alerts ?? {}) : undefined;
  const lifecycle = { draining: false };
  const basic = config.access.basicAuth;
  const signIn = basic ? createSignIn(basic, { logger, ...(opts.now ? { now: opts.now } : {}) }) : undefined;
  const access = createAccess(config.access.identity, {
    logger,
    ...(opts.now ? { now: opts.now } : {}),
    ...(signIn && basic ? { basic: signIn, basicCredential: JSON.stringify(basic) } : {}),
  });
  // Write mode's audit trail (DATA_DIR/audit.jsonl); opened before listening so a bad DATA_DIR stops the start.
  const audit = config.write.enabled ? await openAuditLog(config.write.auditFile, logger, opts.now) : undefined;
  if (config.write.enabled)
    logger.warn('write mode is on: operators can start export jobs', { audit: config.write.auditFile });
  const site = loadStaticSite(opts.distDir ?? `${ROOT}dist`);
  if (!site.ready) logger.warn('dist/index.html missing: the UI is not built (run npm run build)');
  const appDeps = {
    config: { ...config, atlas },
    auth,
    proxy,
    site,
    logger,
    metrics,
    lifecycle,
    version: packageVersion(),
    access,
    ...(watch ? { watch } : {}),
    ...(audit ? { audit } : {}),
    ...(alerts ? { alerts } : {}),
  };
  // Hono (the SPA, /readyz, /metrics, /api/info, refusals) is loaded on the first request that needs it, not
  // before the server listens: /healthz and proxied reads never touch it, and its modules (with Node's fetch
  // classes, which it pulls in) were a large share of start time and of an API-only process's memory.
  type Listener = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  let listener: Listener | undefined;
  let loadingApp: Promise<Listener> | undefined;
  const loadApp = () =>
    (loadingApp ??= Promise.all([import('./app.ts'), import('@hono/node-server')]).then(
      ([{ createApp }, { getRequestListener }]) => (listener = getRequestListener(createApp(appDeps).fetch)),
    ));
  const viaHono = (req: IncomingMessage, res: ServerResponse) => {
    if (listener) return void listener(req, res);
    loadApp().then(
      (l) => l(req, res),
      (err: unknown) => {
        logger.error('unhandled error', { err });
        if (!res.headersSent) internalError(res);
        else res.destroy();
      },
    );
  };
  const fastApi = createFastApi({
    proxy,
    logger,
    metrics,
    allowedHosts: config.access.allowedHosts,
    // Any sign-in (Basic, OpenID Connect, trusted proxy) is checked by Hono's access middleware.
    basicAuth: config.access.identity.mode !== 'none',
  });
  // While draining, a keep-alive connection that just finished its last response is closed at once. One shared
  // listener (no closure per request).
  const closeIdle = () => server.closeIdleConnections();
  const onResponseClose = () => {
    if (lifecycle.draining) setImmediate(closeIdle);
  };
  const server = createServer(
    {
      maxHeaderSize: 16 * 1024,
      requestTimeout: 60_000,
      headersTimeout: 20_000,
      // Idle keep-alive connections are kept longer than clients and load balancers keep theirs (60 s is common),
      // so the client closes first: with Node's 5 s default, a client reusing a connection just as the server
      // closed it got a reset with no answer (the soak's resets at the start of a 5xx burst, issue 16 item 11).
      keepAliveTimeout: KEEP_ALIVE_MS,
      // A missing Host is refused below in the dashboard's own shape, not with Node's empty 400.
      requireHostHeader: false,
    },
    (req, res) => {
      res.on('close', onResponseClose);
      if (lifecycle.draining) res.setHeader('connection', 'close');
      if (rejectRequestTarget(req, res)) {
        // Never the raw target in the log: it is attacker-chosen bytes.
        logger.info('request', { method: req.method, route: 'rejected-target', status: 400 });
        metrics.request('rejected-target', 400);
        return;
      }
      if (healthz(req, res, appDeps)) return;
      const problem = hostProblem(req.headers.host, req.httpVersion);
      if (problem) {
        refuseHost(res, problem === 'missing');
        logger.info('request', { method: req.method, route: 'rejected-host', status: 400 });
        metrics.request('rejected-host', 400);
        return;
      }
      if (!fastApi(req, res)) viaHono(req, res);
    },
  );
  server.on('clientError', onClientError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`;
  watch?.start();
  alerts?.start();
  if (config.access.authNone)
    logger.warn('DASHBOARD_AUTH=none: the proxy is reachable without access control on ' + config.host);

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      lifecycle.draining = true;
      await alerts?.stop();
      await watch?.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = new Promise<void>((resolve) => setTimeout(resolve, config.shutdownGraceMs).unref());
      const done = await Promise.race([closed.then(() => true), grace.then(() => false)]);
      if (!done) {
        // Grace is over: whatever still waits on Atlas (a hanging token request included) ends now, and each
        // waiting request is answered 503 SHUTTING_DOWN with Retry-After (logged so), not reset. The answers
        // are written on the next turns; connections still open after a short flush are then closed.
        proxy.shutdown();
        upstream.abortInFlight();
        const flush = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_FLUSH_MS).unref());
        await Promise.race([closed, flush]);
      }
      server.closeAllConnections();
      await closed;
      await auth.close(AbortSignal.timeout(REVOKE_AT_EXIT_MS));
      await upstream.close();
      await signIn?.close();
    })());
  return { url, port, logger, auth, proxy, watch, alerts, close };
}

function createAuth(
  atlas: AtlasTarget,
  upstream: Upstream,
  logger: Logger,
  config: ServerConfig,
  now?: () => number,
): Authenticator {
  if (atlas.auth.kind === 'serviceAccount') {
    return createServiceAccountAuth({
      upstream,
      ...atlas.auth,
      logger,
      refreshEarlyMs: config.proxy.tokenRefreshEarlyMs,
      backoffMs: config.proxy.tokenBackoffMs,
      now,
    });
  }
  return createDigestAuth({ upstream, ...atlas.auth, logger, backoffMs: config.proxy.tokenBackoffMs, now });
}

/** Alerts over the watch's digests; the channels' secrets are scrubbed from every log line. */
function startAlerts(
  a: NonNullable<ServerConfig['alerts']>,
  watch: Watch,
  logger: Logger,
  o: NonNullable<StartOptions['alerts']>,
): Alerts {
  for (const v of Object.values(a.config.secrets)) if (v) logger.addSecret(v);
  return createAlerts({
    config: a.config,
    snapshot: () => watch.snapshot(),
    version: () => watch.version(),
    stateFile: a.stateFile,
    ...o,
    log: (level, msg, fields) => logger[level](msg, fields),
  });
}

function secretsOf(atlas: AtlasTarget): string[] {
  const a = atlas.auth;
  const pairs = a.kind === 'serviceAccount' ? [a.clientId, a.clientSecret] : [a.publicKey, a.privateKey];
  const secret = pairs[1]!;
  return [secret, Buffer.from(`${pairs[0]}:${secret}`).toString('base64'), encodeURIComponent(secret)];
}

// Control characters are exactly what this check is for.
// eslint-disable-next-line no-control-regex
const UNSAFE_PATH = /[\\\x00-\x20\x7f]|%(?:2f|5c|00|0[9ad]|23|25)/i;
/**
 * Below the SPA's pages an encoded slash is only a mistyped name (`/projects/x/clusters/a%2Fb`): static serving
 * answers index.html by exact lookup (no file path is built), and the app explains the address. The API keeps
 * refusing it.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_SPA_PATH = /[\\\x00-\x20\x7f]|%(?:5c|00|0[9ad]|23|25)/i;

/** A path segment that is `.` or `..`, plain or percent-encoded. */
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?=\/|$)/i;

/**
 * Checks the raw request target before any URL parsing: origin-form only (`/...`), no `//host`, no dot
 * segments (plain or percent-encoded), no backslashes, encoded slashes or control characters anywhere in the
 * path. A WHATWG URL parser would otherwise resolve or reinterpret them (SECURITY.md A.1-8).
 */
function rejectRequestTarget(req: IncomingMessage, res: ServerResponse): boolean {
  const target = req.url ?? '';
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const unsafe = path.startsWith('/projects/') ? UNSAFE_SPA_PATH : UNSAFE_PATH;
  const bad = !path.startsWith('/') || path.startsWith('//') || unsafe.test(path) || DOT_SEGMENT.test(path);
  if (!bad) return false;
  refuseTarget(res);
  return true;
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
