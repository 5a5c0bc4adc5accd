/**
 * Failed sign-ins per client address: a few typos are free, then each further failure doubles the wait before
 * the next attempt is checked, then the address is locked for a while. A request refused here costs no password
 * check at all. One check per address at a time (waiting in the queue counts), so one client cannot fill the
 * check queue; a check the queue refused (503 SIGN_IN_BUSY) counts as a failure, so a flood that keeps the
 * queue full slows itself down instead of going unnoticed.
 */
import { isIPv6 } from 'node:net';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../logger.ts';

export interface LimiterOptions {
  logger: Logger;
  now?: () => number;
  freeFailures?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  lockAfter?: number;
  lockMs?: number;
  maxInflight?: number;
}

interface Entry {
  failures: number;
  lastFailureAt: number;
  nextAttemptAt: number;
  lockedUntil: number;
  inflight: number;
}

export type Verdict = 'ok' | 'failed' | 'refused' | 'not-checked';

export type Gate = { ok: true } | { ok: false; retryAfterSec: number };

export class SignInLimiter {
  private readonly entries = new LRUCache<string, Entry>({ max: 10_000 });
  private readonly now: () => number;
  private readonly s: Required<Omit<LimiterOptions, 'logger' | 'now'>>;

  constructor(private readonly o: LimiterOptions) {
    this.now = o.now ?? Date.now;
    this.s = {
      freeFailures: o.freeFailures ?? 3,
      baseDelayMs: o.baseDelayMs ?? 1_000,
      maxDelayMs: o.maxDelayMs ?? 30_000,
      lockAfter: o.lockAfter ?? 10,
      lockMs: o.lockMs ?? 15 * 60_000,
      maxInflight: o.maxInflight ?? 1,
    };
  }

  /** Is this address waiting out a back-off or a lock? Checked before anything else, cached verdicts included. */
  gate(address: string): Gate {
    const e = this.entry(address, false);
    const until = e ? Math.max(e.lockedUntil, e.nextAttemptAt) : 0;
    const now = this.now();
    return until > now ? { ok: false, retryAfterSec: Math.ceil((until - now) / 1000) } : { ok: true };
  }

  /** Reserves one of the address's concurrent check slots; false when they are all taken. */
  begin(address: string): boolean {
    const e = this.entry(address, true)!;
    if (e.inflight >= this.s.maxInflight) return false;
    e.inflight++;
    return true;
  }

  /** Recent failures of this address: the rank of its checks in the queue (fewer failures go first). */
  failures(address: string): number {
    return this.entry(address, false)?.failures ?? 0;
  }

  /**
   * Records the verdict of a check started with begin(): `refused` (the queue was full) counts as a failure,
   * `not-checked` (the check itself broke) does not.
   */
  end(address: string, verdict: Verdict): void {
    const e = this.entry(address, true)!;
    e.inflight = Math.max(0, e.inflight - 1);
    this.record(address, verdict);
  }

  /** Records a verdict for an address that did not hold a slot (it shared another request's check). */
  record(address: string, verdict: Verdict): void {
    const e = this.entry(address, true)!;
    if (verdict === 'ok') Object.assign(e, { failures: 0, nextAttemptAt: 0, lockedUntil: 0 });
    if (verdict !== 'failed' && verdict !== 'refused') return;
    const now = this.now();
    e.failures++;
    e.lastFailureAt = now;
    const { freeFailures, baseDelayMs, maxDelayMs, lockAfter, lockMs } = this.s;
    if (e.failures >= lockAfter) {
      e.lockedUntil = now + lockMs;
      this.o.logger.warn('sign-in locked for this address after repeated failures', {
        address,
        failures: e.failures,
        lockSec: Math.round(lockMs / 1000),
      });
      return;
    }
    if (e.failures >= freeFailures)
      e.nextAttemptAt = now + Math.min(maxDelayMs, baseDelayMs * 2 ** (e.failures - freeFailures));
    this.o.logger.warn(verdict === 'refused' ? 'dashboard sign-in refused: checks busy' : 'failed dashboard sign-in', {
      address,
      failures: e.failures,
    });
  }

  private entry(address: string, create: boolean): Entry | undefined {
    let e = this.entries.get(address);
    const now = this.now();
    // A served lock, or a quiet spell as long as one, starts the address afresh.
    const stale =
      e !== undefined &&
      e.inflight === 0 &&
      (e.lockedUntil > 0 ? e.lockedUntil <= now : now - e.lastFailureAt > this.s.lockMs);
    if ((!e || stale) && create) {
      e = { failures: 0, lastFailureAt: now, nextAttemptAt: 0, lockedUntil: 0, inflight: 0 };
      this.entries.set(address, e);
    }
    return stale && !create ? undefined : e;
  }
}

/** The limiter's key for a socket address: IPv4 as is, IPv6 by its /64 (one host usually holds the whole /64). */
export function clientKey(remote: string | undefined): string {
  if (!remote) return 'unknown';
  const a = remote.toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  if (!isIPv6(a)) return a;
  const [head = '', tail = ''] = a.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = a.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
