/** Request counters for GET /__sim/stats: every request that reaches the simulator, by operationId. */
export interface SimStats {
  count(operationId: string): void;
  snapshot(tokensIssued: number): {
    requests: { total: number; byOperation: Record<string, number> };
    tokensIssued: number;
  };
  reset(): void;
}

export function createStats(): SimStats {
  let total = 0;
  let byOperation = new Map<string, number>();
  return {
    count(operationId) {
      total++;
      byOperation.set(operationId, (byOperation.get(operationId) ?? 0) + 1);
    },
    snapshot: (tokensIssued) => ({ requests: { total, byOperation: Object.fromEntries(byOperation) }, tokensIssued }),
    reset() {
      total = 0;
      byOperation = new Map();
    },
  };
}
