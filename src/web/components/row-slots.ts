import { useState } from 'react';

/**
 * React keys for a list of rows, by what each row shows rather than where: a row still shown keeps its key (React
 * leaves it alone, or only moves it), a new row takes over the key of one that left (its DOM is updated in place
 * rather than built anew, as on a page change), and only then is a fresh key drawn. A keystroke that narrows a
 * search then touches only the rows that changed; a page change updates every row in place, as position keys did.
 */
export function recycleKeys(
  previous: ReadonlyMap<string, number>,
  ids: readonly string[],
  fresh: () => number,
): { keys: number[]; byId: Map<string, number> } {
  const keys: (number | undefined)[] = new Array<number | undefined>(ids.length);
  const byId = new Map<string, number>();
  const kept = new Set<number>();
  ids.forEach((id, i) => {
    const key = previous.get(id);
    // An id shown twice (Atlas should never send one) keeps its key once; the other copy gets a key of its own.
    if (key === undefined || byId.has(id)) return;
    keys[i] = key;
    byId.set(id, key);
    kept.add(key);
  });
  // Keys of rows that left, in their old order: the first new row takes the first of them, and so on.
  const free = [...previous.values()].filter((k) => !kept.has(k));
  let next = 0;
  const out = ids.map((id, i) => {
    let key = keys[i];
    if (key === undefined) {
      key = next < free.length ? free[next++]! : fresh();
      if (!byId.has(id)) byId.set(id, key);
    }
    return key;
  });
  return { keys: out, byId };
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

interface Slots {
  ids: readonly string[];
  keys: number[];
  byId: ReadonlyMap<string, number>;
  /** The next fresh key: every key ever given out is unique. */
  next: number;
}

/** `recycleKeys` across renders: keys follow the ids the previous render showed (state derived while rendering). */
export function useRecycledKeys(ids: readonly string[]): number[] {
  const [slots, setSlots] = useState<Slots>({ ids: [], keys: [], byId: new Map(), next: 0 });
  if (sameIds(slots.ids, ids)) return slots.keys;
  let next = slots.next;
  const { keys, byId } = recycleKeys(slots.byId, ids, () => next++);
  setSlots({ ids, keys, byId, next });
  return keys;
}
