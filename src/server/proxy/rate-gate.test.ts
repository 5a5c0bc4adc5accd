import { describe, expect, it } from 'vitest';
import { CoolDown, TokenBucket } from './rate-gate.ts';

describe('CoolDown', () => {
  it('blocks a scope for Retry-After, or 10 s doubling without it; a success resets the doubling', () => {
    let now = 0;
    const c = new CoolDown(10_000, () => now);
    expect(c.block('g1', undefined)).toBe(10_000);
    expect(c.remaining('g1')).toBe(10_000);
    expect(c.remaining('g2')).toBe(0);
    now += 10_000;
    expect(c.block('g1', undefined)).toBe(20_000);
    now += 20_000;
    c.succeeded('g1');
    expect(c.block('g1', undefined)).toBe(10_000);
    expect(c.block('g3', 30_000)).toBe(30_000);
  });
});

describe('TokenBucket', () => {
  it('allows a burst, then refills at the rate', () => {
    let now = 0;
    const b = new TokenBucket(2, 3, () => now);
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
    now += 500;
    expect([b.take(), b.take()]).toEqual([true, false]);
  });
});
