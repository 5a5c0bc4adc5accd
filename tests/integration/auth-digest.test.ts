/** API-key auth (HTTP Digest) through the proxy (SECURITY.md C.27-28, D.45-46, H.65). */
import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAuthorization } from '../../src/atlas/auth/digest.ts';
import { sendJson, startStub, type Stub } from './support/stub-upstream.ts';
import { eventually, startHarness, startProxy, type Harness, type ProxyOnly } from './support/harness.ts';

let h: Harness | undefined;
let p: ProxyOnly | undefined;
let stub: Stub | undefined;
afterEach(async () => {
  await h?.close();
  await p?.close();
  await stub?.close();
  h = p = stub = undefined;
});

const challenge = (n: number, stale = false) =>
  `Digest realm="MMS Public API", domain="", nonce="nonce-${n}", algorithm=MD5, qop="auth", stale=${stale}`;

function digestStub(onSigned: (req: http.IncomingMessage, res: http.ServerResponse, signedCall: number) => void) {
  let signed = 0;
  return startStub((req, res, call) => {
    if (!req.headers.authorization) {
      res.writeHead(401, { 'www-authenticate': challenge(call), 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 401, errorCode: 'UNAUTHORIZED' }));
      return;
    }
    onSigned(req, res, ++signed);
  });
}

