/**
 * SECURITY.md C.29-42: how upstream failures reach the browser. The simulator's fault injection covers status
 * codes, hangs and malformed bodies; a raw stub server covers what the simulator cannot do.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isTokenRequest, sendJson, sendToken, startStub, type Stub } from './support/stub-upstream.ts';
import { eventually, startHarness, startProxy, type Harness, type ProxyOnly } from './support/harness.ts';

const V2 = '/api/atlas/v2';
let h: Harness | undefined;
let p: ProxyOnly | undefined;
const stubs: Stub[] = [];
afterEach(async () => {
  await h?.close();
  await p?.close();
  for (const s of stubs.splice(0)) await s.close();
  h = p = undefined;
});

const body = async (res: Response) => (await res.json()) as Record<string, unknown>;
const FAST = {
  PROXY_CONNECT_TIMEOUT_MS: '500',
  PROXY_HEADERS_TIMEOUT_MS: '400',
  PROXY_BODY_TIMEOUT_MS: '400',
  PROXY_CACHE_TTL_MS: '0',
};

async function stubbed(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
  env: Record<string, string> = {},
  tls = false,
) {
  const stub = await startStub((req, res) => (isTokenRequest(req) ? sendToken(res) : handler(req, res)), { tls });
  stubs.push(stub);
  p = await startProxy(stub.url, { env: { ...FAST, ...env } });
  return stub;
}

describe('Atlas error statuses (simulator faults)', () => {
  it('case 29 a 403 passes through with the sanitized Atlas body (the UI names the missing role)', async () => {
    h = await startHarness();
    await h.fault({ match: 'listGroups', status: 403, times: 1 });
    const res = await h.get(`${V2}/groups`);
    expect(res.status).toBe(403);
    const b = await body(res);
    expect(b).toMatchObject({ error: 403, errorCode: 'USER_UNAUTHORIZED', reason: 'Forbidden' });
    expect(
      Object.keys(b).every((k) =>
        ['error', 'errorCode', 'reason', 'detail', 'parameters', 'badRequestDetail'].includes(k),
      ),
    ).toBe(true);
  });

  it('case 30 a 404 passes through and is cached only briefly', async () => {
    // The normal cache lifetime is 3 s: the second miss must come well before it, right after the 404's own TTL.
    h = await startHarness({ env: { PROXY_CACHE_TTL_MS: '3000', PROXY_NOT_FOUND_TTL_MS: '300' } });
    const missing = `${V2}/groups/5f0000000000000000000009`;
    expect((await h.get(missing)).status).toBe(404);
    const cachedAt = Date.now();
    expect((await h.get(missing)).headers.get('x-cache')).toBe('HIT');
    expect(await h.simCalls('getGroup')).toBe(1);
    await new Promise((r) => setTimeout(r, 300 + 250 - (Date.now() - cachedAt)));
    const again = await h.get(missing);
    expect(Date.now() - cachedAt).toBeLessThan(1500);
    expect(again.status).toBe(404);
    expect(again.headers.get('x-cache')).toBe('MISS');
    expect(await h.simCalls('getGroup')).toBe(2);
  });

  it('case 31 429 + Retry-After: 30 -> 429 + Retry-After, and repeats inside the window never reach Atlas', async () => {
    h = await startHarness();
    await h.fault({ match: 'listGroupClusters', status: 429, retryAfter: 30, times: 1 });
    const path = `${V2}/groups/5f0000000000000000000001/clusters`;
    const first = await h.get(path);
    expect(first.status).toBe(429);
    expect(Number(first.headers.get('retry-after'))).toBeGreaterThanOrEqual(29);
    for (const q of ['', '?pageNum=2', '?itemsPerPage=5']) {
      const again = await h.get(path + q);
      expect(again.status).toBe(429);
      expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(await h.simCalls('listGroupClusters')).toBe(1);
    // Another project is another Atlas rate-limit scope.
    expect((await h.get(`${V2}/groups/5f0000000000000000000002/clusters`)).status).not.toBe(429);
  });

  it('case 32 429 without Retry-After -> default 10 s, doubling on the next 429', async () => {
    let offset = 0;
    h = await startHarness({ now: () => Date.now() + offset });
    await h.fault({ match: 'listGroups', status: 429, times: 2 });
    const first = await h.get(`${V2}/groups`);
    expect(first.headers.get('retry-after')).toBe('10');
    offset += 10_001;
    const second = await h.get(`${V2}/groups`);
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('20');
    expect(await h.simCalls('listGroups')).toBe(2);
  });

  it.each([500, 502, 503, 504])('case 33 a persistent %i is retried at most twice, then 502', async (status) => {
    h = await startHarness();
    await h.fault({ match: 'listGroups', status, times: 10 });
    const res = await h.get(`${V2}/groups`);
    expect(res.status).toBe(502);
    expect(await body(res)).toMatchObject({ errorCode: 'UPSTREAM_ERROR' });
    // Atlas's own status rides along, so the SPA can say "Atlas answered 503" rather than the gateway's 502.
    expect(res.headers.get('x-atlas-status')).toBe(String(status));
    expect(await h.simCalls('listGroups')).toBe(3);
  });

  it('case 33 a transient 503 is retried and the browser gets 200', async () => {
    h = await startHarness();
    await h.fault({ match: 'listGroups', status: 503, times: 1 });
    expect((await h.get(`${V2}/groups`)).status).toBe(200);
    expect(await h.simCalls('listGroups')).toBe(2);
  });

  it('case 34 a 503 whose Retry-After exceeds the deadline is not retried; status and Retry-After pass', async () => {
    h = await startHarness();
    await h.fault({ match: 'listGroups', status: 503, retryAfter: 120, times: 5 });
    const res = await h.get(`${V2}/groups`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('120');
    expect(await h.simCalls('listGroups')).toBe(1);
  });

  it('case 36 headers that never arrive -> 504 at the headers timeout', async () => {
    h = await startHarness({ env: FAST });
    await h.fault({ match: 'listGroups', kind: 'hang', times: 1 });
    const started = Date.now();
    const res = await h.get(`${V2}/groups`);
    expect(res.status).toBe(504);
    expect(await body(res)).toMatchObject({ errorCode: 'UPSTREAM_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await h.simCalls('listGroups')).toBe(1);
  });

  it('case 39 a malformed JSON body -> 502, never relayed', async () => {
    h = await startHarness();
    await h.fault({ match: 'listGroups', kind: 'malformed', times: 1 });
    const res = await h.get(`${V2}/groups`);
    expect(res.status).toBe(502);
    expect(JSON.stringify(await body(res))).not.toContain('5f1d');
  });
});

describe('transport failures (raw stub upstream)', () => {
  it('case 35 connection refused -> 502 quickly; the body names no host, port or stack', async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((r) => probe.close(() => r()));
    p = await startProxy(`http://127.0.0.1:${port}`, { env: FAST });
    const res = await p.get(`${V2}/groups`);
    expect(res.status).toBe(502);
    const text = await res.text();
    expect(text).not.toContain(String(port));
    expect(text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|at .*\.ts/);
  });

  it('case 36 the upstream socket is destroyed when headers time out', async () => {
    let closed = 0;
    await stubbed((req) => req.socket.on('close', () => closed++));
    expect((await p!.get(`${V2}/groups`)).status).toBe(504);
    await eventually(() => expect(closed).toBeGreaterThan(0), 3000);
  });

  it('case 37 a drip-fed body -> 504 at the body deadline, never a truncated 200', async () => {
    await stubbed((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(timer));
    });
    const res = await p!.get(`${V2}/groups`);
    expect(res.status).toBe(504);
  });

  it.each([
    [
      'a 50 MB body',
      (res: http.ServerResponse) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent < 50 && res.write(chunk)) sent++;
          if (sent < 50) res.once('drain', pump);
          else res.end();
        };
        res.on('error', () => undefined);
        pump();
      },
    ],
    [
      'a declared 50 MB Content-Length',
      (res: http.ServerResponse) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) });
        res.write('{"results":[');
      },
    ],
  ])('case 38 %s -> 502 too large', async (_, send) => {
    await stubbed((_req, res) => send(res), { PROXY_MAX_RESPONSE_BYTES: String(1024 * 1024) });
    const res = await p!.get(`${V2}/groups`);
    expect(res.status).toBe(502);
    expect(await body(res)).toMatchObject({ errorCode: 'UPSTREAM_RESPONSE_TOO_LARGE' });
  });

  it('case 38 a Content-Length longer than the body (connection closed early) -> 502', async () => {
    await stubbed((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      res.write('{"results":[]}');
      setTimeout(() => req.socket.destroy(), 20);
    });
    const res = await p!.get(`${V2}/groups`);
    expect(res.status).toBe(502);
  });

  it('case 39 an HTML page with status 200 -> 502; the HTML never reaches the browser', async () => {
    await stubbed((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>login</body></html>');
    });
    const res = await p!.get(`${V2}/groups`);
    expect(res.status).toBe(502);
    expect(await res.text()).not.toContain('<html');
  });

  it('case 40 a 302 to another host -> 502; the other host receives nothing', async () => {
    const evil = await startStub((_req, res) => sendJson(res, 200, { results: ['stolen'] }));
    stubs.push(evil);
    await stubbed((_req, res) => {
      res.writeHead(302, { location: `${evil.url}${V2}/groups` });
      res.end();
    });
    const res = await p!.get(`${V2}/groups`);
    expect(res.status).toBe(502);
    expect(evil.calls).toHaveLength(0);
  });

  it('case 41 a client that disconnects aborts the upstream request (no other waiter)', async () => {
    let upstreamClosed = false;
    await stubbed((req) => req.socket.on('close', () => (upstreamClosed = true)), {
      PROXY_HEADERS_TIMEOUT_MS: '10000',
    });
    const controller = new AbortController();
    const pending = fetch(p!.url + `${V2}/groups`, { signal: controller.signal }).catch(() => 'aborted');
    await eventually(() => expect(stubs[0]!.calls.some((c) => c.url.startsWith(V2))).toBe(true));
    controller.abort();
    expect(await pending).toBe('aborted');
    await eventually(() => expect(upstreamClosed).toBe(true), 3000);
  });

  it('case 42 a self-signed upstream certificate is refused (verification is never disabled)', async () => {
    expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined();
    const stub = await stubbed((_req, res) => sendJson(res, 200, { results: [] }), {}, true);
    const res = await p!.get(`${V2}/groups`);
    expect([502, 503]).toContain(res.status);
    expect(stub.calls).toHaveLength(0);
  });
});
