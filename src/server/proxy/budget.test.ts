import { describe, expect, it } from 'vitest';
import { ByteBudget } from './budget.ts';

describe('ByteBudget', () => {
  it('reserves up to its size, refuses beyond, and stays full until bytes come back', () => {
    const b = new ByteBudget(100);
    expect(b.tryReserve(60)).toBe(true);
    expect(b.full).toBe(false);
    expect(b.tryReserve(50)).toBe(false);
    // A refusal marks it full even with room left: new requests wait for a release instead of calling Atlas.
    expect(b.full).toBe(true);
    expect(b.tryReserve(40)).toBe(true);
    b.release(60);
    expect(b.full).toBe(false);
    expect(b.inUse).toBe(40);
    b.release(1000);
    expect(b.inUse).toBe(0);
  });
});