describe('API key (HTTP Digest)', () => {
  it('answers the challenge: one challenge and one signed request per call', async () => {
    h = await startHarness({ auth: 'apiKey' });
    const res = await h.get('/api/atlas/v2/groups');
    expect(res.status).toBe(200);
    expect(await h.simCalls('listGroups')).toBe(2);
    expect(await h.simCalls('oauthToken')).toBe(0);
    expect(((await (await h.get('/api/info')).json()) as { authKind: string }).authKind).toBe('apiKey');
    // Readiness reuses the outcome of real traffic: no probe, no extra Atlas call.
    expect((await h.get('/readyz')).status).toBe(200);
    expect(await h.simCalls()).toBe(2);
  });

  it('50 concurrent cold requests all authenticate: one challenge, then one signed call each', async () => {
    h = await startHarness({ auth: 'apiKey', env: { PROXY_CACHE_TTL_MS: '0' } });
    const all = await Promise.all(
      Array.from({ length: 50 }, (_, i) => h!.get(`/api/atlas/v2/groups?pageNum=${i + 1}`)),
    );
    expect(all.map((r) => r.status)).toEqual(Array(50).fill(200));
    // The simulator refuses a replayed nonce count, so 50 successes on one nonce prove the counts are unique.
    expect(await h.simCalls('listGroups')).toBe(51);
  });

  it('case 28 stale=true on an expired nonce: exactly one re-challenge, then 200', async () => {
    h = await startHarness({ auth: 'apiKey', sim: { nonceLifetimeSec: 60 } });
    // The unsigned request passes untouched; the signed one is held while the simulator's clock moves past the
    // nonce's lifetime, so it is verified against an expired nonce.
    await h.fault({ match: 'listGroups', times: 1 });
    await h.fault({ match: 'listGroups', latencyMs: 1_000, times: 1 });
    const pending = h.get('/api/atlas/v2/groups');
    await eventually(async () => expect(await h!.simCalls('listGroups')).toBe(2), 5000, 10);
    await fetch(`${h.sim.url}/__sim/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: 61_000 }),
    });
    const res = await pending;
    expect(res.status).toBe(200);
    expect(await h.simCalls('listGroups')).toBe(3);
  });

  it('case 27 a wrong private key fails once, cleanly: challenge + one attempt, 502 UPSTREAM_AUTH, no WWW-Authenticate', async () => {
    h = await startHarness({ auth: 'apiKey', credentials: { privateKey: '11111111-1111-4111-8111-111111111111' } });
    const res = await h.get('/api/atlas/v2/groups');
    expect(res.status).toBe(502);
    expect(res.headers.get('www-authenticate')).toBeNull();
    const body = (await res.json()) as { errorCode: string; detail: string };
    expect(body.errorCode).toBe('UPSTREAM_AUTH');
    expect(body.detail).toContain('MONGODB_ATLAS_PUBLIC_API_KEY/MONGODB_ATLAS_PRIVATE_API_KEY');
    expect(await h.simCalls('listGroups')).toBe(2);
    expect((await h.get('/readyz')).status).toBe(503);
  });

  it('issue 16 item 6: a rejected key backs off like the service account: 100 requests cost 2 exchanges, then none until the interval passes', async () => {
    let offset = 0;
    h = await startHarness({
      auth: 'apiKey',
      credentials: { privateKey: '11111111-1111-4111-8111-111111111111' },
      env: { PROXY_CACHE_TTL_MS: '0', PROXY_TOKEN_BACKOFF_MS: '30000' },
      now: () => Date.now() + offset,
    });
    const burst = (from: number) =>
      Promise.all(Array.from({ length: 100 }, (_, i) => h!.get(`/api/atlas/v2/groups?pageNum=${from + i}`)));
    const first = await burst(1);
    for (const r of first) {
      expect(r.status).toBe(502);
      expect(((await r.json()) as { errorCode: string }).errorCode).toBe('UPSTREAM_AUTH');
    }
    // One challenge and one signed attempt for all 100 (it was 186 failed exchanges).
    expect(await h.simCalls('listGroups')).toBe(2);
    // Inside the back-off: no exchange at all, a fast UPSTREAM_AUTH with Retry-After, /readyz says why.
    const second = await burst(101);
    expect(second.every((r) => r.status === 502)).toBe(true);
    expect(Number(second[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await h.simCalls('listGroups')).toBe(2);
    const ready = await h.get('/readyz');
    expect(ready.status).toBe(503);
    expect(await ready.text()).toContain('backing off');
    // The interval passed: one request tries the key again (challenge + attempt), and the next interval doubles.
    offset += 31_000;
    expect((await burst(201)).every((r) => r.status === 502)).toBe(true);
    expect(await h.simCalls('listGroups')).toBe(4);
    offset += 31_000;
    expect((await h.get('/api/atlas/v2/groups?pageNum=999')).status).toBe(502);
    expect(await h.simCalls('listGroups')).toBe(4);
    expect(h.logs.some((l) => l.includes('backing off'))).toBe(true);
  });

  it('case 45 signs the exact request-target, with a fresh 128-bit cnonce, and re-signs every retry with the next count', async () => {
    stub = await digestStub((_req, res, signedCall) => {
      if (signedCall === 1) return sendJson(res, 500, { error: 500, errorCode: 'UNEXPECTED_ERROR' });
      sendJson(res, 200, { results: [], totalCount: 0 });
    });
    p = await startProxy(stub.url, { auth: 'apiKey' });
    const res = await p.get('/api/atlas/v2/groups?pageNum=2&itemsPerPage=5&pretty=true');
    expect(res.status).toBe(200);
    const signed = stub.calls.filter((c) => c.headers.authorization);
    expect(stub.calls).toHaveLength(3); // challenge, signed (500), signed again on the same nonce (200)
    const creds = signed.map((c) => parseAuthorization(c.headers.authorization!)!);
    for (const [i, c] of creds.entries()) {
      expect(c.uri).toBe(signed[i]!.url);
      expect(c.uri).toBe('/api/atlas/v2/groups?itemsPerPage=5&pageNum=2');
      expect(c.cnonce).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(creds.map((c) => c.nc)).toEqual(['00000001', '00000002']);
    expect(creds[0]!.nonce).toBe(creds[1]!.nonce);
    expect(creds[0]!.cnonce).not.toBe(creds[1]!.cnonce);
    expect(creds[0]!.response).not.toBe(creds[1]!.response);
  });

  it('case 46 concurrent requests on one nonce: unique increasing counts, their own cnonce each', async () => {
    stub = await digestStub((_req, res) => sendJson(res, 200, { results: [] }));
    p = await startProxy(stub.url, { auth: 'apiKey', env: { PROXY_CACHE_TTL_MS: '0' } });
    const all = await Promise.all(
      Array.from({ length: 50 }, (_, i) => p!.get(`/api/atlas/v2/groups?pageNum=${i + 1}`)),
    );
    expect(all.map((r) => r.status)).toEqual(Array(50).fill(200));
    const signed = stub.calls
      .filter((c) => c.headers.authorization)
      .map((c) => parseAuthorization(c.headers.authorization!)!);
    expect(signed).toHaveLength(50);
    expect(stub.calls).toHaveLength(51); // one challenge for all of them
    expect(new Set(signed.map((c) => c.cnonce)).size).toBe(50);
    expect(new Set(signed.map((c) => c.nonce)).size).toBe(1);
    const counts = signed.map((c) => parseInt(c.nc!, 16)).sort((a, b) => a - b);
    expect(counts).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('case 28 a 401 with stale=true twice in a row stops after one re-sign (no loop)', async () => {
    stub = await digestStub((_req, res, signedCall) => {
      res.writeHead(401, { 'www-authenticate': challenge(100 + signedCall, true), 'content-type': 'application/json' });
      res.end('{"error":401,"errorCode":"UNAUTHORIZED"}');
    });
    p = await startProxy(stub.url, { auth: 'apiKey', env: { PROXY_MAX_RETRIES: '2' } });
    const res = await p.get('/api/atlas/v2/groups');
    expect(res.status).toBe(502);
    expect(stub.calls).toHaveLength(3);
  });

  it('case 44 an unanswerable challenge (MD5-sess) is a clean 502, not a loop', async () => {
    stub = await startStub((_req, res) => {
      res.writeHead(401, {
        'www-authenticate': 'Digest realm="MMS Public API", nonce="n", algorithm=MD5-sess, qop="auth"',
      });
      res.end();
    });
    p = await startProxy(stub.url, { auth: 'apiKey' });
    const res = await p.get('/api/atlas/v2/groups');
    expect(res.status).toBe(502);
    expect(stub.calls).toHaveLength(1);
    expect(p.logs.join('')).toContain('unusable digest challenge');
  });
});
