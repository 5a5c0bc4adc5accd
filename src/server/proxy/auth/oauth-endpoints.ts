/**
 * The two OAuth endpoints of Atlas's service accounts (CONTRACT.md): `POST /api/oauth/token` (client
 * credentials) and `POST /api/oauth/revoke` (RFC 7009), both with the client id and secret as Basic auth.
 */
import type { Logger } from '../../logger.ts';
import { retryAfterMs, UpstreamError, type Upstream, type UpstreamResponse } from '../upstream.ts';
import { AuthError } from './authenticator.ts';

export interface OAuthClient {
  upstream: Upstream;
  clientId: string;
  clientSecret: string;
  logger: Logger;
}

/** The token response's fields the proxy relies on (plain checks: nothing else on the start path needs zod). */
function tokenResponse(body: unknown): { access_token: string; expires_in: number } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { access_token: token, expires_in: expiresIn, token_type: type } = body as Record<string, unknown>;
  if (typeof token !== 'string' || token.length < 8 || token.length > 16_384) return undefined;
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0) return undefined;
  if (type !== undefined && (typeof type !== 'string' || !/^bearer$/i.test(type))) return undefined;
  return { access_token: token, expires_in: expiresIn };
}

function oauthErrorCode(body: unknown): string | undefined {
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  return typeof error === 'string' && error.length <= 100 ? error : undefined;
}

export interface Token {
  value: string;
  issuedAt: number;
  expiresAt: number;
}

export async function requestToken(o: OAuthClient, now: () => number): Promise<Token> {
  let res;
  try {
    res = await o.upstream.send({
      method: 'POST',
      path: '/api/oauth/token',
      headers: {
        authorization: basic(o),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: 'grant_type=client_credentials',
    });
  } catch (err) {
    // Atlas unreachable is an upstream failure like any other (502/504), not a token problem.
    if (err instanceof UpstreamError) throw err;
    throw new AuthError('unavailable', 'Atlas token endpoint unreachable');
  }
  const issuedAt = now();
  if (res.status === 403 && oauthErrorCode(safeJson(res.body)) === 'access_denied') {
    // Atlas's per-account cap on live tokens: the credentials are fine, other clients hold too many tokens.
    throw new AuthError(
      'rejected',
      'Atlas refused a new token: the service account has reached its limit of live access tokens (HTTP 403 access_denied); they expire within an hour, or revoke them',
    );
  }
  if (res.status === 400 || res.status === 401 || res.status === 403) {
    throw new AuthError('rejected', `Atlas token endpoint refused the service account (HTTP ${res.status})`);
  }
  if (res.status !== 200) {
    throw new AuthError(
      'unavailable',
      `Atlas token endpoint answered HTTP ${res.status}`,
      retryAfterMs(res.headers['retry-after']),
    );
  }
  const parsed = tokenResponse(safeJson(res.body));
  if (!parsed) throw new AuthError('unavailable', 'Atlas token endpoint returned an unusable token response');
  o.logger.addSecret(parsed.access_token, 'token');
  o.logger.debug('oauth token issued', { expiresInSec: parsed.expires_in });
  return { value: parsed.access_token, issuedAt, expiresAt: issuedAt + parsed.expires_in * 1000 };
}

export function revokeToken(o: OAuthClient, value: string, signal: AbortSignal): Promise<UpstreamResponse> {
  return o.upstream.send(
    {
      method: 'POST',
      path: '/api/oauth/revoke',
      headers: { authorization: basic(o), 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${encodeURIComponent(value)}&token_type_hint=access_token`,
    },
    signal,
  );
}

/** RFC 6749 section 2.3.1: client id and secret are form-encoded before Basic. */
function basic(o: OAuthClient): string {
  return `Basic ${Buffer.from(`${formEncode(o.clientId)}:${formEncode(o.clientSecret)}`).toString('base64')}`;
}

function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

function safeJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
