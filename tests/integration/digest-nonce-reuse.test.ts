/**
 * Digest without the double round trip: the proxy reuses Atlas's nonce with an increasing nonce count
 * (RFC 7616), against a simulator that refuses replayed counts and expires nonces. Exchanges are counted at
 * the simulator (/__sim/stats), so every unsigned challenge round trip shows.
 */
import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAuthorization } from '../../src/atlas/auth/digest.ts';
import { startHarness, startProxy, type Harness, type ProxyOnly } from './support/harness.ts';
import { sendJson, startStub, type Stub } from './support/stub-upstream.ts';

const V2 = '/api/atlas/v2';
let h: Harness | undefined;
let p: ProxyOnly | undefined;
let stub: Stub | undefined;
afterEach(async () => {
  await h?.close();
  await p?.close();
  await stub?.close();
  h = p = stub = undefined;
});

const advance = (h: Harness, ms: number) =>
  fetch(`${h.sim.url}/__sim/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advanceMs: ms }),
  });

describe('Digest nonce reuse', () => {
  it('after the first challenge, each cache miss costs Atlas exactly one exchange', async () => {
    h = await startHarness({ auth: 'apiKey', env: { PROXY_CACHE_TTL_MS: '0' } });
    expect((await h.get(`${V2}/groups?pageNum=1`)).status).toBe(200);
    expect(await h.simCalls('listGroups')).toBe(2); // challenge + signed
    for (let i = 2; i <= 11; i++) expect((await h.get(`${V2}/groups?pageNum=${i}`)).status).toBe(200);
    expect(await h.simCalls('listGroups')).toBe(12);
  });

  it('concurrent misses share one nonce with unique, increasing counts (none refused as a replay)', async () => {
    h = await startHarness({ auth: 'apiKey', env: { PROXY_CACHE_TTL_MS: '0' } });
    expect((await h.get(`${V2}/groups?pageNum=1`)).status).toBe(200);
    const all = await Promise.all(Array.from({ length: 50 }, (_, i) => h!.get(`${V2}/groups?pageNum=${i + 2}`)));
    expect(all.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(await h.simCalls('listGroups')).toBe(52);
  });

  it('cold start: 30 concurrent misses wait for one challenge instead of fetching 30', async () => {
    h = await startHarness({ auth: 'apiKey', env: { PROXY_CACHE_TTL_MS: '0' } });
    const all = await Promise.all(Array.from({ length: 30 }, (_, i) => h!.get(`${V2}/groups?pageNum=${i + 1}`)));
    expect(all.map((r) => r.status)).toEqual(Array(30).fill(200));
    expect(await h.simCalls('listGroups')).toBe(31);
  });

  it('an expired nonce (401 stale=true) is replaced by the fresh one in the answer: one extra exchange, once', async () => {
    h = await startHarness({ auth: 'apiKey', sim: { nonceLifetimeSec: 60 }, env: { PROXY_CACHE_TTL_MS: '0' } });
    expect((await h.get(`${V2}/groups?pageNum=1`)).status).toBe(200);
    await advance(h, 61_000);
    expect((await h.get(`${V2}/groups?pageNum=2`)).status).toBe(200);
    expect(await h.simCalls('listGroups')).toBe(4); // + stale 401 and the re-signed call
    expect((await h.get(`${V2}/groups?pageNum=3`)).status).toBe(200);
    expect(await h.simCalls('listGroups')).toBe(5);
  });

  it('a plain 401 on a reused nonce (say, a replay refused) falls back to the fresh challenge in that answer', async () => {
    const challenge = (n: number) =>
      `Digest realm="MMS Public API", domain="", nonce="nonce-${n}", algorithm=MD5, qop="auth", stale=false`;
    let refuseReused = 1;
    stub = await startStub((req: http.IncomingMessage, res: http.ServerResponse, call: number) => {
      const auth = req.headers.authorization ? parseAuthorization(req.headers.authorization) : undefined;
      const refuse = !auth || (auth.nc !== '00000001' && refuseReused-- > 0);
      if (refuse) {
        res.writeHead(401, { 'www-authenticate': challenge(call), 'content-type': 'application/json' });
        res.end('{"error":401,"errorCode":"UNAUTHORIZED"}');
        return;
      }
      sendJson(res, 200, { results: [], totalCount: 0 });
    });
    p = await startProxy(stub.url, { auth: 'apiKey', env: { PROXY_CACHE_TTL_MS: '0' } });
    expect((await p.get(`${V2}/groups?pageNum=1`)).status).toBe(200); // challenge, nc=1
    expect((await p.get(`${V2}/groups?pageNum=2`)).status).toBe(200); // nc=2 refused, fresh nonce nc=1
    const signed = stub.calls
      .filter((c) => c.headers.authorization)
      .map((c) => parseAuthorization(c.headers.authorization!)!);
    expect(stub.calls).toHaveLength(4);
    expect(signed.map((c) => [c.nonce, c.nc])).toEqual([
      ['nonce-1', '00000001'],
      ['nonce-1', '00000002'],
      ['nonce-3', '00000001'],
    ]);
  });
});
