/**
 * GET retries above the auth layer, so each attempt is signed anew. Only connection failures and 5xx are
 * retried (never a timeout: it already spent the budget), at most `maxRetries` times, with jittered exponential
 * backoff so many proxies do not retry in lockstep. A Retry-After longer than the remaining budget is honoured
 * by not retrying at all.
 */
import { retryAfterMs, UpstreamError, type UpstreamResponse } from './upstream.ts';

export interface RetryOptions {
  maxRetries: number;
  baseMs: number;
  /** Total time budget for all attempts and pauses. */
  budgetMs: number;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Told before each retry, for the debug log. */
  onRetry?: (reason: string, delayMs: number) => void;
}

const RETRY_STATUSES = new Set([500, 502, 503, 504]);

export async function withRetries(
  attempt: () => Promise<UpstreamResponse>,
  o: RetryOptions,
  signal?: AbortSignal,
): Promise<{ res: UpstreamResponse; attempts: number }> {
  const started = Date.now();
  const random = o.random ?? Math.random;
  const sleep = o.sleep ?? abortableSleep;
  for (let n = 0; ; n++) {
    const last = n >= o.maxRetries;
    let res: UpstreamResponse;
    try {
      res = await attempt();
    } catch (err) {
      const retryable = err instanceof UpstreamError && (err.kind === 'connect' || err.kind === 'network');
      if (last || !retryable || signal?.aborted) throw err;
      const delay = backoff(n, o.baseMs, random);
      o.onRetry?.(err.kind, delay);
      await sleep(delay, signal);
      continue;
    }
    if (last || !RETRY_STATUSES.has(res.status)) return { res, attempts: n + 1 };
    const wait = retryAfterMs(res.headers['retry-after']) ?? backoff(n, o.baseMs, random);
    if (Date.now() - started + wait > o.budgetMs) return { res, attempts: n + 1 };
    o.onRetry?.(`HTTP ${res.status}`, wait);
    await sleep(wait, signal);
  }
}

/** "Equal jitter": half the exponential step fixed, half random, so delays differ run to run but never vanish. */
export function backoff(n: number, baseMs: number, random: () => number): number {
  const step = baseMs * 2 ** n;
  return step / 2 + random() * (step / 2);
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new UpstreamError('aborted', 'request aborted by the client'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
