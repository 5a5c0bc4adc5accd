import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClientGoneError, CoalescingCache, type Cacheable } from './cache.ts';

const value = (text: string): Cacheable => ({ body: Buffer.from(text), ttlMs: 0 });

/** A load that answers after `ms`, or fails a little after its signal fires (as an aborted socket does). */
function slowLoad(text: string, ms: number) {
  return (signal: AbortSignal) =>
    new Promise<Cacheable>((resolve, reject) => {
      const done = setTimeout(() => resolve(value(text)), ms);
      signal.addEventListener('abort', () => {
        clearTimeout(done);
        setTimeout(() => reject(new Error(`${text}: aborted`)), 50);
      });
    });
}

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('CoalescingCache', () => {
  it('a newcomer after an orphan load was aborted starts its own load instead of inheriting the abort', async () => {
    const cache = new CoalescingCache<Cacheable>({ maxEntries: 10 });
    const leaver = new AbortController();
    const first = cache.get('k', slowLoad('first', 60_000), leaver.signal);
    leaver.abort();
    await expect(first).rejects.toBeInstanceOf(ClientGoneError);
    // Past the orphan grace the first load is aborted, but it has not settled yet.
    await vi.advanceTimersByTimeAsync(2_010);
    const second = cache.get('k', slowLoad('second', 100));
    await vi.advanceTimersByTimeAsync(200);
    const got = await second;
    expect(got.status).toBe('MISS');
    expect(got.value.body.toString()).toBe('second');
    expect(cache.loads).toBe(2);
  });

  it('a newcomer within the grace shares the orphan load, which then is not aborted', async () => {
    const cache = new CoalescingCache<Cacheable>({ maxEntries: 10 });
    const leaver = new AbortController();
    const first = cache.get('k', slowLoad('first', 3_000), leaver.signal);
    leaver.abort();
    await expect(first).rejects.toBeInstanceOf(ClientGoneError);
    await vi.advanceTimersByTimeAsync(1_000);
    const second = cache.get('k', slowLoad('second', 100));
    await vi.advanceTimersByTimeAsync(2_100);
    const got = await second;
    expect(got).toMatchObject({ status: 'SHARED' });
    expect(got.value.body.toString()).toBe('first');
    expect(cache.loads).toBe(1);
  });

  it('entries filled together expire at different times, each within its TTL', async () => {
    const cache = new CoalescingCache<Cacheable>({ maxEntries: 100 });
    const keys = Array.from({ length: 50 }, (_, i) => `k${i}`);
    await Promise.all(keys.map((k) => cache.get(k, () => Promise.resolve({ body: Buffer.from(k), ttlMs: 3_000 }))));
    const left = keys.map((k) => cache.remainingTtl(k));
    expect(Math.max(...left)).toBeLessThanOrEqual(3_000);
    expect(Math.min(...left)).toBeGreaterThanOrEqual(2_400 - 50);
    // Spread over the jitter's range (50 draws from 600 ms), not one moment.
    expect(Math.max(...left) - Math.min(...left)).toBeGreaterThan(300);
  });
});
