import { describe, expect, it } from 'vitest';
import { createAccess } from './access/access.ts';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { createLogger, memorySink } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { createDigestAuth } from './proxy/auth/digest-client.ts';
import { createProxy } from './proxy/proxy.ts';
import { createUpstream } from './proxy/upstream.ts';
import type { StaticSite } from './static.ts';

/** The app over a real (unreachable) upstream, with a static site that fails the way a bug would. */
function setup(lifecycle = { draining: false }) {
  const config = loadConfig({
    MONGODB_ATLAS_PUBLIC_API_KEY: 'pub',
    MONGODB_ATLAS_PRIVATE_API_KEY: 'private-canary-55',
  });
  const sink = memorySink();
  const logger = createLogger({ level: 'debug', sink, secrets: ['private-canary-55'] });
  const upstream = createUpstream('http://127.0.0.1:9', config.proxy);
  const auth = createDigestAuth({ upstream, publicKey: 'pub', privateKey: 'private-canary-55', logger });
  // The message carries a secret to prove it is not echoed.
  const site: StaticSite = {
    ready: true,
    serve: () => {
      throw new Error('boom private-canary-55 at /work/main/src/server/static.ts:1');
    },
  };
  const app = createApp({
    config: { ...config, atlas: config.atlas! },
    auth,
    proxy: createProxy({ auth, settings: config.proxy }),
    site,
    logger,
    metrics: createMetrics(),
    lifecycle,
    version: '1.2.3',
    access: createAccess(config.access.identity, { logger }),
  });
  return { app, sink, upstream, lifecycle };
}

describe('createApp', () => {
  it('case 66 /readyz turns 503 once shutdown starts, /healthz stays 200', async () => {
    const { app, upstream, lifecycle } = setup();
    lifecycle.draining = true;
    const ready = await app.request('http://127.0.0.1/readyz', { headers: { host: '127.0.0.1' } });
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'draining' });
    expect((await app.request('http://127.0.0.1/healthz', { headers: { host: '127.0.0.1' } })).status).toBe(200);
    await upstream.close();
  });

  it('case 55 an internal exception becomes a generic 500 ApiError: no stack, no message, no config', async () => {
    const { app, sink, upstream } = setup();
    const res = await app.request('http://127.0.0.1/projects/x', { headers: { host: '127.0.0.1' } });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ error: 500, errorCode: 'INTERNAL_ERROR' });
    expect(text).not.toMatch(/boom|canary|static\.ts|at \//);
    expect(res.headers.get('content-security-policy')).toBeTruthy();
    const log = sink.lines.join('');
    expect(log).toContain('unhandled error');
    expect(log).not.toContain('private-canary-55');
    expect(log).not.toContain('    at ');
    await upstream.close();
  });
});
