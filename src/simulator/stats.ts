/**
 * Request counters for GET /__sim/stats: every request that reaches the simulator, by operationId, and how many
 * were being answered at once (`inFlight` now, `inFlightMax` since the last reset), so a test can check a
 * client's concurrency bound where it matters: at Atlas.
 */
export interface SimStats {
  /** `groupId`: the project a request addresses (Atlas's per-project rate-limit scope), when it has one. */
  count(operationId: string, groupId?: string): void;
  /** Call when a request arrives; call the returned function once it has been answered. */
  begin(): () => void;
  snapshot(tokensIssued: number): {
    requests: {
      total: number;
      byOperation: Record<string, number>;
      inFlight: number;
      inFlightMax: number;
      /** Per project: requests since the last reset, and the most seen within any 60 s of real time. */
      byProject: Record<string, { total: number; maxPerMinute: number }>;
    };
    tokensIssued: number;
  };
  reset(): void;
}

/** Requests of one project: a window of the last minute's arrival times (real time), and its peak size. */
class ProjectCount {
  total = 0;
  maxPerMinute = 0;
  private times: number[] = [];
  private head = 0;
  add(at: number): void {
    this.total++;
    this.times.push(at);
    while (this.times[this.head]! <= at - 60_000) this.head++;
    if (this.head > 1024) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    this.maxPerMinute = Math.max(this.maxPerMinute, this.times.length - this.head);
  }
}

export function createStats(now: () => number = Date.now): SimStats {
  let byProject = new Map<string, ProjectCount>();
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
    count(operationId, groupId) {
      total++;
      if (groupId !== undefined) {
        let p = byProject.get(groupId);
        if (!p) byProject.set(groupId, (p = new ProjectCount()));
        p.add(now());
      }
      byOperation.set(operationId, (byOperation.get(operationId) ?? 0) + 1);
    },
    snapshot: (tokensIssued) => ({
      requests: {
        total,
        byOperation: Object.fromEntries(byOperation),
        inFlight,
        inFlightMax,
        byProject: Object.fromEntries(
          [...byProject].map(([id, p]) => [id, { total: p.total, maxPerMinute: p.maxPerMinute }]),
        ),
      },
      tokensIssued,
    }),
    reset() {
      total = 0;
      // Requests still being answered stay counted in `inFlight`; the peak restarts from them.
      inFlightMax = inFlight;
      byOperation = new Map();
      byProject = new Map();
    },
  };
}
