/**
 * Two guards for the shared Atlas quota. `CoolDown`: after a 429, requests in the same rate-limit scope are
 * answered 429 locally until Retry-After has passed (Atlas guidance: without Retry-After wait 10 s, doubling).
 * `TokenBucket`: bounds how fast this proxy sends requests that miss the cache, so an inbound burst is refused
 * here before it burns Atlas's quota.
 */
export class CoolDown {
  private readonly blocked = new Map<string, { until: number; strikes: number; status: 429 | 503 }>();

  constructor(
    private readonly defaultMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxMs = 10 * 60_000,
  ) {}

  /** Remaining cool-down in ms, or 0 when requests may go upstream. */
  remaining(scope: string): number {
    const b = this.blocked.get(scope);
    if (!b) return 0;
    return Math.max(0, b.until - this.now());
  }

  /** The status Atlas answered when the current cool-down began (429 rate limit, 503 unavailable). */
  status(scope: string): 429 | 503 {
    return this.blocked.get(scope)?.status ?? 429;
  }

  /**
   * Records a 429, or a 503 that carried Retry-After (Atlas asking for the same pause); returns the cool-down
   * applied (Retry-After if Atlas gave one).
   */
  block(scope: string, retryAfterMs: number | undefined, status: 429 | 503 = 429): number {
    const prev = this.blocked.get(scope);
    const strikes = (prev?.strikes ?? 0) + 1;
    const ms = Math.min(this.maxMs, retryAfterMs ?? this.defaultMs * 2 ** (strikes - 1));
    this.blocked.set(scope, { until: this.now() + ms, strikes, status });
    if (this.blocked.size > 10_000) this.blocked.delete(this.blocked.keys().next().value as string);
    return ms;
  }

  succeeded(scope: string): void {
    if (this.blocked.has(scope) && this.remaining(scope) === 0) this.blocked.delete(scope);
  }
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSec);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
