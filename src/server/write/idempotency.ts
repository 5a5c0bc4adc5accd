/**
 * Client-generated idempotency keys (`Idempotency-Key`): a double click or a network retry with the same key gets
 * the first attempt's answer, and Atlas sees one POST. Keys are per signed-in identity, kept ten minutes, at most
 * `max` at a time (the oldest forgotten first). The same key with a different request is refused, not replayed.
 */
export interface Remembered<T> {
  fingerprint: string;
  result: Promise<T>;
}

export class IdempotencyKeys<T> {
  private readonly entries = new Map<string, Remembered<T> & { expires: number }>();
  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly max = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): Remembered<T> | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  set(key: string, fingerprint: string, result: Promise<T>): void {
    this.entries.delete(key);
    this.entries.set(key, { fingerprint, result, expires: this.now() + this.ttlMs });
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
