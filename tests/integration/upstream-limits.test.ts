/**
 * Issue 7 "Limits": what a failing or hostile upstream can make the proxy do. A raw stub stands in for Atlas:
 * an error body that echoes credentials, a 503 with Retry-After, and many large bodies at once.
 */
import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { isTokenRequest, sendJson, sendToken, startStub, type Stub } from './support/stub-upstream.ts';
import { startProxy, type ProxyOnly } from './support/harness.ts';

const V2 = '/api/atlas/v2';
const GROUP = '5f0000000000000000000001';
const TOKEN = 'stub-access-token-0123456789';
let p: ProxyOnly | undefined;
const stubs: Stub[] = [];
afterEach(async () => {
  await p?.close();
  for (const s of stubs.splice(0)) await s.close();
  p = undefined;
});

const FAST = {
  PROXY_CONNECT_TIMEOUT_MS: '500',
  PROXY_HEADERS_TIMEOUT_MS: '2000',
  PROXY_BODY_TIMEOUT_MS: '5000',
  PROXY_CACHE_TTL_MS: '0',
};

async function stubbed(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
  o: { env?: Record<string, string>; auth?: 'serviceAccount' | 'apiKey' } = {},
): Promise<Stub> {
  const stub = await startStub((req, res) => (isTokenRequest(req) ? sendToken(res, TOKEN) : handler(req, res)));
  stubs.push(stub);
  p = await startProxy(stub.url, { env: { ...FAST, ...o.env }, auth: o.auth ?? 'serviceAccount' });
  return stub;
}
const apiCalls = (stub: Stub) => stub.calls.filter((c) => c.url.startsWith(V2)).length;

/** An Atlas error body that quotes the request's Authorization header back, as a careless upstream might. */
function echoAuthorization(req: http.IncomingMessage, res: http.ServerResponse) {
  const auth = req.headers.authorization ?? '';
  sendJson(
    res,
    403,
    {
      error: 403,
      errorCode: 'USER_UNAUTHORIZED',
      reason: 'Forbidden',
      detail: `Refused request with Authorization: ${auth} (token ${TOKEN})`,
      parameters: [auth],
      badRequestDetail: { fields: [{ field: 'authorization', description: `got ${auth}` }] },
    },
    { 'content-type': 'application/json' },
  );
}

describe('credentials in relayed error bodies', () => {
  it('a bearer token echoed by Atlas is scrubbed before the body reaches the browser', async () => {
    await stubbed(echoAuthorization);
    const res = await p!.get(`${V2}/groups`);
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(text).not.toContain(TOKEN);
    expect(JSON.parse(text)).toMatchObject({ error: 403, errorCode: 'USER_UNAUTHORIZED' });
    expect(JSON.parse(text).detail).toContain('[REDACTED]');
  });

  it('a Digest Authorization header echoed by Atlas is scrubbed too', async () => {
    await stubbed(
      (req, res) => {
        if (!req.headers.authorization) {
          res.writeHead(401, {
            'www-authenticate':
              'Digest realm="MMS Public API", domain="", nonce="n0nce-1234", algorithm=MD5, qop="auth", stale=false',
            'content-type': 'application/json',
          });
          res.end(JSON.stringify({ error: 401, errorCode: 'UNAUTHORIZED' }));
          return;
        }
        echoAuthorization(req, res);
      },
      { auth: 'apiKey' },
    );
    const res = await p!.get(`${V2}/groups`);
    expect(res.status).toBe(403);
    const text = await res.text();
    for (const leaked of ['username=', 'response=', 'cnonce=', 'n0nce-1234']) expect(text).not.toContain(leaked);
    expect(JSON.parse(text).detail).toContain('[REDACTED]');
  });
});

describe('503 with Retry-After is honoured like a 429', () => {
  it('starts a cool-down for the scope: nothing more is sent upstream until it passes', async () => {
    const stub = await stubbed((_req, res) =>
      sendJson(
        res,
        503,
        { error: 503, errorCode: 'SERVICE_UNAVAILABLE', reason: 'Service Unavailable' },
        { 'retry-after': '30', 'content-type': 'application/json' },
      ),
    );
    const first = await p!.get(`${V2}/groups`);
    expect(first.status).toBe(503);
    expect(Number(first.headers.get('retry-after'))).toBeGreaterThanOrEqual(29);
    expect(first.headers.get('x-error-source')).toBe('atlas');
    expect(apiCalls(stub)).toBe(1);
    for (const path of [`${V2}/groups`, `${V2}/groups?pageNum=2`]) {
      const again = await p!.get(path);
      expect(again.status).toBe(503);
      expect(Number(again.headers.get('retry-after'))).toBeGreaterThanOrEqual(28);
      expect(again.headers.get('x-error-source')).toBe('atlas');
    }
    expect(apiCalls(stub)).toBe(1);
    // Another rate-limit scope (a project) is not held back.
    await p!.get(`${V2}/groups/${GROUP}`);
    expect(apiCalls(stub)).toBe(2);
  });
});

