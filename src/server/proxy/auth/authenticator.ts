import type { UpstreamRequest, UpstreamResponse } from '../upstream.ts';

/**
 * Sends one request to Atlas with credentials attached, handling the auth scheme's own round trips
 * (Digest challenge, token refresh on 401). Retries for 5xx live above this, so every retry is re-signed.
 */
export interface Authenticator {
  readonly kind: 'serviceAccount' | 'apiKey';
  /** Non-secret identity, part of the cache key so two credentials never share a cached response. */
  readonly identity: string;
  send(req: UpstreamRequest, signal?: AbortSignal): Promise<UpstreamResponse>;
  /** Can we authenticate upstream? Answers from recent state; calls Atlas at most once per interval. */
  readiness(): Promise<{ ready: boolean; detail: string }>;
  /** Releases upstream credentials (revokes a live token) within `signal`, shutdown's remaining budget. */
  close(signal?: AbortSignal): Promise<void>;
}

/** Credential problems that are not an HTTP response from the API itself (token endpoint, bad challenge). */
export class AuthError extends Error {
  constructor(
    /** `rejected`: Atlas refused the credentials; `unavailable`: the auth step failed for another reason. */
    readonly kind: 'rejected' | 'unavailable',
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}
