/**
 * OAuth 2.0 client-credentials tokens for an Atlas service account. One token is shared by every request;
 * at most one token request is in flight; the token is renewed before it expires; a failure is never stored as
 * a token, but after one the next attempt waits a short, doubling pause so a broken secret cannot hammer the
 * token endpoint (Atlas also caps a service account at 100 live tokens).
 */
import { z } from 'zod';
import type { Logger } from '../../logger.ts';
import { retryAfterMs, UpstreamError, type Upstream } from '../upstream.ts';
import { AuthError } from './authenticator.ts';

const TokenResponse = z.object({
  access_token: z.string().min(8).max(16_384),
  expires_in: z.number().positive(),
  token_type: z
    .string()
    .regex(/^bearer$/i)
    .optional(),
});

interface Token {
  value: string;
  issuedAt: number;
  expiresAt: number;
}

export interface TokenManagerOptions {
  upstream: Upstream;
  clientId: string;
  clientSecret: string;
  logger: Logger;
  refreshEarlyMs: number;
  now?: () => number;
}

const MIN_FAILURE_PAUSE_MS = 500;
const MAX_FAILURE_PAUSE_MS = 30_000;
/** Below this much remaining life a token is not used at all: it could expire in flight. */
const HARD_MARGIN_MS = 5_000;

export class TokenManager {
  private token: Token | null = null;
  private inflight: Promise<Token> | null = null;
  private failure: { error: AuthError | UpstreamError; until: number; pause: number } | null = null;
  private readonly now: () => number;
  /** Token requests sent, for readiness and tests. */
  requests = 0;

  constructor(private readonly o: TokenManagerOptions) {
    this.now = o.now ?? Date.now;
  }

  /** A usable access token; renews in the background once inside the refresh window. */
  async get(): Promise<string> {
    const t = this.token;
    const now = this.now();
    if (t && now < t.expiresAt - HARD_MARGIN_MS) {
      if (now >= t.expiresAt - this.earlyMs(t)) void this.refresh().catch(() => undefined);
      return t.value;
    }
    return (await this.refresh()).value;
  }

  /** Drops a token Atlas rejected, so the next get() fetches a new one (once, however many callers saw the 401). */
  invalidate(value: string): void {
    if (this.token?.value === value) this.token = null;
  }

  hasValidToken(): boolean {
    return this.token !== null && this.now() < this.token.expiresAt - HARD_MARGIN_MS;
  }

  lastFailure(): AuthError | UpstreamError | null {
    return this.failure?.error ?? null;
  }

  current(): string | null {
    return this.token?.value ?? null;
  }

  private earlyMs(t: Token): number {
    // A short-lived token would otherwise be "early" for its whole life; refresh at half-life at the latest.
    return Math.min(this.o.refreshEarlyMs, (t.expiresAt - t.issuedAt) / 2);
  }

  private refresh(): Promise<Token> {
    if (this.inflight) return this.inflight;
    if (this.failure && this.now() < this.failure.until) return Promise.reject(this.failure.error);
    this.inflight = this.request()
      .then((token) => {
        this.token = token;
        this.failure = null;
        return token;
      })
      .catch((err: unknown) => {
        const error =
          err instanceof AuthError || err instanceof UpstreamError
            ? err
            : new AuthError('unavailable', 'token request failed');
        const pause = Math.min(
          MAX_FAILURE_PAUSE_MS,
          Math.max(
            MIN_FAILURE_PAUSE_MS,
            (this.failure?.pause ?? 0) * 2,
            error instanceof AuthError ? (error.retryAfterMs ?? 0) : 0,
          ),
        );
        this.failure = { error, until: this.now() + pause, pause };
        throw error;
      })
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }

  private async request(): Promise<Token> {
    this.requests++;
    let res;
    try {
      res = await this.o.upstream.send({
        method: 'POST',
        path: '/api/oauth/token',
        headers: {
          authorization: this.basic(),
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
    const issuedAt = this.now();
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
    const parsed = TokenResponse.safeParse(safeJson(res.body));
    if (!parsed.success) throw new AuthError('unavailable', 'Atlas token endpoint returned an unusable token response');
    this.o.logger.addSecret(parsed.data.access_token);
    this.o.logger.debug('oauth token issued', { expiresInSec: parsed.data.expires_in });
    return { value: parsed.data.access_token, issuedAt, expiresAt: issuedAt + parsed.data.expires_in * 1000 };
  }

  /** RFC 6749 section 2.3.1: client id and secret are form-encoded before Basic. */
  private basic(): string {
    return `Basic ${Buffer.from(`${formEncode(this.o.clientId)}:${formEncode(this.o.clientSecret)}`).toString('base64')}`;
  }

  /** Best effort: tell Atlas the token is no longer needed, so it does not count against the 100-token cap. */
  async revoke(): Promise<void> {
    const t = this.token;
    if (!t) return;
    this.token = null;
    await this.o.upstream
      .send(
        {
          method: 'POST',
          path: '/api/oauth/revoke',
          headers: { authorization: this.basic(), 'content-type': 'application/x-www-form-urlencoded' },
          body: `token=${encodeURIComponent(t.value)}&token_type_hint=access_token`,
        },
        AbortSignal.timeout(2_000),
      )
      .catch(() => undefined);
  }
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
