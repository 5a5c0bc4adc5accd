/**
 * Request coalescing plus a short TTL cache, so N operators watching one cluster cost Atlas one request per
 * interval. Identical concurrent requests share one in-flight load; the load is aborted only when every waiter
 * has gone (the first caller's disconnect must not fail the others, SECURITY.md F.59). Only what the loader
 * marks cacheable is stored, so failures are never served from cache.
 */
import { LRUCache } from 'lru-cache';

export type CacheStatus = 'HIT' | 'MISS' | 'SHARED';

export interface Cacheable {
  body: Buffer<ArrayBuffer>;
  /** How long this value may be served from cache; 0 = not at all. */
  ttlMs: number;
}

interface Flight<V> {
  promise: Promise<V>;
  controller: AbortController;
  waiters: number;
}

export class CoalescingCache<V extends Cacheable> {
  private readonly lru: LRUCache<string, V>;
  private readonly flights = new Map<string, Flight<V>>();
  /** Loads actually started (each one is at least one upstream exchange), for tests and the bench. */
  loads = 0;

  constructor(options: { maxEntries: number; maxBytes?: number }) {
    this.lru = new LRUCache<string, V>({
      max: options.maxEntries,
      maxSize: options.maxBytes ?? 64 * 1024 * 1024,
      sizeCalculation: (v) => v.body.length + 256,
      ttlAutopurge: false,
    });
  }

  async get(
    key: string,
    load: (signal: AbortSignal) => Promise<V>,
    signal?: AbortSignal,
  ): Promise<{ value: V; status: CacheStatus }> {
    const hit = this.lru.get(key);
    if (hit) return { value: hit, status: 'HIT' };
    // A flight whose every waiter left has been aborted: a newcomer must not inherit its failure.
    const live = this.flights.get(key);
    const existing = live && !live.controller.signal.aborted ? live : undefined;
    const flight = existing ?? this.start(key, load);
    flight.waiters++;
    const leave = () => {
      flight.waiters--;
      if (flight.waiters === 0 && this.flights.get(key) === flight) flight.controller.abort();
    };
    if (signal?.aborted) leave();
    else signal?.addEventListener('abort', leave, { once: true });
    try {
      return { value: await flight.promise, status: existing ? 'SHARED' : 'MISS' };
    } finally {
      signal?.removeEventListener('abort', leave);
    }
  }

  /** Callers currently waiting on in-flight loads (observability, tests). */
  get waiting(): number {
    let n = 0;
    for (const f of this.flights.values()) n += f.waiters;
    return n;
  }

  get size(): number {
    return this.lru.size;
  }

  clear(): void {
    this.lru.clear();
  }

  private start(key: string, load: (signal: AbortSignal) => Promise<V>): Flight<V> {
    const controller = new AbortController();
    this.loads++;
    const promise = load(controller.signal)
      .then((value) => {
        if (value.ttlMs > 0 && !controller.signal.aborted) this.lru.set(key, value, { ttl: value.ttlMs });
        return value;
      })
      .finally(() => {
        if (this.flights.get(key) === flight) this.flights.delete(key);
      });
    const flight: Flight<V> = { promise, controller, waiters: 0 };
    this.flights.set(key, flight);
    return flight;
  }
}
