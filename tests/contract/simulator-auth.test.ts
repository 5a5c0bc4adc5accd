/**
 * Authentication as Atlas does it: HTTP Digest for API keys (tried with curl, the documented client) and OAuth 2.0
 * client credentials for service accounts (tried with oauth4webapi, a standard client library).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authorizationHeader, parseChallenge } from '../../src/atlas/auth/digest.ts';
import { SIMULATOR_CREDENTIALS as CR } from '../../src/simulator/credentials.ts';
import { startSimulator, type RunningSimulator } from '../../src/simulator/server.ts';
import { ACCEPT, API, bearerClient, control, digestFetch, token } from '../support/sim-client.ts';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ tokenLifetimeSec: 60, nonceLifetimeSec: 300, maxActiveTokens: 5 });
});
afterAll(() => sim?.close());
beforeEach(() => control(sim.url, 'reset', {}));

// Required, not optional: curl is the one independent Digest client besides the RFC vectors (.ci/run installs it).
const CURL = ['/usr/bin/curl', '/bin/curl'].find((p) => existsSync(p));

describe('HTTP Digest (API keys)', () => {
  it("Atlas's documented `curl --digest --user PUBLIC:PRIVATE` works", async () => {
    if (!CURL) throw new Error('curl is missing: install it (apt-get install -y curl); this test is required');
    const { stdout } = await promisify(execFile)(
      CURL,
      [
        '--silent',
        '--show-error',
        '--digest',
        '--user',
        `${CR.publicKey}:${CR.privateKey}`,
        '--header',
        `Accept: ${ACCEPT}`,
        '--write-out',
        '\n%{http_code} %{content_type}',
        `${sim.url}${API}/groups?pretty=true`,
      ],
      { timeout: 15_000 },
    );
    const lines = stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('200 application/vnd.atlas.2023-01-01+json');
    const body = JSON.parse(lines.slice(0, -1).join('\n')) as { results: unknown[]; totalCount: number };
    expect(body.results.length).toBe(body.totalCount);
    expect(body.totalCount).toBeGreaterThanOrEqual(3);
  });

  async function challenge(path: string) {
    const res = await fetch(`${sim.url}${path}`, { headers: { accept: ACCEPT } });
    expect(res.status).toBe(401);
    await res.arrayBuffer();
    return parseChallenge(res.headers.get('www-authenticate')!);
  }
  const call = (path: string, auth: string) =>
    fetch(`${sim.url}${path}`, { headers: { accept: ACCEPT, authorization: auth } });
  const creds = { username: CR.publicKey, password: CR.privateKey };

  it('answers MD5 by default and SHA-256 when the client signs with it', async () => {
    const path = `${API}/orgs`;
    const ch = await challenge(path);
    expect(ch).toMatchObject({ realm: 'MMS Public API', algorithm: 'MD5', qop: 'auth', stale: false });
    expect((await call(path, authorizationHeader(ch, creds, 'GET', path))).status).toBe(200);
    expect((await call(path, authorizationHeader({ ...ch, algorithm: 'SHA-256' }, creds, 'GET', path, 2))).status).toBe(
      200,
    );
  });

  it('a wrong password, an unknown key or a signature for another uri gets 401 stale=false', async () => {
    const path = `${API}/orgs`;
    const ch = await challenge(path);
    for (const auth of [
      authorizationHeader(ch, { ...creds, password: 'wrong' }, 'GET', path),
      authorizationHeader(ch, { ...creds, username: 'someoneelse' }, 'GET', path),
      authorizationHeader(ch, creds, 'GET', `${API}/groups`),
    ]) {
      const res = await call(path, auth);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/stale=false$/);
      expect(await res.json()).toMatchObject({ error: 401, errorCode: 'UNAUTHORIZED' });
    }
  });

  it('an expired nonce gets stale=true with a fresh nonce, and re-signing with it works', async () => {
    const path = `${API}/groups`;
    const ch = await challenge(path);
    expect((await call(path, authorizationHeader(ch, creds, 'GET', path))).status).toBe(200);
    await control(sim.url, 'clock', { advanceMs: 301_000 });
    const stale = await call(path, authorizationHeader(ch, creds, 'GET', path, 2));
    expect(stale.status).toBe(401);
    const fresh = parseChallenge(stale.headers.get('www-authenticate')!);
    expect(fresh.stale).toBe(true);
    expect(fresh.nonce).not.toBe(ch.nonce);
    expect((await call(path, authorizationHeader(fresh, creds, 'GET', path))).status).toBe(200);
  });

  it('a nonce the simulator never issued is refused', async () => {
    const path = `${API}/groups`;
    const forged = authorizationHeader(
      { realm: 'MMS Public API', nonce: 'bm90LWlzc3VlZA==', algorithm: 'MD5', qop: 'auth', stale: false },
      creds,
      'GET',
      path,
    );
    expect((await call(path, forged)).status).toBe(401);
  });
});

describe('OAuth 2.0 client credentials (service accounts)', () => {
  const as = (): oauth.AuthorizationServer => ({
    issuer: sim.url,
    token_endpoint: `${sim.url}/api/oauth/token`,
    revocation_endpoint: `${sim.url}/api/oauth/revoke`,
  });
  const client: oauth.Client = { client_id: CR.clientId };
  const insecure = { [oauth.allowInsecureRequests]: true };

  it('oauth4webapi gets a token, a Bearer call works, revocation ends it', async () => {
    const res = await oauth.clientCredentialsGrantRequest(
      as(),
      client,
      oauth.ClientSecretBasic(CR.clientSecret),
      new URLSearchParams(),
      insecure,
    );
    const tok = await oauth.processClientCredentialsResponse(as(), client, res);
    expect(tok.token_type).toBe('bearer');
    expect(tok.expires_in).toBe(60);
    const get = bearerClient(sim.url, tok.access_token);
    expect((await get(`${API}/groups`)).status).toBe(200);
    const revoked = await oauth.revocationRequest(
      as(),
      client,
      oauth.ClientSecretBasic(CR.clientSecret),
      tok.access_token,
      insecure,
    );
    await oauth.processRevocationResponse(revoked);
    expect((await get(`${API}/groups`)).status).toBe(401);
    expect(((await control(sim.url, 'stats')) as { tokensIssued: number }).tokensIssued).toBe(1);
  });

  it('tokens really expire (lifetime option, simulated clock)', async () => {
    const get = bearerClient(sim.url, await token(sim.url));
    expect((await get(`${API}/groups`)).status).toBe(200);
    await control(sim.url, 'clock', { advanceMs: 50_000 });
    expect((await get(`${API}/groups`)).status).toBe(200);
    await control(sim.url, 'clock', { advanceMs: 10_000 });
    const res = await get(`${API}/groups`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 401, errorCode: 'UNAUTHORIZED' });
  });

  it('wrong client secret is 401 invalid_client; missing or other grant_type is 400', async () => {
    await expect(token(sim.url, CR.clientId, 'nope')).rejects.toThrow(/401.*invalid_client/);
    const basic = `Basic ${Buffer.from(`${CR.clientId}:${CR.clientSecret}`).toString('base64')}`;
    const post = (body: string) =>
      fetch(`${sim.url}/api/oauth/token`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
    const missing = await post('');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: 'invalid_request' });
    expect(await (await post('grant_type=password')).json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('caps active tokens per service account, as Atlas does (403 access_denied)', async () => {
    for (let i = 0; i < 5; i++) await token(sim.url);
    await expect(token(sim.url)).rejects.toThrow(/403.*access_denied/);
    await control(sim.url, 'clock', { advanceMs: 60_000 });
    await expect(token(sim.url)).resolves.toMatch(/^[\w-]{20,}$/);
  });

  it('revoking a live token frees its slot under the cap; stats count revocations and active tokens', async () => {
    const live = await Promise.all(Array.from({ length: 5 }, () => token(sim.url)));
    await expect(token(sim.url)).rejects.toThrow(/403.*access_denied.*Access Token limit reached/);
    const revoke = (t: string) =>
      fetch(`${sim.url}/api/oauth/revoke`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${CR.clientId}:${CR.clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: `token=${encodeURIComponent(t)}&token_type_hint=access_token`,
      });
    expect((await revoke(live[0]!)).status).toBe(200);
    expect((await revoke(live[0]!)).status).toBe(200); // RFC 7009: already revoked is not an error, nor counted twice
    expect((await revoke('never-issued')).status).toBe(200);
    await expect(token(sim.url)).resolves.toMatch(/^[\w-]{20,}$/);
    expect(await control(sim.url, 'stats')).toMatchObject({ tokensIssued: 6, tokensRevoked: 1, activeTokens: 5 });
  });

  it('an unknown bearer token is 401 with a Digest challenge', async () => {
    const res = await bearerClient(sim.url, 'not-a-token')(`${API}/groups`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Digest /);
  });
});

describe('Digest helper used by other suites', () => {
  it('digestFetch signs like curl; default rate-limit headers follow CONTRACT.md numbers', async () => {
    const orgs = await digestFetch(sim.url, `${API}/orgs`);
    expect(orgs.status).toBe(200);
    expect(orgs.headers.get('ratelimit-limit')).toBe('300');
    expect(orgs.headers.get('ratelimit-remaining')).toBe('299');
    const groups = await digestFetch(sim.url, `${API}/groups`);
    expect(groups.headers.get('ratelimit-limit')).toBe('1200');
  });
});
