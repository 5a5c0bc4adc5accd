/**
 * `startServer(config)`: wires config to a listening HTTP server (port 0 allowed) and returns its URL and a
 * graceful `close()`. Used by main.ts (`npm start`) and by tests in-process.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { apiError } from '../atlas/index.ts';
import { createApp } from './app.ts';
import type { AtlasTarget, ServerConfig } from './config.ts';
import { createFastApi } from './fast-api.ts';
import { createLogger, type Logger, type LogSink } from './logger.ts';
import { createMetrics, instrumentUpstream } from './metrics.ts';
import type { Authenticator } from './proxy/auth/authenticator.ts';
import { createDigestAuth } from './proxy/auth/digest-client.ts';
import { createServiceAccountAuth } from './proxy/auth/service-account.ts';
import { createProxy, type Proxy } from './proxy/proxy.ts';
import { createUpstream, type Upstream } from './proxy/upstream.ts';
import { packageRoot } from './root.ts';
import { loadStaticSite } from './static.ts';

export interface StartOptions {
  logger?: Logger;
  logSink?: LogSink;
  /** Built SPA directory; defaults to `dist/` at the repository root. */
  distDir?: string;
  /** Clock for token expiry and rate-limit windows (tests). */
  now?: () => number;
}

export interface RunningServer {
  url: string;
  port: number;
  logger: Logger;
  auth: Authenticator;
  proxy: Proxy;
  close(): Promise<void>;
}

const ROOT = packageRoot(import.meta.url);

export async function startServer(config: ServerConfig, opts: StartOptions = {}): Promise<RunningServer> {
  const atlas = config.atlas;
  if (!atlas) throw new Error('startServer needs an Atlas target: demo mode starts the simulator first (see main.ts)');
  const logger = opts.logger ?? createLogger({ level: config.logLevel, sink: opts.logSink, secrets: secretsOf(atlas) });
  for (const s of secretsOf(atlas)) logger.addSecret(s);
  const metrics = createMetrics();
  const upstream = instrumentUpstream(createUpstream(atlas.baseUrl, config.proxy), metrics.upstream);
  const auth = createAuth(atlas, upstream, logger, config, opts.now);
  const proxy = createProxy({ auth, settings: config.proxy, logger, metrics, now: opts.now });
  const lifecycle = { draining: false };
  const site = loadStaticSite(opts.distDir ?? `${ROOT}dist`);
  if (!site.ready) logger.warn('dist/index.html missing: the UI is not built (run npm run build)');
  const app = createApp({
    config: { ...config, atlas },
    auth,
    proxy,
    site,
    logger,
    metrics,
    lifecycle,
    version: packageVersion(),
  });
  const listener = getRequestListener(app.fetch);
  const fastApi = createFastApi({
    proxy,
    logger,
    metrics,
    allowedHosts: config.access.allowedHosts,
    basicAuth: config.access.basicAuth !== undefined && config.access.basicAuth !== null,
  });
  const inflight = new Set<ServerResponse>();
  const server = createServer(
    { maxHeaderSize: 16 * 1024, requestTimeout: 60_000, headersTimeout: 20_000, keepAliveTimeout: 5_000 },
    (req, res) => {
      inflight.add(res);
      res.on('close', () => {
        inflight.delete(res);
        // While draining, a keep-alive connection that just finished its last response is closed at once.
        if (lifecycle.draining) setImmediate(() => server.closeIdleConnections());
      });
      if (lifecycle.draining) res.setHeader('connection', 'close');
      if (rejectRequestTarget(req, res)) {
        // Never the raw target in the log: it is attacker-chosen bytes.
        logger.info('request', { method: req.method, route: 'rejected-target', status: 400 });
        metrics.request('rejected-target', 400);
        return;
      }
      if (!fastApi(req, res)) void listener(req, res);
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`;
  if (config.access.authNone)
    logger.warn('DASHBOARD_AUTH=none: the proxy is reachable without access control on ' + config.host);

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      lifecycle.draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = new Promise<void>((resolve) => setTimeout(resolve, config.shutdownGraceMs).unref());
      await Promise.race([closed, grace]);
      server.closeAllConnections();
      await closed;
      await auth.close();
      await upstream.close();
    })());
  return { url, port, logger, auth, proxy, close };
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
      now,
    });
  }
  return createDigestAuth({ upstream, ...atlas.auth, logger, now });
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
 * Checks the raw request target before any URL parsing: origin-form only (`/...`), no `//host`, no dot
 * segments (plain or percent-encoded), no backslashes, encoded slashes or control characters anywhere in the
 * path. A WHATWG URL parser would otherwise resolve or reinterpret them (SECURITY.md A.1-8).
 */
function rejectRequestTarget(req: IncomingMessage, res: ServerResponse): boolean {
  const target = req.url ?? '';
  const path = target.split('?')[0] ?? '';
  let bad = !path.startsWith('/') || path.startsWith('//') || UNSAFE_PATH.test(path);
  if (!bad) bad = path.split('/').some((seg) => /^(?:\.|%2e){1,2}$/i.test(seg));
  if (!bad) return false;
  const body = JSON.stringify(apiError(400, 'INVALID_REQUEST_TARGET', 'The request path is not acceptable.'));
  res.writeHead(400, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
  return true;
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
