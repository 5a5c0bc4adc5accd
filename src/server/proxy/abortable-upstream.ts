/**
 * Shutdown's hold on every call to Atlas. The grace period bounds how long requests in flight may run; a call
 * that outlives it (a token request to a hanging endpoint, an API call, a retry) is aborted at that moment, so
 * the process exits on time. Calls started afterwards (the final token revocation) run on their own budget.
 */
import type { Upstream } from './upstream.ts';

export interface AbortableUpstream extends Upstream {
  /** Aborts every call in flight now. */
  abortInFlight(): void;
}

export function abortableUpstream(base: Upstream): AbortableUpstream {
  const inflight = new Set<AbortController>();
  const abortInFlight = () => {
    for (const c of inflight) c.abort();
  };
  return {
    origin: base.origin,
    budget: base.budget,
    async send(req, signal) {
      const controller = new AbortController();
      const relay = () => controller.abort();
      if (signal?.aborted) controller.abort();
      else signal?.addEventListener('abort', relay, { once: true });
      inflight.add(controller);
      try {
        return await base.send(req, controller.signal);
      } finally {
        inflight.delete(controller);
        signal?.removeEventListener('abort', relay);
      }
    },
    abortInFlight,
    async close() {
      abortInFlight();
      await base.close();
    },
  };
}
