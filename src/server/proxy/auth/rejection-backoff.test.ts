import { describe, expect, it } from 'vitest';
import { MAX_BACKOFF_MS, RejectionBackoff } from './rejection-backoff.ts';

/**
 * Drives the policy exactly as service-account.ts does, with one request per second for an hour: a blocked
 * request fails fast; a 401 mints one fresh token if allowed and retries once; a 401 on the retry blocks.
 */
function anHourOf(answer: (second: number, attempt: number) => 200 | 401) {
  let t = 0;
  const b = new RejectionBackoff(30_000, () => t);
  let minted = 0;
  let upstreamCalls = 0;
  const waits: number[] = [];
  for (let s = 0; s < 3600; s++) {
    t = s * 1000;
    if (b.blockedForMs() > 0) continue;
    upstreamCalls++;
    if (answer(s, 0) === 200) {
      b.accepted();
      continue;
    }
    if (!b.mayMint()) {
      waits.push(b.block());
      continue;
    }
    b.minted();
    minted++;
    upstreamCalls++;
    if (answer(s, 1) === 401) waits.push(b.block());
    else b.accepted();
  }
  return { minted, upstreamCalls, waits, blockedForMs: b.blockedForMs() };
}

describe('RejectionBackoff', () => {
  it('a persistent 401 for an hour mints a handful of tokens (30 s doubling to 15 min), not one per request', () => {
    const r = anHourOf(() => 401);
    expect(r.minted).toBeGreaterThanOrEqual(3);
    expect(r.minted).toBeLessThanOrEqual(8);
    expect(r.upstreamCalls).toBeLessThanOrEqual(2 * r.minted);
  });

  it('a flapping upstream (every other answer a 401) cannot reset the interval and mint at will', () => {
    const r = anHourOf((s, attempt) => ((s + attempt) % 2 === 0 ? 401 : 200));
    expect(r.minted).toBeLessThanOrEqual(8);
    // The 200s in between never count as a quiet spell: each stop is twice the one before, up to the cap.
    expect(r.waits.slice(0, 6)).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, MAX_BACKOFF_MS]);
  });

  it('one stray 401 costs one fresh token and no back-off; the interval resets after a quiet spell', () => {
    expect(anHourOf((s, attempt) => (s === 100 && attempt === 0 ? 401 : 200))).toMatchObject({
      minted: 1,
      blockedForMs: 0,
    });
    let t = 0;
    const b = new RejectionBackoff(1_000, () => t);
    b.minted();
    expect(b.block()).toBe(1_000);
    t = 1_000;
    b.minted();
    expect(b.block()).toBe(2_000);
    t = 10_000;
    b.accepted();
    b.minted();
    expect(b.block()).toBe(1_000);
  });
});
