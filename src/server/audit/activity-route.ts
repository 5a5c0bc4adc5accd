/** `GET /api/activity`: the audit trail's newest records, for the Activity page. Any signed-in role may read it. */
import type { Hono } from 'hono';
import type { Env } from '../app.ts';
import type { AuditLog } from './audit.ts';

export function registerActivity(app: Hono<Env>, audit: AuditLog | undefined): void {
  app.get('/api/activity', (c) => {
    c.set('route', '/api/activity');
    const limit = Math.min(500, Math.max(1, Number(c.req.query('limit') ?? '200') || 200));
    return c.json({ write: audit !== undefined, records: audit ? audit.recent(limit) : [] }, 200, {
      'cache-control': 'no-store',
    });
  });
}
