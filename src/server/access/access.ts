/**
 * Access control in one place: which mode is in force (settings.ts), who each request comes from (an
 * `Identity` on the Hono context, for the audit log and write mode), sessions (session.ts), OpenID Connect
 * sign-in (oidc.ts), identity headers from trusted proxies, and the endpoints:
 *
 * - `GET /api/session` — who is signed in, their role, how, when the session ends, and the CSRF token that
 *   state-changing requests send back in `X-CSRF-Token`.
 * - `DELETE /api/session` — sign out (CSRF token required); answers where the browser goes next (the provider's
 *   end-session endpoint when it has one).
 * - `POST /api/session/operator-check` — the operator-only guard itself (CSRF token required): 200 for an
 *   operator, 403 `ROLE_REQUIRED` for anyone else, whatever the UI shows.
 * - `GET /auth/sign-in`, `GET /auth/callback`, `GET /auth/signed-out`, `GET /auth/style.css` (OIDC).
 *
 * `/healthz` keeps no access control, nor does `/readyz` for a client on this host (health.ts); everything else
 * (the API, `/metrics`, the SPA, `/readyz` from elsewhere) needs an identity. A session never goes through the Basic check or its limiter again until it ends.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { HttpBindings } from '@hono/node-server';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { apiError } from '../../atlas/index.ts';
import type { Logger } from '../logger.ts';
import { isSameHost } from '../health.ts';
import { isApiPath } from '../security.ts';
import type { SignIn } from '../sign-in/sign-in.ts';
import type { OidcClient, PendingSignIn } from './oidc.ts';
import { PAGE_CSS, proxyRequiredPage, refusedPage, signedOutPage, signInFailedPage } from './pages.ts';
import { createSealer } from './seal.ts';
import { SignInError } from './sign-in-error.ts';
import {
  clearCookie,
  readCookie,
  sameToken,
  SessionStore,
  setCookie,
  type Identity,
  type SessionData,
} from './session.ts';
import { claimValues, roleFor, trustedProxyList, type AccessSettings } from './settings.ts';

export type { Identity };

/** What access control puts on the Hono context. */
export interface AccessVars {
  identity?: Identity;
  /** The client's address: the socket peer, or X-Forwarded-For's nearest untrusted hop behind a trusted proxy. */
  clientAddress?: string;
  session?: SessionData;
  /** Set-Cookie values added after the security headers (which strip any other Set-Cookie). */
  setCookies?: string[];
  /** The session re-sealed (activity, or a newer key): sent only on an answer no cache keeps. */
  resealCookie?: string;
  /** The route's name in the request log and metrics (app.ts). */
  route?: string;
}
type AccessEnv = { Bindings: Partial<HttpBindings>; Variables: AccessVars };
type C = Context<AccessEnv>;

export interface Access {
  mode: AccessSettings['mode'];
  /** Register before the security headers: writes the cookies the request earned. */
  cookies: MiddlewareHandler<AccessEnv>;
  /** Register after the Host check: establishes the identity or refuses. */
  middleware: MiddlewareHandler<AccessEnv>;
  /** The session and sign-in endpoints. */
  routes(app: Hono<AccessEnv>): void;
  /**
   * For any route that acts (writes, alert tests): `app.post(path, d.access.operatorOnly, handler)`. Refuses
   * anyone but an operator (403 `ROLE_REQUIRED`) and, for anything but GET/HEAD, a request without the session's
   * CSRF token (403 `CSRF_TOKEN_INVALID`). `identityOf(c)` then names who acted, for the audit record.
   */
  operatorOnly: MiddlewareHandler<AccessEnv>;
}

const EXEMPT = new Set(['/healthz', '/auth/style.css', '/auth/signed-out', '/favicon.svg']);
const OIDC_OPEN = new Set(['/auth/sign-in', '/auth/callback']);
const ROUTES = [
  '/api/session',
  '/api/session/operator-check',
  '/auth/sign-in',
  '/auth/callback',
  '/auth/signed-out',
  '/auth/style.css',
] as const;
const SIGN_IN_PURPOSE = 'sign-in';

