/**
 * `GET /api/alerts`: the channels and routes in force (secrets shown only as the name of their environment
 * variable, masked) and the recent events with their delivery status per channel.
 * `POST /api/alerts/channels/:name/test`: sends a test message to one channel. It acts, so it is operator-only
 * with the session's CSRF token (`access.operatorOnly`), refused cross-site by the fetch-metadata check, and
 * audited by name in a log line.
 */
import type { Hono } from 'hono';
import { apiError } from '../atlas/index.ts';
import type { Alerts } from '../alerts/alerts.ts';
import type { ChannelConfig } from '../alerts/config.ts';
import { identityOf, type Access } from './access/access.ts';
import type { Env } from './app.ts';
import type { Logger } from './logger.ts';

const SECRET_KEYS = new Set(['url', 'routingKey', 'secret', 'password']);

/** A channel's settings for the page: every secret is `{ env: NAME, value: '••••' }`, never its value. */
export function maskedChannel(c: ChannelConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c))
    out[k] = SECRET_KEYS.has(k) && v && typeof v === 'object' ? { env: (v as { env: string }).env, value: '••••' } : v;
  return out;
}

export function registerAlerts(app: Hono<Env>, alerts: Alerts | undefined, access: Access, logger: Logger): void {
  const off = () =>
    new Response(
      JSON.stringify(
        apiError(404, 'ALERTS_OFF', 'The dashboard sends no alerts: set ALERTS_CONFIG (see the README, Alerts).'),
      ),
      { status: 404, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } },
    );
  app.get('/api/alerts', (c) => {
    c.set('route', '/api/alerts');
    if (!alerts) return off();
    const cfg = alerts.config;
    c.header('cache-control', 'no-store');
    return c.json({
      file: cfg.file,
      groupWindowMs: cfg.groupWindowMs,
      thresholds: cfg.thresholds,
      channels: Object.entries(cfg.channels).map(([name, ch]) => ({
        name,
        type: ch.type,
        settings: maskedChannel(ch),
      })),
      routes: cfg.routes.map((r) => ({ ...r.text, channels: r.channels })),
      events: alerts
        .records()
        .slice(-200)
        .reverse()
        .map((r) => ({ event: r.event, deliveries: r.deliveries })),
    });
  });
  app.post('/api/alerts/channels/:name/test', access.operatorOnly, async (c) => {
    c.set('route', '/api/alerts/channels/:name/test');
    if (!alerts) return off();
    const name = c.req.param('name');
    if (!alerts.channelNames().includes(name))
      return c.json(apiError(404, 'CHANNEL_NOT_FOUND', `The dashboard has no alert channel named ${name}.`), 404);
    const who = identityOf(c);
    const result = await alerts.sendTest(name);
    logger.info('alert test sent', {
      channel: name,
      by: who?.name,
      byId: who?.id,
      ok: result.ok,
      ...(result.ok ? {} : { reason: result.reason }),
    });
    return c.json(result.ok ? { channel: name, ok: true } : { channel: name, ok: false, reason: result.reason });
  });
}
