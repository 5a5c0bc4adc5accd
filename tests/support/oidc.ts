/**
 * A real OpenID provider for tests: `oidc-provider` (the certified Node implementation) on 127.0.0.1, with its
 * development login form (any password), a few people in a few groups, the `groups` claim in the ID token, no
 * consent screen (a first-party client), and its signing key held here so a test can forge an ID token that is
 * correctly signed but names another issuer or audience (swapped into the token endpoint's answer).
 *
 * Also a small cookie-keeping HTTP client that walks the whole sign-in without a browser.
 */
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export const PEOPLE: Record<string, { name: string; email: string; groups: string[] }> = {
  olivia: { name: 'Olivia Operator', email: 'olivia@example.com', groups: ['dash-operators', 'engineering'] },
  victor: { name: 'Victor Viewer', email: 'victor@example.com', groups: ['dash-viewers'] },
  nora: { name: 'Nora Nogroup', email: 'nora@example.com', groups: ['engineering', 'sales'] },
};

export const CLIENT_ID = 'atlas-dashboard';
export const CLIENT_SECRET = 'test-client-secret-0123456789abcdef';

export interface TestProvider {
  issuer: string;
  /** Replaces the next ID tokens the token endpoint returns (claims edited, re-signed with the real key). */
  forgeIdToken(edit: ((claims: Record<string, unknown>) => Record<string, unknown>) | undefined): void;
  /** Requests seen, by path (`/token`, `/session/end`, …). */
  hits: Map<string, number>;
  close(): Promise<void>;
}

/** A free loopback port (the dashboard's public URL must be registered at the provider before it starts). */
export async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function startTestProvider(dashboardUrl: string): Promise<TestProvider> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [`${dashboardUrl}/auth/callback`],
        post_logout_redirect_uris: [`${dashboardUrl}/auth/signed-out`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ['test-provider-cookie-key-0123456789'] },
    claims: { openid: ['sub'], profile: ['name'], email: ['email'], groups: ['groups'] },
    // The groups claim goes into the ID token, as Okta and Entra ID can be set to do.
    conformIdTokenClaims: false,
    findAccount: (_ctx, sub) => {
      const who = PEOPLE[sub];
      return {
        accountId: sub,
        claims: () => ({ sub, ...(who ? { name: who.name, email: who.email, groups: who.groups } : {}) }),
      };
    },
    // A first-party client: no consent screen.
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope('openid profile email groups');
      await grant.save();
      return grant;
    },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  });
  const hits = new Map<string, number>();
  let forge: ((claims: Record<string, unknown>) => Record<string, unknown>) | undefined;
  provider.use(async (ctx, next) => {
    hits.set(ctx.path, (hits.get(ctx.path) ?? 0) + 1);
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (forge && ctx.path === '/token' && body && typeof body.id_token === 'string') {
      ctx.body = { ...body, id_token: resign(body.id_token, forge) };
    }
  });
  const key = createPrivateKey({ key: jwk, format: 'jwk' });
  const resign = (token: string, edit: (c: Record<string, unknown>) => Record<string, unknown>) => {
    const [h, p] = token.split('.') as [string, string];
    const claims = edit(JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>);
    const input = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
  };
  server.on('request', provider.callback());
  return {
    issuer,
    hits,
    forgeIdToken: (edit) => (forge = edit),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A cookie jar keyed by host name (like a browser, cookies ignore the port) and a redirect-following client. */
export class Browserless {
  readonly jar = new Map<string, Map<string, string>>();

  cookie(host: string, name: string): string | undefined {
    return this.jar.get(host)?.get(name);
  }

  setCookie(host: string, name: string, value: string): void {
    const m = this.jar.get(host) ?? new Map<string, string>();
    m.set(name, value);
    this.jar.set(host, m);
  }

  async request(url: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
    const u = new URL(url);
    const cookies = [...(this.jar.get(u.hostname) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`);
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: {
        ...(cookies.length ? { cookie: cookies.join('; ') } : {}),
        ...(init.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...init.headers,
      },
      ...(init.body ? { body: init.body } : {}),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      const m = this.jar.get(u.hostname) ?? new Map<string, string>();
      if (expired || value === '') m.delete(name);
      else m.set(name, value);
      this.jar.set(u.hostname, m);
    }
    return res;
  }

  /**
   * Follows redirects from `url`, signing in at the provider's login form as `login` when it appears. Stops
   * before fetching any URL `stopAt` matches (returned as `stoppedAt`), or at the first non-redirect answer.
   */
  async walk(url: string, login: string, stopAt?: (u: URL) => boolean) {
    let next = url;
    for (let i = 0; i < 20; i++) {
      if (stopAt?.(new URL(next))) return { stoppedAt: next, res: undefined };
      const res = await this.request(next);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        next = new URL(location, next).href;
        continue;
      }
      const body = await res.text();
      const form = /<form[^>]*action="([^"]+)"[^>]*method="post"[^>]*>[\s\S]*?name="login"/.exec(body);
      if (res.status === 200 && form) {
        const post = await this.request(new URL(form[1]!, next).href, {
          method: 'POST',
          body: new URLSearchParams({ prompt: 'login', login, password: 'any' }).toString(),
        });
        next = new URL(post.headers.get('location')!, next).href;
        continue;
      }
      return { stoppedAt: undefined, res, body, url: next };
    }
    throw new Error('too many redirects');
  }
}