const problem = (status: number, code: string, detail: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(apiError(status, code, detail)), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
const html = (status: number, body: string) =>
  new Response(body, { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });

/** The identity of the request (set by the access middleware), for the audit log and write checks. */
export function identityOf(c: Context): Identity | undefined {
  return (c as unknown as C).get('identity');
}

/**
 * Server-side guard for anything that acts (writes, alert tests): an operator, with the session's CSRF token in
 * `X-CSRF-Token` for anything but GET/HEAD. The UI hiding a button is a courtesy; this is the rule.
 */
export function requireOperator(access: { csrfFor(c: C): string }): MiddlewareHandler<AccessEnv> {
  return async (c, next) => {
    const who = c.get('identity');
    if (!who) return problem(401, 'SESSION_REQUIRED', 'Sign in to the dashboard.');
    if (
      c.req.method !== 'GET' &&
      c.req.method !== 'HEAD' &&
      !sameToken(c.req.header('x-csrf-token'), access.csrfFor(c))
    )
      return problem(
        403,
        'CSRF_TOKEN_INVALID',
        'This request lacks the session’s CSRF token: reload the page and try again.',
      );
    if (who.role !== 'operator')
      return problem(
        403,
        'ROLE_REQUIRED',
        `This needs the operator role; ${who.name} is signed in as a ${who.role}. Ask to be added to an operator group.`,
      );
    return next();
  };
}

export function createAccess(
  s: AccessSettings,
  o: {
    logger: Logger;
    now?: () => number;
    basic?: SignIn;
    /** The Basic credential as configured (user and password or hash): changing it ends every Basic session. */
    basicCredential?: string;
  },
): Access & { csrfFor(c: C): string } {
  const now = o.now ?? Date.now;
  const keys = s.session.keys.length ? s.session.keys : [randomBytes(32).toString('base64url')];
  if (s.mode === 'basic' && s.session.ephemeralKey)
    o.logger.info('DASHBOARD_SESSION_KEYS is not set: sessions are sealed with a key made at start and end at restart');
  const sealer = createSealer(keys);
  // A session is only good for what it was opened against: another mode, provider, client or Basic credential
  // (a password change) ends it, even with the same keys. Not keyed: rotating keys must keep sessions.
  const scope = createHash('sha256')
    .update(s.mode === 'oidc' ? `oidc:${s.oidc?.issuer}:${s.oidc?.clientId}` : `${s.mode}:${o.basicCredential ?? ''}`)
    .digest('base64url')
    .slice(0, 16);
  const sessions = new SessionStore(sealer, s.session, now, scope);
  const trusted = trustedProxyList(s.trustedProxies);
  const hasTrusted = s.trustedProxies.length > 0;
  const csrfKey = createHmac('sha256', keys[0]!).update('csrf').digest();
  // oauth4webapi is loaded only when OpenID Connect is configured: other deployments never parse it at start.
  const oidcSettings = s.mode === 'oidc' ? s.oidc : undefined;
  let loadingOidc: Promise<OidcClient> | undefined;
  const oidc = oidcSettings
    ? () =>
        (loadingOidc ??= import('./oidc.ts').then(
          (m) => new m.OidcClient(oidcSettings, `${s.publicUrl}/auth/callback`),
        ))
    : undefined;
  if (oidc)
    void oidc()
      .then((client) => client.server())
      .catch((err: unknown) =>
        o.logger.warn('the identity provider could not be reached at start; sign-in will retry', {
          err: err instanceof Error ? err.message : String(err),
        }),
      );
  const secure = s.session.secure;
  const signInCookie = sessions.names.signIn;

  const isTrusted = (addr: string | undefined) => {
    if (!addr || !hasTrusted) return false;
    const plain = addr.startsWith('::ffff:') ? addr.slice(7) : addr;
    return trusted.check(plain, plain.includes(':') ? 'ipv6' : 'ipv4');
  };

  const clientAddress = (c: C): string | undefined => {
    const peer = c.env?.incoming?.socket.remoteAddress;
    if (!isTrusted(peer)) return peer;
    const hops = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean);
    for (let i = hops.length - 1; i >= 0; i--) if (!isTrusted(hops[i])) return hops[i];
    return hops[0] ?? peer;
  };

  const addCookie = (c: C, value: string) => c.set('setCookies', [...(c.get('setCookies') ?? []), value]);

  const csrfFor = (c: C): string => {
    const session = c.get('session');
    if (session) return session.csrf;
    const who = c.get('identity');
    return createHmac('sha256', csrfKey).update(`${who?.via}:${who?.id}`).digest('base64url');
  };

  const isPage = (c: C) =>
    (c.req.method === 'GET' || c.req.method === 'HEAD') && !isApiPath(c.req.path) && c.req.path !== '/metrics';

  const returnTo = (c: C) => {
    const u = new URL(c.req.url);
    return u.pathname + u.search;
  };

  /** Not signed in (or no longer): pages go to sign-in, API calls get a 401 the SPA understands. */
  const needSignIn = (c: C, code: string, detail: string): Response => {
    if (oidc && isPage(c)) {
      return c.redirect(`/auth/sign-in?returnTo=${encodeURIComponent(returnTo(c))}`, 302);
    }
    return problem(401, code, detail);
  };

  const proxyIdentity = (c: C): Identity | Response => {
    const peer = c.env?.incoming?.socket.remoteAddress;
    const h = s.proxyHeaders;
    const user = c.req.header(h.userHeader)?.trim();
    const email = c.req.header(h.emailHeader)?.trim();
    if (!isTrusted(peer)) {
      const sent = [h.userHeader, h.emailHeader, h.groupsHeader].filter((n) => c.req.header(n) !== undefined);
      // A forged identity is worth a warning; a plain request that bypassed the proxy is not (no log flood).
      if (sent.length)
        o.logger.warn('identity headers refused: the peer is not a trusted proxy', { peer, headers: sent.join(',') });
      const detail = sent.length
        ? `Identity headers (${sent.join(', ')}) are only accepted from the dashboard's trusted proxies (DASHBOARD_TRUSTED_PROXIES); this request did not come through one.`
        : 'This dashboard is signed into through its authenticating proxy; this request did not come through it.';
      return isPage(c) ? html(403, proxyRequiredPage(detail)) : problem(403, 'PROXY_REQUIRED', detail);
    }
    const id = user || email;
    if (!id || id.length > 256) {
      const detail = `The authenticating proxy sent no ${h.userHeader} or ${h.emailHeader} header: check its configuration (oauth2-proxy: --set-xauthrequest or --pass-user-headers).`;
      return isPage(c) ? html(401, proxyRequiredPage(detail)) : problem(401, 'SESSION_REQUIRED', detail);
    }
    const groups = (c.req.header(h.groupsHeader) ?? '')
      .split(',')
      .map((g) => g.trim())
      .filter(Boolean);
    const role = roleFor(groups, s.roles);
    if (!role) {
      if (isPage(c))
        return html(
          403,
          refusedPage({
            who: email || id,
            mapping: s.roles,
            found: groups,
            claimPresent: c.req.header(h.groupsHeader) !== undefined,
            source: 'header',
          }),
        );
      return problem(403, 'GROUP_REQUIRED', missingGroupDetail(email || id, s.roles));
    }
    return { id, name: user || email!, ...(email ? { email } : {}), role, via: 'proxy' };
  };

  /**
   * A Set-Cookie must never sit on an answer a shared cache could keep and hand to someone else. A session's
   * periodic re-seal rides only on answers that are `no-store` already (every API answer); a cookie that must be
   * set now (sign-in, sign-out, a refused cookie) makes its answer `private, no-store`.
   */
  const cookies: MiddlewareHandler<AccessEnv> = async (c, next) => {
    await next();
    const required = c.get('setCookies') ?? [];
    const reseal = c.get('resealCookie');
    const h = c.res.headers;
    const noStore = /(?:^|,)\s*no-store\s*(?:,|$)/i.test(h.get('cache-control') ?? '');
    if (required.length && !noStore) h.set('cache-control', 'private, no-store');
    for (const v of required) h.append('set-cookie', v);
    if (reseal && (noStore || required.length)) h.append('set-cookie', reseal);
  };

  const middleware: MiddlewareHandler<AccessEnv> = async (c, next) => {
    const path = c.req.path;
    c.set('clientAddress', clientAddress(c));
    if (EXEMPT.has(path)) return next();
    // Whether Atlas accepts the credentials is for this host (a probe run in the pod) or a signed-in caller.
    if (path === '/readyz' && isSameHost(c.env?.incoming?.socket.remoteAddress)) return next();
    if (s.mode === 'none') {
      c.set('identity', { id: 'local', name: 'local user', role: 'operator', via: 'none' });
      return next();
    }
    if (s.mode === 'proxy') {
      const who = proxyIdentity(c);
      if (who instanceof Response) return who;
      c.set('identity', who);
      return next();
    }
    if (oidc && OIDC_OPEN.has(path)) return next();
    const read = sessions.read(c.req.header('cookie'));
    if (read.status === 'ok') {
      const { session } = read;
      c.set('session', session);
      c.set('identity', {
        id: session.id,
        name: session.name,
        role: session.role,
        via: session.via,
        ...(session.email ? { email: session.email } : {}),
      });
      if (read.reseal) c.set('resealCookie', sessions.cookie(session));
      return next();
    }
    if (read.status !== 'none') {
      // A cookie we cannot open, or one whose time is up: drop it, then ask for a sign-in as if there were none.
      addCookie(c, sessions.clear());
      o.logger.info('session refused', { reason: read.status === 'expired' ? read.reason : 'invalid' });
    }
    if (s.mode === 'basic' && o.basic) {
      // The Basic check (limiter, bcrypt pool) runs only without a valid session; success opens one.
      return o.basic.middleware(c as unknown as Parameters<SignIn['middleware']>[0], async () => {
        const user = basicUser(c.req.header('authorization'));
        const who: Identity = { id: user, name: user, role: 'operator', via: 'basic' };
        const session = sessions.create(who);
        c.set('session', session);
        c.set('identity', who);
        addCookie(c, sessions.cookie(session));
        await next();
      });
    }
    const detail =
      read.status === 'expired'
        ? read.reason === 'idle'
          ? 'Your session ended after a period without use: sign in again.'
          : read.reason === 'absolute'
            ? 'Your session reached its maximum length: sign in again.'
            : 'You have signed out: sign in again.'
        : read.status === 'invalid'
          ? 'Your session cookie is not valid here (changed, or sealed with a key this server no longer has): sign in again.'
          : 'Sign in to the dashboard.';
    return needSignIn(c, read.status === 'expired' ? 'SESSION_EXPIRED' : 'SESSION_REQUIRED', detail);
  };

  const operatorOnly = requireOperator({ csrfFor });

  const routes = (app: Hono<AccessEnv>) => {
    // Named in the request log and metrics (fixed names: never the raw path).
    for (const route of ROUTES)
      app.use(route, async (c, next) => {
        c.set('route', route);
        await next();
      });
    app.get('/auth/style.css', (c) =>
      c.body(PAGE_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' }),
    );
    app.get('/api/session', (c) => {
      const who = c.get('identity');
      const session = c.get('session');
      return c.json({
        mode: s.mode,
        user: who ? { id: who.id, name: who.name, email: who.email ?? null } : null,
        role: who?.role ?? null,
        csrfToken: who ? csrfFor(c) : null,
        canSignOut: s.mode === 'oidc' || (s.mode === 'proxy' && s.proxyHeaders.signOutUrl !== undefined),
        // Behind an authenticating proxy, sign-out is the proxy's: the browser goes there directly.
        ...(s.mode === 'proxy' && s.proxyHeaders.signOutUrl ? { signOutUrl: s.proxyHeaders.signOutUrl } : {}),
        expiresAt: session ? new Date(sessions.expiresAt(session).absolute).toISOString() : null,
        idleExpiresAt: session ? new Date(sessions.expiresAt(session).idle).toISOString() : null,
      });
    });
    app.post('/api/session/operator-check', operatorOnly, (c) => {
      const who = c.get('identity')!;
      return c.json({ operator: true, user: { id: who.id, name: who.name } });
    });
    app.delete('/api/session', async (c) => {
      const session = c.get('session');
      if (!session) return problem(409, 'NO_SESSION', 'There is no dashboard session to end in this access mode.');
      if (!sameToken(c.req.header('x-csrf-token'), session.csrf))
        return problem(
          403,
          'CSRF_TOKEN_INVALID',
          'This request lacks the session’s CSRF token: reload the page and try again.',
        );
      sessions.revoke(session);
      addCookie(c, sessions.clear());
      o.logger.info('signed out', { user: session.id, via: session.via });
      const after = s.publicUrl ? `${s.publicUrl}/auth/signed-out` : '/auth/signed-out';
      const endSession = oidc ? await (await oidc()).endSessionUrl(after) : undefined;
      return c.json({ signedOut: true, redirectTo: endSession ?? '/auth/signed-out' });
    });
    app.get('/auth/signed-out', (c) => c.html(signedOutPage(oidc ? '/auth/sign-in' : undefined)));
    if (!oidc) return;
    const publicHost = s.publicUrl ? new URL(s.publicUrl).host.toLowerCase() : undefined;
    app.get('/auth/sign-in', async (c) => {
      const back = safeReturnTo(c.req.query('returnTo'));
      // The provider returns to DASHBOARD_PUBLIC_URL: a sign-in started under another name (an IP address, an
      // alias) would leave its cookie behind there. Start it at the public address instead.
      if (publicHost && c.req.header('host')?.toLowerCase() !== publicHost)
        return c.redirect(`${s.publicUrl}/auth/sign-in?returnTo=${encodeURIComponent(back)}`, 302);
      try {
        const { url, pending } = await (await oidc()).begin(back, now());
        addCookie(c, setCookie(signInCookie, sealer.seal(SIGN_IN_PURPOSE, pending), { secure, maxAgeSec: 600 }));
        return c.redirect(url, 302);
      } catch (err) {
        return signInFailed(c, err);
      }
    });
    app.get('/auth/callback', async (c) => {
      const raw = readCookie(c.req.header('cookie'), signInCookie);
      const opened = raw ? sealer.open(SIGN_IN_PURPOSE, raw) : null;
      const pending = opened ? asPending(opened.value) : null;
      addCookie(c, clearCookie(signInCookie, secure));
      if (!pending || pending.exp < now()) {
        o.logger.warn('sign-in callback without a pending sign-in', { reason: pending ? 'expired' : 'missing' });
        return html(
          400,
          signInFailedPage(
            'This browser has no sign-in in progress (it took more than 10 minutes, or started in another browser). Sign in again.',
          ),
        );
      }
      try {
        const client = await oidc();
        const { claims } = await client.complete(new URL(c.req.url).search, pending);
        const groups = claimValues(claims[s.roles.claim]);
        const email = typeof claims.email === 'string' && claims.email.length <= 254 ? claims.email : undefined;
        const name =
          (typeof claims.name === 'string' && claims.name) ||
          (typeof claims.preferred_username === 'string' && claims.preferred_username) ||
          email ||
          claims.sub;
        if (claims.sub.length > 255)
          throw new SignInError(
            'subject too long',
            'The identity provider sent a subject longer than 255 characters.',
            502,
          );
        const role = roleFor(groups, s.roles);
        if (!role) {
          o.logger.warn('sign-in refused: no role group', { user: claims.sub, claim: s.roles.claim });
          return html(
            403,
            refusedPage({
              who: email ?? name,
              mapping: s.roles,
              found: groups,
              claimPresent: claims[s.roles.claim] !== undefined,
              signOutHref: (await client.endSessionUrl(`${s.publicUrl}/auth/signed-out`)) ?? '/auth/sign-in',
              source: 'claim',
            }),
          );
        }
        const session = sessions.create({
          id: claims.sub,
          name: name.slice(0, 200),
          role,
          via: 'oidc',
          ...(email ? { email } : {}),
        });
        addCookie(c, sessions.cookie(session));
        o.logger.info('signed in', { user: claims.sub, role, via: 'oidc' });
        return c.redirect(pending.returnTo, 302);
      } catch (err) {
        return signInFailed(c, err);
      }
    });
  };

  const signInFailed = (_c: C, err: unknown): Response => {
    if (err instanceof SignInError) {
      o.logger.warn('sign-in failed', { reason: err.message });
      return html(err.status, signInFailedPage(err.userMessage));
    }
    throw err;
  };

  return { mode: s.mode, cookies, middleware, routes, csrfFor, operatorOnly };
}

function missingGroupDetail(who: string, m: AccessSettings['roles']): string {
  return `${who} is not in any group this dashboard accepts (viewer: ${m.viewerGroups.join(', ') || 'none'}; operator: ${m.operatorGroups.join(', ') || 'none'}).`;
}

/** Only a path on this site (never `//host` or `/\host`, which browsers treat as another origin). */
export function safeReturnTo(value: string | undefined): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || value.length > 2000)
    return '/';
  // Control characters are exactly what this check is for.
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(value) || value.startsWith('/auth/')) return '/';
  return value;
}

function basicUser(header: string | undefined): string {
  const m = /^Basic ([A-Za-z0-9+/=]{1,1024})$/i.exec(header ?? '');
  const decoded = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
  return decoded.slice(0, Math.max(0, decoded.indexOf(':'))) || 'operator';
}

function asPending(v: unknown): PendingSignIn | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  const strs = ['state', 'nonce', 'verifier', 'returnTo'] as const;
  if (strs.some((k) => typeof o[k] !== 'string') || typeof o.exp !== 'number') return null;
  return v as PendingSignIn;
}
