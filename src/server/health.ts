/**
 * `/healthz`: the process is alive (never calls Atlas). `/readyz`: can we authenticate upstream, answered from
 * the authenticator's recent state so probes do not spend the Atlas quota; 503 while shutting down.
 *
 * Whether Atlas accepts the dashboard's credentials is not for anyone on the network to learn: `/readyz` says
 * why it is not ready only to a client on the same host (127.0.0.1 or ::1); with Basic auth configured, a
 * client elsewhere must sign in to ask at all (sign-in.ts), and gets the status without the reason.
 */
import type { HttpBindings } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Authenticator } from './proxy/auth/authenticator.ts';

export interface Lifecycle {
  draining: boolean;
}

export function registerHealth(
  app: Hono<{ Bindings: Partial<HttpBindings> }>,
  auth: Authenticator,
  lifecycle: Lifecycle,
): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const noStore = { 'cache-control': 'no-store' };
    if (lifecycle.draining) return c.json({ status: 'draining' }, 503, noStore);
    const r = await auth.readiness();
    const status = r.ready ? 'ready' : 'not ready';
    const local = isSameHost(c.env?.incoming?.socket.remoteAddress);
    return c.json(local ? { status, detail: r.detail } : { status }, r.ready ? 200 : 503, noStore);
  });
}

/** A client on this very host: 127.0.0.1 or ::1 (the rest of 127/8 is a deliberate other address). */
export function isSameHost(remote: string | undefined): boolean {
  return remote === '127.0.0.1' || remote === '::1' || remote === '::ffff:127.0.0.1';
}
