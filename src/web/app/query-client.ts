import { QueryClient } from '@tanstack/react-query';
import { isAtlasRequestError } from '../lib/api-client.ts';

const MAX_RETRIES = 3;

/**
 * Retry policy: 4xx cannot heal by retrying (credentials, roles, names), nor can an answer of the wrong shape; 429
 * and a 503 with Retry-After wait for it through the refetch interval instead of hammering a shared Atlas quota.
 * Network errors and other 5xx retry with backoff.
 */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isAtlasRequestError(error) && (error.isPermanent || error.coolDownMs !== undefined || error.kind === 'shape'))
    return false;
  return failureCount < MAX_RETRIES;
}

export function retryDelay(attempt: number): number {
  // Full jitter on an exponential base (1 s, 2 s, 4 s ... capped at 15 s).
  const base = Math.min(15_000, 1000 * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: shouldRetry,
        retryDelay,
        // A route's loader starts each query; when its error arrives before the page mounts, mounting must not ask
        // again (a permanent 4xx or a 429 would be sent twice). Navigating back re-runs the loader, which refetches.
        retryOnMount: false,
        staleTime: 5_000,
        refetchIntervalInBackground: false,
      },
    },
  });
}
