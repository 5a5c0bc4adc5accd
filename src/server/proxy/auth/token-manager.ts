/**
 * OAuth 2.0 client-credentials tokens for an Atlas service account. One token is shared by every request;
 * at most one token request is in flight; the token is renewed before it expires; a failure is never stored as
 * a token, but after one the next attempt waits a short, doubling pause so a broken secret cannot hammer the
 * token endpoint. A token Atlas rejects is replaced at most once per back-off interval (RejectionBackoff) and
 * revoked, since Atlas caps a service account at 100 live tokens.
 */
import type { Logger } from '../../logger.ts';
import { UpstreamError, type Upstream } from '../upstream.ts';
import { AuthError } from './authenticator.ts';
import { requestToken, revokeToken, type Token } from './oauth-endpoints.ts';
import { RejectionBackoff } from './rejection-backoff.ts';

export interface TokenManagerOptions {
  upstream: Upstream;
  clientId: string;
  clientSecret: string;
  logger: Logger;
  refreshEarlyMs: number;
  /** First back-off after Atlas rejects a fresh token (PROXY_TOKEN_BACKOFF_MS); doubles up to 15 min. */
  backoffMs: number;
  now?: () => number;
}

const MIN_FAILURE_PAUSE_MS = 500;
const MAX_FAILURE_PAUSE_MS = 30_000;
/** Below this much remaining life a token is not used at all: it could expire in flight. */
const HARD_MARGIN_MS = 5_000;
const REVOKE_TIMEOUT_MS = 5_000;

export class TokenManager {
  private token: Token | null = null;
  private inflight: Promise<Token> | null = null;
  private failure: { error: AuthError | UpstreamError; until: number; pause: number } | null = null;
  private replacing: { old: string; next: Promise<string> } | null = null;
  private readonly revocations = new Set<Promise<void>>();
  private readonly now: () => number;
  readonly backoff: RejectionBackoff;
  /** Token requests sent, for readiness and tests. */
  requests = 0;

  constructor(private readonly o: TokenManagerOptions) {
    this.now = o.now ?? Date.now;
    this.backoff = new RejectionBackoff(o.backoffMs, this.now);
  }

  /** A usable access token; renews in the background once inside the refresh window. */
  async get(signal?: AbortSignal): Promise<string> {
    const t = this.token;
    const now = this.now();
    if (t && now < t.expiresAt - HARD_MARGIN_MS) {
      if (now >= t.expiresAt - this.earlyMs(t)) void this.refresh().catch(() => undefined);
      return t.value;
    }
    return (await abortable(this.refresh(), signal)).value;
  }

  /**
   * Atlas answered 401 to `old`. Returns the token to retry with (one fresh token, shared by every caller that
   * saw the same 401, the old one revoked), or null when the back-off forbids a new one: the caller gives up.
   */
  async replace(old: string, signal?: AbortSignal): Promise<string | null> {
    if (this.replacing?.old === old) return abortable(this.replacing.next, signal);
    if (this.backoff.blockedForMs() > 0) return null;
    if (this.token && this.token.value !== old) return this.token.value;
    if (!this.backoff.mayMint()) {
      this.block();
      return null;
    }
    this.backoff.minted();
    this.token = null;
    this.o.logger.info('atlas rejected the bearer token; requesting a new one and revoking the old');
    const next = this.refresh().then((t) => {
      this.revokeLater(old);
      return t.value;
    });
    this.replacing = { old, next };
    void next.catch(() => undefined).finally(() => (this.replacing = null));
    return abortable(next, signal);
  }

  /** Atlas rejected the token we just retried with: stop calling it until the back-off passes. */
  rejectedAgain(value: string): void {
    if (this.token?.value === value && this.backoff.blockedForMs() === 0) this.block();
  }

  private block(): void {
    const waitMs = this.backoff.block();
    this.o.logger.warn('atlas keeps rejecting the service account token; backing off before requesting another', {
      retryInSec: Math.ceil(waitMs / 1000),
    });
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

  private request(): Promise<Token> {
    this.requests++;
    return requestToken(this.o, this.now);
  }

  /** Revokes the live token and waits for pending revocations, within `signal` (shutdown's budget). */
  async revoke(signal?: AbortSignal): Promise<void> {
    const t = this.token;
    this.token = null;
    if (t) this.revokeLater(t.value, signal);
    await Promise.all(this.revocations);
  }

  /** Best effort: tell Atlas a token is no longer needed, so it does not count against the 100-token cap. */
  private revokeLater(value: string, signal?: AbortSignal): void {
    const timeout = AbortSignal.timeout(REVOKE_TIMEOUT_MS);
    const done = revokeToken(this.o, value, signal ? AbortSignal.any([signal, timeout]) : timeout)
      .then((res) => {
        if (res.status !== 200) this.o.logger.warn('atlas refused to revoke a token', { status: res.status });
      })
      .catch(() => this.o.logger.warn('could not revoke a replaced token (Atlas unreachable)'))
      .finally(() => this.revocations.delete(done));
    this.revocations.add(done);
  }
}

/** Waits for a shared promise, but lets one caller stop waiting (its request was cancelled). */
function abortable<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new UpstreamError('aborted', 'request aborted by the client'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new UpstreamError('aborted', 'request aborted by the client'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
