/**
 * Issue 7 item 2: a run of Atlas 401s must not mint a token per request. Atlas caps a service account's live
 * tokens (403 "Access Token limit reached"), so a token per 401 locks out every user of the account (CI,
 * Terraform) until the tokens expire. At most one fresh token per back-off interval, the replaced one revoked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { token } from '../support/sim-client.ts';
import { eventually, startHarness, type Harness } from './support/harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const BACKOFF_MS = 3_000;

describe('service account under a persistent Atlas 401', () => {
  it('100 requests mint at most 2 tokens, every replaced token is revoked, and repeats fail fast', async () => {
    // The default interval (30 s): the storm must fit inside one interval even on a loaded machine.
    h = await startHarness({ env: { PROXY_CACHE_TTL_MS: '0' } });
    expect((await h.get('/api/atlas/v2/groups?pageNum=1')).status).toBe(200);
    await h.fault({ match: 'listGroups', status: 401 });
    const storm = await Promise.all(
      Array.from({ length: 100 }, (_, i) => h!.get(`/api/atlas/v2/groups?pageNum=${i + 2}&itemsPerPage=1`)),
    );
    for (const res of storm) {
      expect(res.status).toBe(502);
      expect(((await res.json()) as { errorCode: string }).errorCode).toBe('UPSTREAM_AUTH');
    }
    // Revocation is best effort in the background: the retry does not wait for it.
    const stats = await eventually(async () => {
      const s = await h!.tokenStats();
      expect(s.tokensIssued).toBeLessThanOrEqual(2);
      expect(s.tokensRevoked).toBe(s.tokensIssued - 1);
      expect(s.activeTokens).toBe(1);
      return s;
    });

    // One open tab refreshing: every further request inside the back-off fails fast, without calling Atlas.
    const calls = await h.simCalls();
    for (let i = 0; i < 10; i++) {
      const res = await h.get(`/api/atlas/v2/groups?pageNum=${200 + i}`);
      expect(res.status).toBe(502);
      expect(((await res.json()) as { errorCode: string }).errorCode).toBe('UPSTREAM_AUTH');
    }
    expect((await h.get('/readyz')).status).toBe(503);
    expect(await h.simCalls()).toBe(calls);
    expect((await h.tokenStats()).tokensIssued).toBe(stats.tokensIssued);
  });

  it('/readyz says why during the back-off, and the proxy recovers by itself within one interval', async () => {
    h = await startHarness({ env: { PROXY_CACHE_TTL_MS: '0', PROXY_TOKEN_BACKOFF_MS: String(BACKOFF_MS) } });
    expect((await h.get('/api/atlas/v2/groups?pageNum=1')).status).toBe(200);
    await h.fault({ match: 'listGroups', status: 401 });
    expect((await h.get('/api/atlas/v2/groups?pageNum=2')).status).toBe(502);
    const ready = await h.get('/readyz');
    expect(ready.status).toBe(503);
    const detail = ((await ready.json()) as { detail: string }).detail;
    expect(detail).toMatch(/rejected/i);
    expect(detail).toMatch(/\d+ s/);
    expect(detail).not.toMatch(/Bearer|mdb_sa_sk/);
    const warned = h.logs.map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(warned.some((l) => l.level === 'warn' && /back(ing)? off/i.test(l.msg))).toBe(true);

    await fetch(`${h.sim.url}/__sim/faults`, { method: 'DELETE' });
    // The back-off began before the fault cleared, so one interval (plus slack for a loaded machine) suffices.
    await eventually(
      async () => expect((await h!.get('/api/atlas/v2/groups?pageNum=3')).status).toBe(200),
      BACKOFF_MS + 1_500,
    );
    expect((await h.get('/readyz')).status).toBe(200);
    await eventually(async () => {
      const stats = await h!.tokenStats();
      expect(stats.tokensIssued).toBeLessThanOrEqual(3);
      expect(stats.tokensRevoked).toBe(stats.tokensIssued - 1);
    });
  });

  it('the live token is revoked when the server shuts down', async () => {
    h = await startHarness();
    expect((await h.get('/api/atlas/v2/groups')).status).toBe(200);
    expect((await h.tokenStats()).activeTokens).toBe(1);
    await h.server.close();
    expect(await h.tokenStats()).toMatchObject({ tokensIssued: 1, tokensRevoked: 1, activeTokens: 0 });
  });

  it("Atlas's token cap reached by other clients: a clean UPSTREAM_AUTH, and /readyz names the cause", async () => {
    h = await startHarness({ sim: { maxActiveTokens: 2 } });
    for (let i = 0; i < 2; i++) await token(h.sim.url); // CI and Terraform hold the account's tokens
    const res = await h.get('/api/atlas/v2/groups');
    expect(res.status).toBe(502);
    expect(((await res.json()) as { errorCode: string }).errorCode).toBe('UPSTREAM_AUTH');
    const ready = await h.get('/readyz');
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { detail: string }).detail).toMatch(/limit of live access tokens/);
  });
});
