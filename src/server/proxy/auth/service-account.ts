/**
 * Service-account auth: a shared bearer token. On a 401: one fresh token (shared by every request that saw
 * the same 401, the old token revoked), one retry; a second 401, or any 401 inside the back-off interval, stops
 * all calls until the interval passes. Meanwhile requests fail fast with UPSTREAM_AUTH and /readyz says why.
 */
import type { UpstreamRequest, UpstreamResponse } from '../upstream.ts';
import { AuthError, type Authenticator } from './authenticator.ts';
import { TokenManager, type TokenManagerOptions } from './token-manager.ts';

export function createServiceAccountAuth(o: TokenManagerOptions): Authenticator & { tokens: TokenManager } {
  const tokens = new TokenManager(o);
  const attempt = (req: UpstreamRequest, token: string, signal?: AbortSignal) =>
    o.upstream.send({ ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } }, signal);
  const backingOff = (waitMs: number) =>
    `Atlas rejected the service account's access tokens (HTTP 401); backing off, next attempt in ${Math.ceil(waitMs / 1000)} s`;
  return {
    kind: 'serviceAccount',
    identity: `sa:${o.clientId}`,
    tokens,
    async send(req: UpstreamRequest, signal?: AbortSignal): Promise<UpstreamResponse> {
      const wait = tokens.backoff.blockedForMs();
      if (wait > 0) throw new AuthError('rejected', backingOff(wait), wait);
      const token = await tokens.get(signal);
      const first = await attempt(req, token, signal);
      if (first.status !== 401) {
        tokens.backoff.accepted();
        return first;
      }
      const fresh = await tokens.replace(token, signal);
      if (fresh === null) return first;
      const second = await attempt(req, fresh, signal);
      if (second.status === 401) tokens.rejectedAgain(fresh);
      else tokens.backoff.accepted();
      return second;
    },
    async readiness() {
      const wait = tokens.backoff.blockedForMs();
      if (wait > 0) return { ready: false, detail: backingOff(wait) };
      if (tokens.hasValidToken()) return { ready: true, detail: 'token valid' };
      try {
        await tokens.get();
        return { ready: true, detail: 'token obtained' };
      } catch (err) {
        return { ready: false, detail: err instanceof Error ? err.message : 'token unavailable' };
      }
    },
    close: (signal?: AbortSignal) => tokens.revoke(signal),
  };
}
