/** Service-account auth through the proxy against the simulator (SECURITY.md D.47-51, H.65). */
import { afterEach, describe, expect, it } from 'vitest';
import { isTokenRequest, sendJson, startStub, type Stub } from './support/stub-upstream.ts';
import { startHarness, startProxy, eventually, type Harness, type ProxyOnly } from './support/harness.ts';

let h: Harness | undefined;
let p: ProxyOnly | undefined;
let stub: Stub | undefined;
afterEach(async () => {
  await h?.close();
  await p?.close();
  await stub?.close();
  h = p = stub = undefined;
});

/** A clock the test moves by hand, shared by the proxy (token expiry) and, via /__sim/clock, the simulator. */
function manualClock() {
  let offset = 0;
  return { now: () => Date.now() + offset, advance: (ms: number) => (offset += ms) };
}

describe('service account (OAuth client credentials)', () => {
  it('case 47 100 concurrent cold requests make exactly one token request, then reuse the token', async () => {
    h = await startHarness({ env: { PROXY_CACHE_TTL_MS: '0' } });
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => h!.get(`/api/atlas/v2/groups?pageNum=${i + 1}&itemsPerPage=1`)),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(200));
    expect(await h.tokensIssued()).toBe(1);
    expect(await h.simCalls('oauthToken')).toBe(1);
    expect(await h.simCalls('listGroups')).toBe(100);
    for (let i = 0; i < 5; i++) expect((await h.get(`/api/atlas/v2/groups?pageNum=${200 + i}`)).status).toBe(200);
    expect(await h.simCalls('oauthToken')).toBe(1);
  });

  it('case 48 refreshes the token before it expires, so no call ever carries an expired token', async () => {
    const clock = manualClock();
    h = await startHarness({
      sim: { tokenLifetimeSec: 120 },
      now: clock.now,
      env: { PROXY_CACHE_TTL_MS: '0', PROXY_TOKEN_REFRESH_EARLY_MS: '60000' },
    });
    const advance = async (ms: number) => {
      clock.advance(ms);
      await fetch(`${h!.sim.url}/__sim/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advanceMs: ms }),
      });
    };
    expect((await h.get('/api/atlas/v2/groups?pageNum=1')).status).toBe(200);
    expect(await h.tokensIssued()).toBe(1);
    await advance(61_000); // inside the refresh window, token still valid for 59 s
    expect((await h.get('/api/atlas/v2/groups?pageNum=2')).status).toBe(200);
    await eventually(async () => expect(await h!.tokensIssued()).toBe(2));
    await advance(70_000); // the first token has now expired at the simulator
    for (let i = 3; i < 8; i++) expect((await h.get(`/api/atlas/v2/groups?pageNum=${i}`)).status).toBe(200);
    expect(await h.simCalls('listGroups')).toBe(7);
    expect(h.logs.join('')).not.toContain('rejected the bearer token');
  });

  it('case 49 on a 401 replaces the token once and retries once; another 401 inside the back-off is a clean 502 UPSTREAM_AUTH', async () => {
    h = await startHarness({ env: { PROXY_CACHE_TTL_MS: '0' } });
    expect((await h.get('/api/atlas/v2/groups?pageNum=1')).status).toBe(200);
    await h.fault({ match: 'listGroups', status: 401, times: 1 });
    expect((await h.get('/api/atlas/v2/groups?pageNum=2')).status).toBe(200);
    expect(await h.simCalls('oauthToken')).toBe(2);
    expect(await h.simCalls('listGroups')).toBe(3);

    await h.fault({ match: 'listGroups', status: 401, times: 5 });
    const res = await h.get('/api/atlas/v2/groups?pageNum=3');
    expect(res.status).toBe(502);
    expect(res.headers.get('www-authenticate')).toBeNull();
    const body = (await res.json()) as { errorCode: string; detail: string };
    expect(body.errorCode).toBe('UPSTREAM_AUTH');
    expect(body.detail).toContain('MONGODB_ATLAS_CLIENT_ID/MONGODB_ATLAS_CLIENT_SECRET');
    // One fresh token per back-off interval (30 s by default), however many 401s: no new token, no retry.
    expect(await h.simCalls('listGroups')).toBe(4);
    expect(await h.simCalls('oauthToken')).toBe(2);
    await eventually(async () => expect((await h!.tokenStats()).tokensRevoked).toBe(1));
  });

  it('case 50 a wrong client secret fails cleanly, is not cached as a token, and refresh attempts are rate-bounded', async () => {
    const clock = manualClock();
    h = await startHarness({ credentials: { clientSecret: 'mdb_sa_sk_wrong_secret' }, now: clock.now });
    const first = await h.get('/api/atlas/v2/groups');
    expect(first.status).toBe(502);
    expect(((await first.json()) as { errorCode: string }).errorCode).toBe('UPSTREAM_AUTH');
    expect(await h.simCalls('oauthToken')).toBe(1);
    expect(await h.simCalls('listGroups')).toBe(0);
    // Within the pause after a failure, further requests do not hit the token endpoint again.
    expect((await h.get('/api/atlas/v2/groups?pageNum=2')).status).toBe(502);
    expect((await h.get('/readyz')).status).toBe(503);
    expect(await h.simCalls('oauthToken')).toBe(1);
    clock.advance(1_000);
    expect((await h.get('/api/atlas/v2/groups?pageNum=3')).status).toBe(502);
    expect(await h.simCalls('oauthToken')).toBe(2);
  });

  it('case 50 a token endpoint failure is retried after the pause, never served from cache', async () => {
    const clock = manualClock();
    h = await startHarness({ now: clock.now });
    await h.fault({ match: 'oauthToken', status: 500, times: 1 });
    const res = await h.get('/api/atlas/v2/groups');
    expect(res.status).toBe(503);
    expect(((await res.json()) as { errorCode: string }).errorCode).toBe('TOKEN_ERROR');
    clock.advance(1_000);
    expect((await h.get('/api/atlas/v2/groups')).status).toBe(200);
    expect(await h.tokensIssued()).toBe(1);
    expect((await h.get('/readyz')).status).toBe(200);
  });

  it('case 51 a malformed token response (bad JSON) is an error, not a token', async () => {
    h = await startHarness();
    await h.fault({ match: 'oauthToken', kind: 'malformed', times: 1 });
    const res = await h.get('/api/atlas/v2/groups');
    expect(res.status).toBe(503);
    expect(((await res.json()) as { errorCode: string }).errorCode).toBe('TOKEN_ERROR');
    expect(await h.simCalls('listGroups')).toBe(0);
  });

  it.each([
    ['no access_token', { expires_in: 3600, token_type: 'Bearer' }],
    ['no expires_in', { access_token: 'stub-token-without-expiry', token_type: 'Bearer' }],
    ['a non-bearer type', { access_token: 'stub-token-mac-type', expires_in: 3600, token_type: 'mac' }],
  ])('case 51 a 200 token response with %s is refused (fields are checked)', async (_, tokenBody) => {
    stub = await startStub((req, res) =>
      isTokenRequest(req) ? sendJson(res, 200, tokenBody) : sendJson(res, 200, { results: [] }),
    );
    p = await startProxy(stub.url);
    const res = await p.get('/api/atlas/v2/groups');
    expect(res.status).toBe(503);
    expect(((await res.json()) as { errorCode: string }).errorCode).toBe('TOKEN_ERROR');
    expect(stub.calls.filter((c) => c.url !== '/api/oauth/token')).toHaveLength(0);
  });

  it('sends the token request as Basic client_id:secret with grant_type=client_credentials', async () => {
    let body = '';
    stub = await startStub((req, res) => {
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () =>
        isTokenRequest(req)
          ? sendJson(res, 200, { access_token: 'stub-access-token-1', expires_in: 3600 })
          : sendJson(res, 200, { results: [] }),
      );
    });
    p = await startProxy(stub.url);
    expect((await p.get('/api/atlas/v2/groups')).status).toBe(200);
    const [token, api] = stub.calls;
    expect(token?.headers.authorization).toBe(
      `Basic ${Buffer.from('mdb_sa_id_0123456789abcdef01234567:mdb_sa_sk_simulator').toString('base64')}`,
    );
    expect(body).toBe('grant_type=client_credentials');
    expect(api?.headers.authorization).toBe('Bearer stub-access-token-1');
  });
});
