import type { RateLimitSpec } from '../atlas/index.ts';
import type { RateLimitOption } from './options.ts';
import type { SimClock } from './world/clock.ts';

export type RateDecision =
  { ok: true; limit: number; remaining: number } | { ok: false; limit: number; retryAfterSec: number };

export interface RateLimiter {
  take(spec: RateLimitSpec, scopeKey: string): RateDecision | undefined;
  reset(): void;
}

/**
 * Atlas's token buckets: one per (endpoint set, scope key), refilled continuously. Time is the simulated clock,
 * so tests can refill a bucket by advancing it. Returns undefined when rate limiting is off.
 */
/** Scope keys come from request paths (any 24-hex groupId); bound the map against a flood of made-up ones. */
const MAX_BUCKETS = 10_000;

interface Bucket {
  tokens: number;
  at: number;
  capacity: number;
  perMs: number;
}

function forgetFullBuckets(buckets: Map<string, Bucket>, now: number): void {
  // A bucket refilled to capacity is indistinguishable from a new one, so dropping it changes nothing.
  for (const [k, b] of buckets) if (b.tokens + (now - b.at) * b.perMs >= b.capacity) buckets.delete(k);
}

export function createRateLimiter(option: RateLimitOption, clock: SimClock): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const shape = (spec: RateLimitSpec) => {
    const o = typeof option === 'object' ? option : {};
    const scale = o.scale ?? 1;
    return {
      capacity: Math.max(1, Math.round(o.capacity ?? spec.capacity * scale)),
      perMs: Math.max(1e-9, (o.refillPerMinute ?? spec.refillPerMinute * scale) / 60_000),
    };
  };
  return {
    take(spec, scopeKey) {
      if (option === false) return undefined;
      const { capacity, perMs } = shape(spec);
      const key = `${spec.set}|${spec.scope}|${scopeKey}`;
      const now = clock.now();
      if (buckets.size > MAX_BUCKETS && !buckets.has(key)) forgetFullBuckets(buckets, now);
      const b = buckets.get(key) ?? { tokens: capacity, at: now, capacity, perMs };
      b.tokens = Math.min(capacity, b.tokens + (now - b.at) * perMs);
      b.at = now;
      buckets.set(key, b);
      if (b.tokens < 1)
        return { ok: false, limit: capacity, retryAfterSec: Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000)) };
      b.tokens -= 1;
      return { ok: true, limit: capacity, remaining: Math.floor(b.tokens) };
    },
    reset: () => buckets.clear(),
  };
}
