/** A small seeded PRNG (mulberry32): the whole world derives from one seed, so ids repeat across runs. */
export interface Rng {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  hex(length: number): string;
  /** ObjectId-like 24-hex id: 4-byte timestamp (seconds), then 8 random bytes, as Atlas ids look. */
  objectId(atMs: number): string;
  uuid(): string;
}

export function createRng(seed: number): Rng {
  let a = seed >>> 0 || 0x9e3779b9;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const hex = (length: number) => {
    let s = '';
    while (s.length < length) s += Math.floor(next() * 16).toString(16);
    return s;
  };
  return {
    next,
    int,
    hex,
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T,
    chance: (p: number) => next() < p,
    objectId: (atMs: number) =>
      Math.floor(atMs / 1000)
        .toString(16)
        .padStart(8, '0')
        .slice(-8) + hex(16),
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[int(0, 3)]}${hex(3)}-${hex(12)}`,
  };
}
