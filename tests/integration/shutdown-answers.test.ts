/**
 * Issue 16 item 5: with requests in flight and Atlas slow, the end of the shutdown grace period reset every
 * waiting connection with no HTTP answer, and logged each as 499 ("client closed") although the server closed
 * it. Now each gets a 503 SHUTTING_DOWN with Retry-After, logged as 503.
 */
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { eventually, startHarness, simStats } from './support/harness.ts';

interface Answer {
  status?: number;
  retryAfter?: string;
  body?: string;
  error?: string;
}

function get(base: string, path: string, agent: http.Agent): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    const req = http.request({ host: hostname, port, path, agent }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode, retryAfter: res.headers['retry-after'] as string | undefined, body }),
      );
      res.on('error', (err) => resolve({ error: (err as NodeJS.ErrnoException).code ?? err.message }));
    });
    req.on('error', (err) => resolve({ error: (err as NodeJS.ErrnoException).code ?? err.message }));
    req.end();
  });
}

describe('shutdown answers every request still waiting when the grace period ends', () => {
  it('100 requests waiting on a slow Atlas: 100 answers 503 + Retry-After (no reset), logged as 503, not 499', async () => {
    const h = await startHarness({ env: { SHUTDOWN_GRACE_MS: '500' } });
    let closed = false;
    try {
      expect((await h.get('/api/atlas/v2/groups')).status).toBe(200); // token fetched, connections warm
      await h.fault({ match: 'listGroups', latencyMs: 5_000 });
      const n = 100;
      // n connections the server has accepted (a warm-up answer on each), so every request below reaches it.
      const agent = new http.Agent({ keepAlive: true, maxSockets: n });
      const warm = await Promise.all(Array.from({ length: n }, () => get(h.url, '/healthz', agent)));
      expect(warm.every((a) => a.status === 200)).toBe(true);
      const answers = Array.from({ length: n }, (_, i) => get(h.url, `/api/atlas/v2/groups?pageNum=${i + 2}`, agent));
      // Every request has reached the proxy and the first 32 are at Atlas (the pool's connections).
      await eventually(async () =>
        expect((await simStats(h.sim.url)).requests.inFlight ?? 0).toBeGreaterThanOrEqual(32),
      );
      const before = h.logs.length;
      const started = Date.now();
      await h.server.close();
      closed = true;
      const all = await Promise.all(answers);
      agent.destroy();
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(all.filter((a) => a.error)).toEqual([]);
      for (const a of all) {
        expect(a.status).toBe(503);
        expect(a.retryAfter).toMatch(/^[1-9]\d*$/);
        expect(JSON.parse(a.body!)).toMatchObject({ error: 503, errorCode: 'SHUTTING_DOWN' });
      }
      const lines = h.logs
        .slice(before)
        .map((l) => JSON.parse(l) as { msg: string; status?: number })
        .filter((l) => l.msg === 'request');
      expect(lines.filter((l) => l.status === 503)).toHaveLength(n);
      expect(lines.filter((l) => l.status === 499)).toHaveLength(0);
    } finally {
      if (!closed) await h.server.close();
      await h.sim.close();
    }
  });
});
