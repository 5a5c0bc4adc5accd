import { useQueryClient, type Query } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { isAtlasRequestError } from '../lib/api-client.ts';

/** How often a page refused for its credentials asks the server whether it is ready again. */
export const READINESS_CHECK_MS = 15_000;

/** Atlas refused the server's credentials (or the proxy is backing off after such a refusal). */
export function isCredentialsError(error: unknown): boolean {
  return isAtlasRequestError(error) && (error.status === 401 || error.errorCode === 'UPSTREAM_AUTH');
}

const refused = (q: Query) => isCredentialsError(q.state.error);

/**
 * A credentials error stops a query's own refreshing (each retry would make the proxy ask Atlas for another token),
 * but never for good: while any query on screen is refused, the server's `/readyz` is asked every 15 s (it answers
 * from the authenticator's state, spending no Atlas quota while the proxy backs off), and once it says ready the
 * refused queries fetch again. A wall screen recovers from a credentials spell without a reload.
 */
export function CredentialRecovery() {
  const client = useQueryClient();
  const cache = client.getQueryCache();
  const anyRefused = useSyncExternalStore(
    (onChange) => cache.subscribe(onChange),
    () => cache.getAll().some((q) => refused(q) && q.getObserversCount() > 0),
  );
  useEffect(() => {
    if (!anyRefused) return;
    const controller = new AbortController();
    const check = async () => {
      try {
        const res = await fetch('/readyz', { signal: controller.signal, credentials: 'same-origin' });
        if (res.ok) await client.refetchQueries({ type: 'active', predicate: refused });
      } catch {
        // Not reachable, or this effect ended: the next check tries again.
      }
    };
    const timer = setInterval(() => void check(), READINESS_CHECK_MS);
    return () => {
      clearInterval(timer);
      controller.abort();
    };
  }, [anyRefused, client]);
  return null;
}
