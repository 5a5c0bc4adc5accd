/**
 * The fast path's own bookkeeping, with a hand-made proxy that answers when the test says: a client that left
 * before the answer is logged and counted as 499 (client closed) and is not written to, whatever the answer was.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createFastApi } from './fast-api.ts';
import { createLogger, memorySink } from './logger.ts';
import { createMetrics } from './metrics.ts';
import type { Outcome } from './proxy/outcome.ts';
import type { Prepared, Proxy, ProxyResult } from './proxy/proxy.ts';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = undefined;
});

const ROUTE = '/api/atlas/v2/groups';
const OK: Outcome = { status: 200, headers: {}, body: Buffer.from('{"results":[]}'), ttlMs: 0 };

async function serve(proxy: Proxy) {
  const sink = memorySink();
  const logger = createLogger({ level: 'info', sink });
  const metrics = createMetrics();
  const fast = createFastApi({ proxy, logger, metrics, allowedHosts: ['127.0.0.1'], basicAuth: false });
  server = createServer((req, res) => {
    if (!fast(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const requests = () =>
    sink.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
  return { port, requests, metrics };
}

describe('fast path', () => {
  it('an answer that arrives after the client left (its socket destroyed) is logged as 499 and not written', async () => {
    let answer: (r: ProxyResult) => void = () => undefined;
    const prepared = { route: ROUTE } as Prepared;
    const proxy = {
      prepare: () => prepared,
      hit: () => undefined,
      // This proxy does not look at the signal: only the response's own state tells that the client is gone.
      fetch: () => new Promise<ProxyResult>((resolve) => (answer = resolve)),
    } as unknown as Proxy;
    const { port, requests, metrics } = await serve(proxy);
    const req = request({ host: '127.0.0.1', port, path: ROUTE });
    req.on('error', () => undefined);
    req.end();
    await new Promise((r) => setTimeout(r, 100));
    req.destroy();
    await new Promise((r) => setTimeout(r, 100));
    answer({ outcome: OK, route: ROUTE, cache: 'MISS', upstreamMs: 5 });
    await new Promise((r) => setTimeout(r, 50));
    expect(requests()).toEqual([expect.objectContaining({ route: ROUTE, status: 499 })]);
    expect(requests()[0]).not.toHaveProperty('upstreamMs');
    expect(await metrics.registry.getSingleMetricAsString('dashboard_http_requests_total')).toContain(
      'status="499"} 1',
    );
  });
});
