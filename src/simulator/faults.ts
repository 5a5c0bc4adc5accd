import { z } from 'zod';

export const faultSchema = z.object({
  match: z.string().min(1).max(300),
  status: z.number().int().min(100).max(599).optional(),
  retryAfter: z.number().int().min(0).max(86_400).optional(),
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  times: z.number().int().min(1).optional(),
  kind: z.enum(['error', 'reset', 'malformed', 'hang', 'body']).optional(),
  /** With kind "body" (implied when given): this JSON is the answer, status `status` or 200, the operation's media type. */
  body: z.json().optional(),
});
export type Fault = z.infer<typeof faultSchema>;

export interface FaultRegistry {
  add(f: Fault): void;
  clear(): void;
  list(): Fault[];
  /**
   * The first fault matching this request; consumes one of its `times`. `target` is the raw path and query, so a
   * fragment can single out one page size (`itemsPerPage=50`) among calls to the same operation.
   */
  take(operationId: string, target: string): Fault | undefined;
}

export function createFaults(): FaultRegistry {
  let faults: { fault: Fault; left: number }[] = [];
  const matches = (f: Fault, operationId: string, target: string) =>
    f.match === '*' || f.match === operationId || target.includes(f.match);
  return {
    add: (fault) => faults.push({ fault, left: fault.times ?? Infinity }),
    clear: () => {
      faults = [];
    },
    list: () => faults.map((f) => f.fault),
    take(operationId, target) {
      const hit = faults.find((f) => f.left > 0 && matches(f.fault, operationId, target));
      if (!hit) return undefined;
      hit.left--;
      if (hit.left <= 0) faults = faults.filter((f) => f !== hit);
      return hit.fault;
    },
  };
}

/** The ApiError errorCode Atlas uses for each status a fault can inject. */
export function faultErrorCode(status: number): string {
  const codes: Record<number, string> = {
    400: 'INVALID_PARAMETER',
    401: 'UNAUTHORIZED',
    403: 'USER_UNAUTHORIZED',
    404: 'RESOURCE_NOT_FOUND',
    409: 'CONFLICT',
    429: 'RATE_LIMITED',
    500: 'UNEXPECTED_ERROR',
    502: 'BAD_GATEWAY',
    503: 'SERVICE_UNAVAILABLE',
    504: 'GATEWAY_TIMEOUT',
  };
  return codes[status] ?? 'UNEXPECTED_ERROR';
}
