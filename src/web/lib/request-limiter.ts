/**
 * A concurrency gate shared by every Atlas read the SPA makes: at most `max` requests in flight, the rest wait
 * in arrival order. After a 429 the gate closes until Retry-After, so a whole fleet of clusters stops asking at
 * once instead of each one finding the limit on its own. A queued task whose signal aborts leaves the queue.
 */
export interface RequestLimiter {
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Starts nothing new for `ms` (requests in flight finish). A longer pause wins over a shorter one. */
  pauseFor(ms: number): void;
  /** Epoch ms until which new requests wait; 0 or past when open. */
  pausedUntil(): number;
  inFlight(): number;
  queued(): number;
}

interface Waiter {
  start: () => void;
  signal: AbortSignal | undefined;
}

export function createRequestLimiter(max: number, now: () => number = Date.now): RequestLimiter {
  let active = 0;
  let pauseEnd = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const queue: Waiter[] = [];

  const pump = () => {
    const wait = pauseEnd - now();
    if (wait > 0) {
      if (timer === undefined) timer = setTimeout(resume, wait);
      return;
    }
    while (active < max && queue.length > 0) {
      const next = queue.shift();
      if (next && !next.signal?.aborted) {
        active++;
        next.start();
      }
    }
  };
  const resume = () => {
    timer = undefined;
    pump();
  };

  return {
    run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const waiter: Waiter = {
          signal,
          start: () => {
            signal?.removeEventListener('abort', onAbort);
            // The slot is free before the caller resumes, so its next request can take it at once.
            const settle = (finish: () => void) => {
              active--;
              pump();
              finish();
            };
            task().then(
              (value) => settle(() => resolve(value)),
              (err: unknown) => settle(() => reject(err)),
            );
          },
        };
        const onAbort = () => {
          const i = queue.indexOf(waiter);
          if (i >= 0) queue.splice(i, 1);
          reject(signal?.reason ?? new DOMException('Aborted', 'AbortError'));
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(waiter);
        pump();
      });
    },
    pauseFor(ms) {
      const end = now() + ms;
      if (end <= pauseEnd) return;
      pauseEnd = end;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      pump();
    },
    pausedUntil: () => pauseEnd,
    inFlight: () => active,
    queued: () => queue.length,
  };
}

/** Atlas reads from this tab, all views together: the fleet's ~50 clusters never put more than 4 on the wire. */
export const MAX_ATLAS_REQUESTS_IN_FLIGHT = 4;
export const atlasRequests = createRequestLimiter(MAX_ATLAS_REQUESTS_IN_FLIGHT);
