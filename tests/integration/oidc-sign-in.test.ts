/**
 * Issue 19: OpenID Connect sign-in against a real provider (oidc-provider on 127.0.0.1), sessions, roles, and
 * the refusals: a tampered cookie, idle and absolute expiry, a wrong `state`, an ID token from another issuer
 * or for another audience, key rotation, sign-out with the provider's end-session endpoint.
 */
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  Browserless,
  CLIENT_ID,
  CLIENT_SECRET,
  freePort,
  startTestProvider,
  type TestProvider,
} from '../support/oidc.ts';
import { startHarness, type Harness } from './support/harness.ts';

const KEY_A = 'session-key-A-0123456789abcdef0123456789';
const KEY_B = 'session-key-B-fedcba9876543210fedcba9876';
const COOKIE = 'dashboard-session';

let servers: Harness[] = [];
let provider: TestProvider | undefined;
afterEach(async () => {
  for (const s of servers) await s.close();
  servers = [];
  await provider?.close();
  provider = undefined;
});

/** fetch() will not send a Host header of our choosing; node:http does. */
function getWithHost(url: string, host: string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    const u = new URL(url);
    http
      .get({ host: u.hostname, port: u.port, path: u.pathname + u.search, headers: { host }, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      })
      .on('error', reject);
  });
}

function manualClock() {
  let offset = 0;
  return { now: () => Date.now() + offset, advance: (ms: number) => (offset += ms) };
}

async function setup(o: { keys?: string; now?: () => number; env?: Record<string, string> } = {}) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  provider = await startTestProvider(base);
  const h = await start(port, provider.issuer, o);
  return { h, base, provider };
}

async function start(
  port: number,
  issuer: string,
  o: { keys?: string; now?: () => number; env?: Record<string, string> },
) {
  const h = await startHarness({
    env: {
      PORT: String(port),
      DASHBOARD_PUBLIC_URL: `http://127.0.0.1:${port}`,
      DASHBOARD_OIDC_ISSUER: issuer,
      DASHBOARD_OIDC_CLIENT_ID: CLIENT_ID,
      DASHBOARD_OIDC_CLIENT_SECRET: CLIENT_SECRET,
      DASHBOARD_OIDC_SCOPES: 'openid profile email groups',
      DASHBOARD_SESSION_KEYS: o.keys ?? KEY_A,
      DASHBOARD_VIEWER_GROUPS: 'dash-viewers',
      DASHBOARD_OPERATOR_GROUPS: 'dash-operators',
      DASHBOARD_SESSION_IDLE_SEC: '600',
      DASHBOARD_SESSION_MAX_SEC: '1800',
      ...o.env,
    },
    ...(o.now ? { now: o.now } : {}),
  });
  servers.push(h);
  return h;
}

/** The whole sign-in as `login`; returns the client (holding the session cookie) and the last answer. */
async function signIn(base: string, login: string, returnTo = '/projects?sort=name') {
  const b = new Browserless();
  const walk = await b.walk(
    `${base}/auth/sign-in?returnTo=${encodeURIComponent(returnTo)}`,
    login,
    (u) => u.href.startsWith(`${base}/`) && !u.pathname.startsWith('/auth/'),
  );
  return { b, walk };
}

async function apiJson(b: Browserless, url: string, init: { method?: string; headers?: Record<string, string> } = {}) {
  const res = await b.request(url, init);
  return { res, body: (await res.json()) as Record<string, unknown> };
}

