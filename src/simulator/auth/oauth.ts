import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import type { SimClock } from '../world/clock.ts';
import { sendJson } from '../http/respond.ts';
import { safeEqual } from './secrets.ts';

export interface OAuthServer {
  token(c: Context): Promise<Response>;
  revoke(c: Context): Promise<Response>;
  /** The identity behind a live bearer token, or undefined for unknown, expired or revoked tokens. */
  verifyBearer(token: string): string | undefined;
  tokensIssued(): number;
  /** Live tokens revoked through the revoke endpoint (unknown, expired or already revoked ones do not count). */
  tokensRevoked(): number;
  /** Tokens that are neither expired nor revoked: what Atlas counts against the per-account cap. */
  activeTokens(): number;
  reset(): void;
}

interface OAuthOptions {
  clock: SimClock;
  lifetimeSec: number;
  maxActive: number;
  clientId: string;
  clientSecret: string;
}

const oauthError = (c: Context, status: number, error: string, description: string, headers?: Record<string, string>) =>
  sendJson(
    c,
    status,
    { error, error_description: description },
    { headers: { 'Cache-Control': 'no-store', ...headers } },
  );

/** OAuth 2.0 client credentials (RFC 6749 section 4.4) with client_secret_basic, and revocation (RFC 7009). */
export function createOAuthServer(o: OAuthOptions): OAuthServer {
  const tokens = new Map<string, { expiresAt: number; clientId: string }>();
  let issued = 0;
  let revoked = 0;
  const live = () => {
    const now = o.clock.now();
    for (const [t, v] of tokens) if (v.expiresAt <= now) tokens.delete(t);
    return tokens.size;
  };
  const authenticateClient = (header: string | undefined): boolean => {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
    if (!m) return false;
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const id = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    // RFC 6749 2.3.1 says form-encode id and secret before Base64; many clients do not. Accept both spellings.
    const formDecode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    const matches = (i: string, s: string) => safeEqual(i, o.clientId) && safeEqual(s, o.clientSecret);
    return matches(id, secret) || matches(formDecode(id), formDecode(secret));
  };
  const form = async (c: Context) => new URLSearchParams(await c.req.text());
  return {
    async token(c) {
      if (!authenticateClient(c.req.header('authorization'))) {
        return oauthError(c, 401, 'invalid_client', 'Client authentication failed.', {
          'WWW-Authenticate': 'Basic realm="oauth"',
        });
      }
      const body = await form(c);
      const grant = body.get('grant_type');
      if (!grant) return oauthError(c, 400, 'invalid_request', 'Missing grant_type.');
      if (grant !== 'client_credentials')
        return oauthError(c, 400, 'unsupported_grant_type', `Unsupported grant_type ${grant.slice(0, 40)}.`);
      if (live() >= o.maxActive)
        return oauthError(c, 403, 'access_denied', 'Access Token limit reached for this service account.');
      const token = randomBytes(32).toString('base64url');
      tokens.set(token, { expiresAt: o.clock.now() + o.lifetimeSec * 1000, clientId: o.clientId });
      issued++;
      return sendJson(
        c,
        200,
        { access_token: token, expires_in: o.lifetimeSec, token_type: 'Bearer' },
        { headers: { 'Cache-Control': 'no-store' } },
      );
    },
    async revoke(c) {
      if (!authenticateClient(c.req.header('authorization'))) {
        return oauthError(c, 401, 'invalid_client', 'Client authentication failed.', {
          'WWW-Authenticate': 'Basic realm="oauth"',
        });
      }
      const token = (await form(c)).get('token');
      if (!token) return oauthError(c, 400, 'invalid_request', 'Missing token.');
      // RFC 7009: an unknown token is not an error.
      const t = tokens.get(token);
      if (t && t.expiresAt > o.clock.now()) revoked++;
      tokens.delete(token);
      return c.body(null, 200);
    },
    verifyBearer(token) {
      const t = tokens.get(token);
      if (!t) return undefined;
      if (t.expiresAt <= o.clock.now()) {
        tokens.delete(token);
        return undefined;
      }
      return `serviceAccount:${t.clientId}`;
    },
    tokensIssued: () => issued,
    tokensRevoked: () => revoked,
    activeTokens: live,
    reset() {
      tokens.clear();
      issued = 0;
      revoked = 0;
    },
  };
}
