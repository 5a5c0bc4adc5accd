/**
 * Simulated time: now = start + real elapsed * speed + manually advanced ms. A function of the wall clock, not a
 * timer, so nothing needs stopping and jobs are computed on read.
 */
export interface SimClock {
  now(): number;
  nowIso(): string;
  advance(ms: number): void;
  /** Back to `start` (the same instant as at creation unless given), with nothing advanced. */
  reset(start?: number): void;
  readonly speed: number;
  readonly start: number;
}

export function createClock(speed: number, start = Date.now(), realNow: () => number = Date.now): SimClock {
  let realStart = realNow();
  let advanced = 0;
  const now = () => Math.floor(start + (realNow() - realStart) * speed + advanced);
  return {
    now,
    nowIso: () => new Date(now()).toISOString(),
    advance(ms: number) {
      if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError('advanceMs must be a finite number >= 0');
      advanced += ms;
    },
    reset(newStart = start) {
      start = newStart;
      realStart = realNow();
      advanced = 0;
    },
    speed,
    get start() {
      return start;
    },
  };
}