describe('memory budget for response bodies in flight', () => {
  const MiB = 1024 * 1024;
  // One shared 9 MiB JSON body, written by the stub in slices so many responses are in flight at once.
  const big = Buffer.from(JSON.stringify({ results: ['x'.repeat(9 * MiB - 20)] }));
  const serveBig = (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/vnd.atlas.2023-01-01+json', 'content-length': big.length });
    let offset = 0;
    const slice = 512 * 1024;
    const next = () => {
      if (offset >= big.length) return void res.end();
      const chunk = big.subarray(offset, offset + slice);
      offset += slice;
      if (res.write(chunk)) setTimeout(next, 5);
      else res.once('drain', next);
    };
    next();
  };

  /** Reads a response to the end without keeping it, so the client side holds no bodies. */
  async function drain(res: Response): Promise<{ status: number; bytes: number; text: string }> {
    let bytes = 0;
    let text = '';
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      if (res.status !== 200) text += Buffer.from(value).toString();
    }
    return { status: res.status, bytes, text };
  }

  it('issue 16 item 7: while the budget is full, requests waiting for a connection are refused, not sent to Atlas', async () => {
    // Each answer comes after 500 ms (every request has reached the proxy by then, 168 of them waiting for a
    // connection), declares 9 MiB and holds its body for 1.5 s: three fill the 32 MiB budget and keep it full.
    const held = (_req: http.IncomingMessage, res: http.ServerResponse) => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/vnd.atlas.2023-01-01+json', 'content-length': big.length });
        res.write(big.subarray(0, 1024));
        setTimeout(() => res.end(big.subarray(1024)), 1_500);
      }, 500);
    };
    const stub = await stubbed(held, {
      env: { PROXY_MAX_INFLIGHT_BYTES: String(32 * MiB), PROXY_UPSTREAM_BURST: '1000', PROXY_BODY_TIMEOUT_MS: '30000' },
    });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => fetch(`${p!.url}${V2}/groups?pageNum=${i + 1}`).then((res) => drain(res))),
    );
    const ok = results.filter((r) => r.status === 200).length;
    const busy = results.filter((r) => r.status === 503).length;
    expect(ok + busy).toBe(200);
    expect(ok).toBeGreaterThanOrEqual(3);
    // At most one round of the 32 connections reached Atlas; the 168 requests queued behind them were refused while the
    // budget was full (before: all 200 were sent, and 197 answers read in part and discarded).
    expect(apiCalls(stub)).toBeLessThanOrEqual(32);
  }, 60_000);

  it('200 concurrent 9 MiB responses: some are refused 503 PROXY_BUSY, the rest arrive whole, RSS stays bounded', async () => {
    const stub = await stubbed(serveBig, {
      env: { PROXY_MAX_INFLIGHT_BYTES: String(32 * MiB), PROXY_UPSTREAM_BURST: '1000', PROXY_BODY_TIMEOUT_MS: '30000' },
    });
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        fetch(`${p!.url}${V2}/groups?pageNum=${i + 1}`).then((res) =>
          drain(res).then((r) => ({
            ...r,
            retryAfter: res.headers.get('retry-after'),
            source: res.headers.get('x-error-source'),
          })),
        ),
      ),
    );
    clearInterval(sampler);
    const ok = results.filter((r) => r.status === 200);
    const busy = results.filter((r) => r.status === 503);
    expect(ok.length + busy.length, JSON.stringify(results.map((r) => r.status))).toBe(200);
    expect(ok.length).toBeGreaterThan(0);
    for (const r of ok) expect(r.bytes).toBe(big.length);
    expect(busy.length).toBeGreaterThan(0);
    for (const r of busy) {
      expect(JSON.parse(r.text)).toMatchObject({ error: 503, errorCode: 'PROXY_BUSY' });
      expect(JSON.parse(r.text).detail).toMatch(/^The dashboard /);
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(r.source).toBe('dashboard');
    }
    // Refused while the budget was full: those never reached upstream.
    expect(apiCalls(stub)).toBeLessThan(200);
    // Every byte reserved came back: once the burst is over, a request is served again.
    const after = await fetch(`${p!.url}${V2}/groups?pageNum=999`).then((res) => drain(res));
    expect(after.status).toBe(200);
    expect(after.bytes).toBe(big.length);
    // Generous: without the budget this process grew by about 430 MiB here (undici's 32 connections bound it;
    // the issue measured 1.7 GiB); with a 32 MiB budget about 110 MiB, clients and stub included.
    expect((rssPeak - rssBefore) / MiB).toBeLessThan(300);
  }, 60_000);
});
