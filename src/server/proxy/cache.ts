/**
 * Request coalescing plus a short TTL cache, so N operators watching one cluster cost Atlas one request per
 * interval. Identical concurrent requests share one in-flight load (the first caller's disconnect must not fail
 * the others, SECURITY.md F.59). A waiter who leaves is answered at once (ClientGoneError) but the load goes on,
 * so the answer it was fetching fills the cache for the next viewer; a load nobody waits for is aborted after
 * ORPHAN_GRACE_MS (2 s), so a hung Atlas holds no socket for a viewer who left (C.41). Only what the loader marks
 * cacheable is stored, so failures are never served from cache.
 */
import { LRUCache } from 'lru-cache';

export type CacheStatus = 'HIT' | 'MISS' | 'SHARED';

const ORPHAN_GRACE_MS = 2_000;
/**
 * Each entry lives a random 80-100 % of its TTL, never longer. With one fixed TTL, entries filled together (a page
 * opening, a dashboard's poll, the start of a load) expire together, and every TTL the proxy sent all their calls
 * to Atlas in one burst: measured in the soak, 70 misses within half a second every 3 s, and the burst, not the
 * hits, was the p99 (bench/results: tests/bench/soak.ts). Jittered, the misses spread out within a few TTLs.
 */
const TTL_JITTER = 0.2;

/** The caller's own signal fired: it no longer waits, whatever happens to the load. */
export class ClientGoneError extends Error {
  constructor() {
    super('the client went away');
    this.name = 'ClientGoneError';
  }
}

export interface Cacheable {
  body: Buffer<ArrayBuffer>;
  /** How long this value may be served from cache; 0 = not at all. */
  ttlMs: number;
}

interface Flight<V> {
  promise: Promise<V>;
  controller: AbortController;
  waiters: number;
  orphanTimer?: NodeJS.Timeout;
}

export class CoalescingCache<V extends Cacheable> {
  private readonly lru: LRUCache<string, V>;
  private readonly flights = new Map<string, Flight<V>>();
  /** Loads actually started (each one is at least one upstream exchange), for tests and the bench. */
  loads = 0;

  private readonly random: () => number;

  constructor(options: { maxEntries: number; maxBytes?: number; random?: () => number }) {
    this.random = options.random ?? Math.random;
    this.lru = new LRUCache<string, V>({
      max: options.maxEntries,
      maxSize: options.maxBytes ?? 64 * 1024 * 1024,
      sizeCalculation: (v) => v.body.length + 256,
      ttlAutopurge: false,
    });
  }

  /** A fresh entry, without loading: the cache-hit fast path is this lookup and nothing else. */
  peek(key: string): V | undefined {
    return this.lru.get(key);
  }

  async get(
    key: string,
    load: (signal: AbortSignal) => Promise<V>,
    signal?: AbortSignal,
  ): Promise<{ value: V; status: CacheStatus }> {
    const hit = this.lru.get(key);
    if (hit) return { value: hit, status: 'HIT' };
    // An orphan flight past its grace has been aborted: a newcomer must not inherit its failure.
    const live = this.flights.get(key);
    const existing = live && !live.controller.signal.aborted ? live : undefined;
    const flight = existing ?? this.start(key, load);
    const status: CacheStatus = existing ? 'SHARED' : 'MISS';
    this.join(flight);
    if (!signal) return { value: await flight.promise.finally(() => this.leave(key, flight)), status };
    if (signal.aborted) {
      this.leave(key, flight);
      throw new ClientGoneError();
    }
    return new Promise((resolve, reject) => {
      const gone = () => {
        this.leave(key, flight);
        reject(new ClientGoneError());
      };
      signal.addEventListener('abort', gone, { once: true });
      flight.promise.then(
        (value) => {
          signal.removeEventListener('abort', gone);
          this.leave(key, flight);
          resolve({ value, status });
        },
        (err: unknown) => {
          signal.removeEventListener('abort', gone);
          this.leave(key, flight);
          reject(err);
        },
      );
    });
  }

  private join(flight: Flight<V>): void {
    flight.waiters++;
    clearTimeout(flight.orphanTimer);
    flight.orphanTimer = undefined;
  }

  private leave(key: string, flight: Flight<V>): void {
    flight.waiters--;
    if (flight.waiters > 0 || this.flights.get(key) !== flight) return;
    flight.orphanTimer = setTimeout(() => flight.controller.abort(), ORPHAN_GRACE_MS);
    flight.orphanTimer.unref();
  }

  /** Callers currently waiting on in-flight loads (observability, tests). */
  get waiting(): number {
    let n = 0;
    for (const f of this.flights.values()) n += f.waiters;
    return n;
  }

  /** Milliseconds an entry has left (0 when absent), for tests. */
  remainingTtl(key: string): number {
    return Math.max(0, this.lru.getRemainingTTL(key));
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
        if (value.ttlMs > 0 && !controller.signal.aborted)
          this.lru.set(key, value, { ttl: Math.max(1, Math.round(value.ttlMs * (1 - TTL_JITTER * this.random()))) });
        return value;
      })
      .finally(() => {
        clearTimeout(flight.orphanTimer);
        if (this.flights.get(key) === flight) this.flights.delete(key);
      });
    const flight: Flight<V> = { promise, controller, waiters: 0 };
    this.flights.set(key, flight);
    return flight;
  }
}
