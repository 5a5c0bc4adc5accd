/** Service-account auth: a shared bearer token; on a 401, invalidate, refresh once, retry once, then give up. */
import type { UpstreamRequest, UpstreamResponse } from '../upstream.ts';
import type { Authenticator } from './authenticator.ts';
import { TokenManager, type TokenManagerOptions } from './token-manager.ts';

export function createServiceAccountAuth(o: TokenManagerOptions): Authenticator & { tokens: TokenManager } {
  const tokens = new TokenManager(o);
  const attempt = async (req: UpstreamRequest, signal?: AbortSignal) => {
    const token = await tokens.get();
    const res = await o.upstream.send(
      { ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } },
      signal,
    );
    return { token, res };
  };
  return {
    kind: 'serviceAccount',
    identity: `sa:${o.clientId}`,
    tokens,
    async send(req: UpstreamRequest, signal?: AbortSignal): Promise<UpstreamResponse> {
      const first = await attempt(req, signal);
      if (first.res.status !== 401) return first.res;
      // The token may have been revoked or expired early; a second 401 means the account itself is refused.
      tokens.invalidate(first.token);
      o.logger.info('atlas rejected the bearer token; refreshing once');
      return (await attempt(req, signal)).res;
    },
    async readiness() {
      if (tokens.hasValidToken()) return { ready: true, detail: 'token valid' };
      try {
        await tokens.get();
        return { ready: true, detail: 'token obtained' };
      } catch (err) {
        return { ready: false, detail: err instanceof Error ? err.message : 'token unavailable' };
      }
    },
    close: () => tokens.revoke(),
  };
}
