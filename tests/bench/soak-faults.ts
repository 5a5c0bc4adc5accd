/**
 * The soak's fault schedule: every few seconds one fault on the whole Atlas API (never the token endpoint),
 * active for a moment, then cleared. Each window records when non-2xx answers are the expected outcome.
 */
export interface FaultWindow {
  /** ms since the run started */
  from: number;
  until: number;
}

const FAULTS = [
  { name: '429 Retry-After 2 s', body: { status: 429, retryAfter: 2, times: 100 }, tailMs: 2_500 },
  { name: '500', body: { status: 500, times: 200 }, tailMs: 500 },
  { name: 'reset', body: { kind: 'reset', times: 200 }, tailMs: 500 },
  { name: 'hang (times 3)', body: { kind: 'hang', times: 3 }, tailMs: 500 },
] as const;

export function faultSchedule(simUrl: string, everyMs = 6_000, activeMs = 1_500, firstAtMs = 3_000) {
  const windows: FaultWindow[] = [];
  let n = 0;
  let clearAt = Infinity;
  const call = (method: 'POST' | 'DELETE', body?: unknown) =>
    void fetch(`${simUrl}/__sim/faults`, {
      method,
      ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    }).then((r) => {
      if (!r.ok) throw new Error(`/__sim/faults ${method}: ${r.status}`);
    });
  const tick = (elapsed: number) => {
    if (elapsed >= clearAt) {
      call('DELETE');
      windows.at(-1)!.until = elapsed + FAULTS[(n - 1) % FAULTS.length]!.tailMs;
      clearAt = Infinity;
    }
    if (elapsed >= firstAtMs + n * everyMs) {
      const f = FAULTS[n % FAULTS.length]!;
      call('POST', { match: '/api/atlas/v2/', ...f.body });
      windows.push({ from: elapsed, until: Infinity });
      clearAt = elapsed + activeMs;
      n++;
    }
  };
  return {
    tick,
    windows,
    everyMs,
    activeMs,
    tailMs: Math.max(...FAULTS.map((f) => f.tailMs)),
    kinds: FAULTS.map((f) => f.name),
  };
}