describe('OpenID Connect sign-in against a real provider', () => {
  it('signs in with code + PKCE, lands where it started, and the session names the person and role', async () => {
    const { h, base } = await setup();
    const { b, walk } = await signIn(base, 'olivia');
    // The walk stopped at the page the sign-in returned to, with a session cookie set.
    expect(walk.stoppedAt).toBe(`${base}/projects?sort=name`);
    const sealed = b.cookie('127.0.0.1', COOKIE)!;
    expect(sealed).toMatch(/^v1\./);
    // Sealed, not just signed: nothing about the person is readable in it.
    expect(Buffer.from(sealed.split('.')[3]!, 'base64url').toString('latin1')).not.toMatch(/olivia|Operator/i);
    expect(provider!.hits.get('/token')).toBe(1);
    expect(h.logs.some((l) => l.includes('"route":"/auth/callback"') && l.includes('"status":302'))).toBe(true);

    const { body } = await apiJson(b, `${base}/api/session`);
    expect(body).toMatchObject({
      mode: 'oidc',
      user: { id: 'olivia', name: 'Olivia Operator', email: 'olivia@example.com' },
      role: 'operator',
      canSignOut: true,
    });
    expect(typeof body.csrfToken).toBe('string');
    expect((await b.request(`${base}/api/atlas/v2/groups`)).status).toBe(200);
    // The page is the static site's answer (the SPA, or "not built" when dist/ is absent), not a sign-in redirect.
    const page = await b.request(`${base}/projects`);
    expect(page.headers.get('location')).toBeNull();
    expect([200, 503]).toContain(page.status);
  });

  it('sets the session cookie HttpOnly and SameSite=Lax, and Secure with the __Host- prefix behind https', async () => {
    const { base } = await setup();
    const start = await fetch(`${base}/auth/sign-in`, { redirect: 'manual' });
    const set = start.headers.getSetCookie().join('\n');
    expect(set).toMatch(/dashboard-sign-in=v1\.[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=600/);
    expect(set).not.toMatch(/Secure/);
    // The authorization request carries PKCE (S256), state and nonce.
    const auth = new URL(start.headers.get('location')!);
    expect(auth.origin).toBe(provider!.issuer);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(auth.searchParams.get('state')).toBeTruthy();
    expect(auth.searchParams.get('nonce')).toBeTruthy();
    expect(auth.searchParams.get('redirect_uri')).toBe(`${base}/auth/callback`);

    const port = await freePort();
    const https = await startHarness({
      env: {
        PORT: String(port),
        DASHBOARD_PUBLIC_URL: 'https://dash.example.com',
        DASHBOARD_OIDC_ISSUER: provider!.issuer,
        DASHBOARD_OIDC_CLIENT_ID: CLIENT_ID,
        DASHBOARD_SESSION_KEYS: KEY_A,
        DASHBOARD_VIEWER_GROUPS: 'dash-viewers',
      },
    });
    servers.push(https);
    const res = await getWithHost(`${https.url}/auth/sign-in`, 'dash.example.com');
    expect(res.status).toBe(302);
    expect((res.headers['set-cookie'] ?? []).join('\n')).toMatch(
      /^__Host-dashboard-sign-in=v1\.[^;]+; Path=\/; HttpOnly; SameSite=Lax; Secure; Max-Age=600$/,
    );
  });

  it('without a session: pages redirect to sign-in, API calls get a 401 ApiError', async () => {
    const { base } = await setup();
    const page = await fetch(`${base}/projects/abc?x=1`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe(`/auth/sign-in?returnTo=${encodeURIComponent('/projects/abc?x=1')}`);
    const api = await fetch(`${base}/api/atlas/v2/groups`);
    expect(api.status).toBe(401);
    expect(api.headers.get('x-error-source')).toBe('dashboard');
    expect(api.headers.get('cache-control')).toBe('no-store');
    expect(await api.json()).toMatchObject({ error: 401, errorCode: 'SESSION_REQUIRED', reason: 'Unauthorized' });
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    // Started under another name for this server: the sign-in moves to DASHBOARD_PUBLIC_URL first, where the
    // provider will send the browser back (its cookie would be left behind otherwise).
    const alias = await getWithHost(`${base}/auth/sign-in?returnTo=%2Fprojects`, `localhost:${new URL(base).port}`);
    expect(alias.status).toBe(302);
    expect(alias.headers.location).toBe(`${base}/auth/sign-in?returnTo=%2Fprojects`);
    expect(alias.headers['set-cookie']).toBeUndefined();
    // Health keeps its rules: open to probes.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect([200, 503]).toContain((await fetch(`${base}/readyz`)).status);
  });

  it('maps roles from the groups claim: a viewer is refused the operator check even by a hand-made request', async () => {
    const { base } = await setup();
    const viewer = (await signIn(base, 'victor')).b;
    const v = await apiJson(viewer, `${base}/api/session`);
    expect(v.body).toMatchObject({ role: 'viewer', user: { name: 'Victor Viewer' } });
    // The viewer reads everything…
    expect((await viewer.request(`${base}/api/atlas/v2/groups`)).status).toBe(200);
    // …but the server refuses to let them act, with their own valid CSRF token and whatever the UI shows.
    const refused = await apiJson(viewer, `${base}/api/session/operator-check`, {
      method: 'POST',
      headers: { 'x-csrf-token': v.body.csrfToken as string },
    });
    expect(refused.res.status).toBe(403);
    expect(refused.body).toMatchObject({ errorCode: 'ROLE_REQUIRED' });
    expect(refused.body.detail).toContain('Victor Viewer is signed in as a viewer');

    const operator = (await signIn(base, 'olivia')).b;
    const o = await apiJson(operator, `${base}/api/session`);
    const ok = await apiJson(operator, `${base}/api/session/operator-check`, {
      method: 'POST',
      headers: { 'x-csrf-token': o.body.csrfToken as string },
    });
    expect(ok.res.status).toBe(200);
    expect(ok.body).toMatchObject({ operator: true, user: { id: 'olivia' } });
    // An operator without the CSRF token (a cross-site form) is refused too.
    const noCsrf = await apiJson(operator, `${base}/api/session/operator-check`, { method: 'POST' });
    expect(noCsrf.res.status).toBe(403);
    expect(noCsrf.body).toMatchObject({ errorCode: 'CSRF_TOKEN_INVALID' });
  });

  it('someone in neither group gets a page that says which group is missing, and no session', async () => {
    const { base } = await setup();
    const { b, walk } = await signIn(base, 'nora');
    expect(walk.res!.status).toBe(403);
    expect(walk.body).toContain('Access refused: a group is missing');
    expect(walk.body).toContain('nora@example.com');
    expect(walk.body).toMatch(/dash-viewers.*dash-operators/s);
    expect(walk.body).toMatch(/<code>engineering<\/code>, <code>sales<\/code>/);
    expect(b.cookie('127.0.0.1', COOKIE)).toBeUndefined();
  });

  it('a tampered, foreign or malformed cookie: a clean sign-in redirect for pages, a 401 ApiError for the API, never a 500', async () => {
    const { base } = await setup();
    const { b } = await signIn(base, 'olivia');
    const good = b.cookie('127.0.0.1', COOKIE)!;
    const parts = good.split('.');
    const body = parts[3]!;
    const flipped = body.slice(0, 10) + (body[10] === 'A' ? 'B' : 'A') + body.slice(11);
    const variants = [
      [parts[0], parts[1], parts[2], flipped].join('.'),
      [parts[0], 'deadbeef', parts[2], parts[3]].join('.'),
      'v1...',
      'not-a-session',
      `v1.${parts[1]}.${'A'.repeat(16)}.${'A'.repeat(5000)}`,
      '%ff%00',
    ];
    for (const v of variants) {
      const api = await fetch(`${base}/api/atlas/v2/groups`, { headers: { cookie: `${COOKIE}=${v}` } });
      expect(api.status, v.slice(0, 40)).toBe(401);
      expect(await api.json()).toMatchObject({ errorCode: 'SESSION_REQUIRED' });
      // The bad cookie is cleared.
      expect(api.headers.getSetCookie().join()).toMatch(
        /dashboard-session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0/,
      );
      const page = await fetch(`${base}/`, { headers: { cookie: `${COOKIE}=${v}` }, redirect: 'manual' });
      expect(page.status).toBe(302);
      expect(page.headers.get('location')).toBe('/auth/sign-in?returnTo=%2F');
    }
  });

  it('a session ends after the idle lifetime, and after the absolute lifetime however busy it is', async () => {
    const clock = manualClock();
    const { base } = await setup({ now: clock.now });
    const { b } = await signIn(base, 'olivia');
    const copy = b.cookie('127.0.0.1', COOKIE)!;
    clock.advance(601_000);
    const idle = await fetch(`${base}/api/atlas/v2/groups`, { headers: { cookie: `${COOKIE}=${copy}` } });
    expect(idle.status).toBe(401);
    expect(await idle.json()).toMatchObject({
      errorCode: 'SESSION_EXPIRED',
      detail: expect.stringContaining('without use'),
    });

    const busy = (await signIn(base, 'olivia')).b;
    // Used every 9 minutes (the idle limit is 10): it stays valid, each use re-sealed, until 30 minutes in.
    for (let t = 0; t < 3; t++) {
      clock.advance(540_000);
      // A page first: its answer may be kept by a cache, so the re-sealed cookie must not ride on it.
      const page = await busy.request(`${base}/projects`);
      if (page.headers.getSetCookie().length) expect(page.headers.get('cache-control')).toContain('no-store');
      const api = await busy.request(`${base}/api/atlas/v2/groups`);
      expect(api.status).toBe(200);
      expect(api.headers.getSetCookie().join()).toMatch(/^dashboard-session=v1\./);
    }
    clock.advance(240_000);
    const over = await busy.request(`${base}/api/atlas/v2/groups`);
    expect(over.status).toBe(401);
    expect(await over.json()).toMatchObject({
      errorCode: 'SESSION_EXPIRED',
      detail: expect.stringContaining('maximum length'),
    });
    const page = await busy.request(`${base}/`);
    expect(page.status).toBe(302);
  });

  it('refuses a callback whose state is not the one this browser started with', async () => {
    const { base } = await setup();
    const b = new Browserless();
    const walk = await b.walk(`${base}/auth/sign-in`, 'olivia', (u) => u.pathname === '/auth/callback');
    const callback = new URL(walk.stoppedAt!);
    expect(callback.searchParams.get('code')).toBeTruthy();
    callback.searchParams.set('state', 'someone-elses-state');
    const res = await b.request(callback.href);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('state does not match');
    expect(b.cookie('127.0.0.1', COOKIE)).toBeUndefined();
    expect(provider!.hits.get('/token') ?? 0).toBe(0);
    // A callback with no sign-in in progress (the sign-in cookie is gone now) is refused as well.
    const again = await b.request(walk.stoppedAt!);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('no sign-in in progress');
  });

  it('a provider that refuses the sign-in (access_denied) gets a clear page, not a 500', async () => {
    const { base } = await setup();
    const b = new Browserless();
    const walk = await b.walk(`${base}/auth/sign-in`, 'olivia', (u) => u.pathname === '/auth/callback');
    const callback = new URL(walk.stoppedAt!);
    callback.searchParams.delete('code');
    callback.searchParams.set('error', 'access_denied');
    const res = await b.request(callback.href);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('did not let you sign in');
    expect(b.cookie('127.0.0.1', COOKIE)).toBeUndefined();
  });

  it.each([
    ['another issuer', (c: Record<string, unknown>) => ({ ...c, iss: 'https://evil.example' })],
    ['another audience', (c: Record<string, unknown>) => ({ ...c, aud: 'some-other-app', azp: 'some-other-app' })],
    ['a wrong nonce', (c: Record<string, unknown>) => ({ ...c, nonce: 'replayed' })],
  ])('refuses an ID token from %s (correctly signed by the provider key)', async (_name, edit) => {
    const { base, provider: p } = await setup();
    p.forgeIdToken(edit);
    const { b, walk } = await signIn(base, 'olivia');
    expect(p.hits.get('/token')).toBe(1);
    expect(walk.res!.status).toBe(502);
    expect(walk.body).toContain('could not be verified');
    expect(b.cookie('127.0.0.1', COOKIE)).toBeUndefined();
    p.forgeIdToken(undefined);
    const retry = await signIn(base, 'olivia');
    expect(retry.b.cookie('127.0.0.1', COOKIE)).toBeDefined();
  });

  it('a session from another provider or client (same keys) is not a session here', async () => {
    const { h, base, provider: p } = await setup();
    const { b } = await signIn(base, 'olivia');
    const sealed = b.cookie('127.0.0.1', COOKIE)!;
    const port = Number(new URL(base).port);
    await h.close();
    servers = [];
    await start(port, p.issuer, { env: { DASHBOARD_OIDC_CLIENT_ID: 'another-client' } });
    const res = await fetch(`${base}/api/atlas/v2/groups`, { headers: { cookie: `${COOKIE}=${sealed}` } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ errorCode: 'SESSION_REQUIRED' });
  });

  it('rotates keys: the old key still opens sessions while the new one seals, then stops', async () => {
    const { h, base, provider: p } = await setup({ keys: KEY_A });
    const { b } = await signIn(base, 'olivia');
    const sealedWithA = b.cookie('127.0.0.1', COOKIE)!;
    const port = Number(new URL(base).port);
    await h.close();
    servers = [];

    // New key first, old key still listed: the old cookie works and is re-sealed with the new key at once.
    await start(port, p.issuer, { keys: `${KEY_B},${KEY_A}` });
    const res = await b.request(`${base}/api/atlas/v2/groups`);
    expect(res.status).toBe(200);
    const resealed = b.cookie('127.0.0.1', COOKIE)!;
    expect(resealed).not.toBe(sealedWithA);
    expect(resealed.split('.')[1]).not.toBe(sealedWithA.split('.')[1]);
    await servers[0]!.close();
    servers = [];

    // Old key retired: the re-sealed cookie still works, the old one is refused.
    await start(port, p.issuer, { keys: KEY_B });
    expect((await b.request(`${base}/api/session`)).status).toBe(200);
    const old = await fetch(`${base}/api/atlas/v2/groups`, { headers: { cookie: `${COOKIE}=${sealedWithA}` } });
    expect(old.status).toBe(401);
  });

  it('signs out: the cookie is cleared, a copy of it stops working, and the provider’s end-session follows', async () => {
    const { base } = await setup();
    const { b } = await signIn(base, 'olivia');
    const copy = b.cookie('127.0.0.1', COOKIE)!;
    const { body } = await apiJson(b, `${base}/api/session`);
    const noToken = await b.request(`${base}/api/session`, { method: 'DELETE' });
    expect(noToken.status).toBe(403);

    const out = await apiJson(b, `${base}/api/session`, {
      method: 'DELETE',
      headers: { 'x-csrf-token': body.csrfToken as string },
    });
    expect(out.res.status).toBe(200);
    expect(b.cookie('127.0.0.1', COOKIE)).toBeUndefined();
    const end = new URL(out.body.redirectTo as string);
    expect(end.origin + end.pathname).toBe(`${provider!.issuer}/session/end`);
    expect(end.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${base}/auth/signed-out`);

    const stale = await fetch(`${base}/api/atlas/v2/groups`, { headers: { cookie: `${COOKIE}=${copy}` } });
    expect(stale.status).toBe(401);
    expect(await stale.json()).toMatchObject({
      errorCode: 'SESSION_EXPIRED',
      detail: expect.stringContaining('signed out'),
    });

    // The provider asks to confirm, then sends the browser back to the dashboard's signed-out page.
    const confirm = await b.request(end.href);
    const html = await confirm.text();
    const action =
      /<form[^>]*id="op.logoutForm"[^>]*action="([^"]+)"/.exec(html) ??
      /action="([^"]+)"[^>]*id="op.logoutForm"/.exec(html);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html);
    const done = await b.request(new URL(action![1]!, end).href, {
      method: 'POST',
      body: new URLSearchParams({ xsrf: xsrf![1]!, logout: 'yes' }).toString(),
    });
    expect(done.headers.get('location')).toBe(`${base}/auth/signed-out`);
    const signedOut = await b.request(`${base}/auth/signed-out`);
    expect(signedOut.status).toBe(200);
    expect(await signedOut.text()).toContain('You have signed out');
  });
});
