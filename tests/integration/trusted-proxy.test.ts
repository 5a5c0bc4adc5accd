/**
 * Issue 19 items 4 and 5, and issue 16's session half: identity headers believed only from the configured proxy
 * addresses; the same setting gives the Basic sign-in limiter the real client address; a Basic sign-in opens a
 * session that a lock-out never blocks. Linux routes all of 127/8 to loopback, so each request below really
 * comes from the source address it names.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { requestFrom } from './support/from-address.ts';
import { startHarness, type Harness } from './support/harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const request = (base: string, from: string, path: string, headers: Record<string, string> = {}, method = 'GET') =>
  requestFrom(base, from, path, { headers, method });

const PROXY = '127.0.0.2';
const OUTSIDER = '127.0.0.3';
const OPERATOR = {
  'x-forwarded-user': 'alice',
  'x-forwarded-email': 'alice@example.com',
  'x-forwarded-groups': 'engineering,dash-operators',
};

describe('behind an authenticating proxy (DASHBOARD_AUTH=proxy)', () => {
  const env = {
    DASHBOARD_AUTH: 'proxy',
    DASHBOARD_TRUSTED_PROXIES: `${PROXY}/32,10.0.0.0/8`,
    DASHBOARD_VIEWER_GROUPS: 'dash-viewers',
    DASHBOARD_OPERATOR_GROUPS: 'dash-operators',
  };

  it('accepts identity headers from the trusted proxy address and names the person and role', async () => {
    h = await startHarness({ env });
    const session = await request(h.url, PROXY, '/api/session', OPERATOR);
    expect(session.status).toBe(200);
    expect(JSON.parse(session.body)).toMatchObject({
      mode: 'proxy',
      user: { id: 'alice', name: 'alice', email: 'alice@example.com' },
      role: 'operator',
      canSignOut: false,
    });
    expect((await request(h.url, PROXY, '/api/atlas/v2/groups', OPERATOR)).status).toBe(200);
    // Each request's log line names who asked.
    const lines = h.logs.filter((l) => l.includes('"msg":"request"') && l.includes('/groups'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.includes('"user":"alice"'))).toBe(true);
  });

  it('refuses the same headers from any other address, without reading Atlas', async () => {
    h = await startHarness({ env });
    const before = await h.simCalls();
    const res = await request(h.url, OUTSIDER, '/api/atlas/v2/groups', OPERATOR);
    expect(res.status).toBe(403);
    expect(res.headers['x-error-source']).toBe('dashboard');
    expect(JSON.parse(res.body)).toMatchObject({ errorCode: 'PROXY_REQUIRED' });
    expect(JSON.parse(res.body).detail).toContain('x-forwarded-user');
    const page = await request(h.url, OUTSIDER, '/', OPERATOR);
    expect(page.status).toBe(403);
    expect(page.body).toContain('Sign-in happens in front of this dashboard');
    expect(await h.simCalls()).toBe(before);
    expect(h.logs.join('\n')).toContain('identity headers refused');
  });

  it('a viewer from the proxy reads but cannot act; someone in no group is told which group is missing', async () => {
    h = await startHarness({ env });
    const viewer = { 'x-forwarded-user': 'bob', 'x-forwarded-groups': 'dash-viewers' };
    const session = JSON.parse((await request(h.url, PROXY, '/api/session', viewer)).body) as {
      role: string;
      csrfToken: string;
    };
    expect(session.role).toBe('viewer');
    expect((await request(h.url, PROXY, '/api/atlas/v2/groups', viewer)).status).toBe(200);
    const act = await request(
      h.url,
      PROXY,
      '/api/session/operator-check',
      { ...viewer, 'x-csrf-token': session.csrfToken },
      'POST',
    );
    expect(act.status).toBe(403);
    expect(JSON.parse(act.body)).toMatchObject({ errorCode: 'ROLE_REQUIRED' });

    const nobody = { 'x-forwarded-user': 'carol', 'x-forwarded-groups': 'sales' };
    const api = await request(h.url, PROXY, '/api/atlas/v2/groups', nobody);
    expect(api.status).toBe(403);
    expect(JSON.parse(api.body)).toMatchObject({ errorCode: 'GROUP_REQUIRED' });
    const page = await request(h.url, PROXY, '/', nobody);
    expect(page.status).toBe(403);
    expect(page.body).toContain('a group is missing');
    expect(page.body).toContain('<code>sales</code>');
  });

  it('header names are configurable, and the header’s sign-out can go to the proxy', async () => {
    h = await startHarness({
      env: {
        ...env,
        DASHBOARD_PROXY_SIGN_OUT_URL: '/oauth2/sign_out',
        DASHBOARD_PROXY_USER_HEADER: 'X-Auth-Request-User',
        DASHBOARD_PROXY_GROUPS_HEADER: 'X-Auth-Request-Groups',
      },
    });
    const res = await request(h.url, PROXY, '/api/session', {
      'x-auth-request-user': 'dave',
      'x-auth-request-groups': 'dash-operators',
    });
    expect(JSON.parse(res.body)).toMatchObject({
      user: { id: 'dave' },
      role: 'operator',
      canSignOut: true,
      signOutUrl: '/oauth2/sign_out',
    });
  });
});

const USER = 'operator';
const PASSWORD = 'correct-horse-battery';
const basic = (password: string) => `Basic ${Buffer.from(`${USER}:${password}`).toString('base64')}`;

describe('Basic sign-in with sessions and a trusted reverse proxy', () => {
  it('the limiter counts the client behind the trusted proxy, not the proxy: one client’s lock-out spares the others', async () => {
    h = await startHarness({ env: { DASHBOARD_BASIC_AUTH: `${USER}:${PASSWORD}`, DASHBOARD_TRUSTED_PROXIES: PROXY } });
    for (let i = 0; i < 12; i++)
      await request(h.url, PROXY, '/api/atlas/v2/groups', {
        authorization: basic('wrong-guess-1234'),
        'x-forwarded-for': '203.0.113.5',
      });
    const attacker = await request(h.url, PROXY, '/api/atlas/v2/groups', {
      authorization: basic(PASSWORD),
      'x-forwarded-for': '203.0.113.5',
    });
    expect(attacker.status).toBe(429);
    const colleague = await request(h.url, PROXY, '/api/atlas/v2/groups', {
      authorization: basic(PASSWORD),
      'x-forwarded-for': '198.51.100.7, 203.0.113.5',
    });
    // The nearest untrusted hop is 203.0.113.5 (the proxy appends what it saw): still the attacker's lock.
    expect(colleague.status).toBe(429);
    const other = await request(h.url, PROXY, '/api/atlas/v2/groups', {
      authorization: basic(PASSWORD),
      'x-forwarded-for': '198.51.100.7',
    });
    expect(other.status).toBe(200);
    // X-Forwarded-For from an untrusted peer is ignored: it cannot pick someone else's bucket.
    const spoof = await request(h.url, OUTSIDER, '/api/atlas/v2/groups', {
      authorization: basic('wrong-guess-1234'),
      'x-forwarded-for': '198.51.100.7',
    });
    expect(spoof.status).toBe(401);
    expect(h.logs.join('\n')).toContain('203.0.113.5');
  });

  it('a correct Basic sign-in opens a session; a lock-out of the address never blocks it', async () => {
    h = await startHarness({ env: { DASHBOARD_BASIC_AUTH: `${USER}:${PASSWORD}` } });
    const first = await request(h.url, '127.0.0.4', '/api/session', { authorization: basic(PASSWORD) });
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toMatchObject({ mode: 'basic', user: { id: USER }, role: 'operator' });
    const setCookie = (first.headers['set-cookie'] ?? []).join('\n');
    expect(setCookie).toMatch(/^dashboard-session=v1\.[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
    const cookie = setCookie.split(';')[0]!;

    // Someone at the same address (a NAT) guesses until the address is locked.
    for (let i = 0; i < 12; i++)
      await request(h.url, '127.0.0.4', '/api/atlas/v2/groups', { authorization: basic('wrong-guess-1234') });
    // The address is locked: a credential not verified before is not even checked.
    const locked = await request(h.url, '127.0.0.4', '/api/atlas/v2/groups', {
      authorization: basic('another-guess-99'),
    });
    expect(locked.status).toBe(429);
    // The signed-in browser keeps working: with its cookie (and the Basic header browsers keep sending).
    const served = await request(h.url, '127.0.0.4', '/api/atlas/v2/groups', {
      cookie,
      authorization: basic(PASSWORD),
    });
    expect(served.status).toBe(200);
    expect((await request(h.url, '127.0.0.4', '/api/atlas/v2/groups', { cookie })).status).toBe(200);
  });

  it('a session is good only for the credential it was opened with: changing the password ends it', async () => {
    const keys = 'basic-session-key-0123456789abcdef0123';
    h = await startHarness({ env: { DASHBOARD_BASIC_AUTH: `${USER}:${PASSWORD}`, DASHBOARD_SESSION_KEYS: keys } });
    const first = await request(h.url, '127.0.0.5', '/api/session', { authorization: basic(PASSWORD) });
    const cookie = (first.headers['set-cookie'] ?? [])[0]!.split(';')[0]!;
    await h.close();
    // Same keys, same password (a restart): the session carries on.
    h = await startHarness({ env: { DASHBOARD_BASIC_AUTH: `${USER}:${PASSWORD}`, DASHBOARD_SESSION_KEYS: keys } });
    expect((await request(h.url, '127.0.0.5', '/api/atlas/v2/groups', { cookie })).status).toBe(200);
    await h.close();
    // Same keys, new password: the old session is refused and the browser is asked to sign in.
    h = await startHarness({
      env: { DASHBOARD_BASIC_AUTH: `${USER}:another-strong-passphrase-77`, DASHBOARD_SESSION_KEYS: keys },
    });
    const refused = await request(h.url, '127.0.0.5', '/api/atlas/v2/groups', { cookie });
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/^Basic/);
  });
});
