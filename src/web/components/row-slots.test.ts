import { describe, expect, it } from 'vitest';
import { recycleKeys } from './row-slots.ts';

function counter(from: number) {
  let next = from;
  return () => next++;
}

describe('recycleKeys', () => {
  const first = recycleKeys(new Map(), ['a', 'b', 'c', 'd'], counter(0));

  it('gives a first list fresh keys, in order', () => {
    expect(first.keys).toEqual([0, 1, 2, 3]);
  });

  it('keeps the key of every row still shown, wherever it moved (a search narrowed)', () => {
    const { keys } = recycleKeys(first.byId, ['d', 'b'], counter(4));
    expect(keys).toEqual([3, 1]);
  });

  it('gives a new row the key of one that left, in order, before drawing fresh keys', () => {
    const { keys, byId } = recycleKeys(first.byId, ['b', 'x', 'y', 'd', 'z'], counter(4));
    // a and c left: x takes a's key, y takes c's; z has none left to take.
    expect(keys).toEqual([1, 0, 2, 3, 4]);
    expect(byId).toEqual(
      new Map([
        ['b', 1],
        ['x', 0],
        ['y', 2],
        ['d', 3],
        ['z', 4],
      ]),
    );
  });

  it('updates a whole new page in place: every key taken over by position', () => {
    expect(recycleKeys(first.byId, ['e', 'f', 'g', 'h'], counter(4)).keys).toEqual([0, 1, 2, 3]);
  });

  it('never repeats a key, even for an id shown twice', () => {
    const { keys } = recycleKeys(first.byId, ['a', 'a', 'b'], counter(4));
    expect(new Set(keys).size).toBe(3);
    expect(keys[0]).toBe(0);
  });
});
