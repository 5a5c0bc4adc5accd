/**
 * `/healthz`: the process is alive (never calls Atlas). `/readyz`: can we authenticate upstream, answered from
 * the authenticator's recent state so probes do not spend the Atlas quota; 503 while shutting down.
 */
import type { Hono } from 'hono';
import type { Authenticator } from './proxy/auth/authenticator.ts';

export interface Lifecycle {
  draining: boolean;
}

export function registerHealth(app: Hono, auth: Authenticator, lifecycle: Lifecycle): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    if (lifecycle.draining) return c.json({ status: 'draining' }, 503);
    const r = await auth.readiness();
    return c.json({ status: r.ready ? 'ready' : 'not ready', detail: r.detail }, r.ready ? 200 : 503);
  });
}
