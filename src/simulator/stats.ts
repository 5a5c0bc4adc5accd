/**
 * Request counters for GET /__sim/stats: every request that reaches the simulator, by operationId, and how many
 * were being answered at once (`inFlight` now, `inFlightMax` since the last reset), so a test can check a
 * client's concurrency bound where it matters: at Atlas.
 */
export interface SimStats {
  count(operationId: string): void;
  /** Call when a request arrives; call the returned function once it has been answered. */
  begin(): () => void;
  snapshot(tokensIssued: number): {
    requests: { total: number; byOperation: Record<string, number>; inFlight: number; inFlightMax: number };
    tokensIssued: number;
  };
  reset(): void;
}

export function createStats(): SimStats {
  let total = 0;
  let byOperation = new Map<string, number>();
  let inFlight = 0;
  let inFlightMax = 0;
  return {
    begin() {
      inFlight++;
      inFlightMax = Math.max(inFlightMax, inFlight);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        inFlight--;
      };
    },
    count(operationId) {
      total++;
      byOperation.set(operationId, (byOperation.get(operationId) ?? 0) + 1);
    },
    snapshot: (tokensIssued) => ({
      requests: { total, byOperation: Object.fromEntries(byOperation), inFlight, inFlightMax },
      tokensIssued,
    }),
    reset() {
      total = 0;
      // Requests still being answered stay counted in `inFlight`; the peak restarts from them.
      inFlightMax = inFlight;
      byOperation = new Map();
    },
  };
}
