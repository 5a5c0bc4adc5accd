/**
 * The watch's budget: a global token bucket (the ceiling, starting with one token so a cold start never bursts)
 * and a one-minute window per project, narrowed while Atlas says the project's quota is running low.
 */
const MINUTE = 60_000;

class Window {
  times: number[] = [];
  /** 1 normally; lower while Atlas's RateLimit-Remaining is low for this project. */
  factor = 1;
  factorUntil = 0;
  pausedUntil = 0;
  count(now: number): number {
    let i = 0;
    while (i < this.times.length && this.times[i]! <= now - MINUTE) i++;
    if (i > 0) this.times.splice(0, i);
    return this.times.length;
  }
}

export class Pacing {
  private tokens = 1;
  private last: number;
  private readonly projects = new Map<string, Window>();
  /** Every call waits until then (credentials refused, a token storm to stay out of). */
  pausedUntil = 0;
  /** Peak calls within a minute seen for any one project (metrics). */
  peakProjectPerMin = 0;

  constructor(
    private readonly perMinute: number,
    private readonly projectPerMinute: number,
    private readonly now: () => number,
  ) {
    this.last = now();
  }

  private window(groupId: string): Window {
    let w = this.projects.get(groupId);
    if (!w) this.projects.set(groupId, (w = new Window()));
    return w;
  }

  private refill(t: number): void {
    const burst = Math.max(1, Math.min(5, this.perMinute / 60));
    this.tokens = Math.min(burst, this.tokens + ((t - this.last) / MINUTE) * this.perMinute);
    this.last = t;
  }

  /** The project's budget now, narrowed by Atlas's remaining quota. */
  projectLimit(groupId: string, t = this.now()): number {
    const w = this.projects.get(groupId);
    if (!w || w.factorUntil < t) return this.projectPerMinute;
    return Math.max(1, Math.floor(this.projectPerMinute * w.factor));
  }

  /** Milliseconds until a call for this project (or a project-less call) may go; 0 when it may go now. */
  waitMs(groupId: string | undefined): number {
    const t = this.now();
    if (this.pausedUntil > t) return this.pausedUntil - t;
    this.refill(t);
    const globalWait = this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * MINUTE) / this.perMinute);
    if (groupId === undefined) return globalWait;
    const w = this.window(groupId);
    if (w.pausedUntil > t) return Math.max(globalWait, w.pausedUntil - t);
    const used = w.count(t);
    const projectWait = used < this.projectLimit(groupId, t) ? 0 : w.times[0]! + MINUTE - t + 1;
    return Math.max(globalWait, projectWait);
  }

  /** Records a call that is going now (waitMs said 0). */
  take(groupId: string | undefined): void {
    const t = this.now();
    this.refill(t);
    this.tokens -= 1;
    if (groupId === undefined) return;
    const w = this.window(groupId);
    w.times.push(t);
    this.peakProjectPerMin = Math.max(this.peakProjectPerMin, w.count(t));
  }

  /** Atlas's RateLimit-Remaining for a project: below half the limit the budget halves, below a quarter it quarters. */
  remaining(groupId: string, remaining: number, limit: number): void {
    if (!(limit > 0) || !(remaining >= 0)) return;
    const share = remaining / limit;
    const w = this.window(groupId);
    if (share < 0.25) w.factor = 0.25;
    else if (share < 0.5) w.factor = 0.5;
    else return;
    w.factorUntil = this.now() + MINUTE;
  }

  pauseProject(groupId: string, ms: number): void {
    const w = this.window(groupId);
    w.pausedUntil = Math.max(w.pausedUntil, this.now() + ms);
  }

  pauseAll(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  /** The last minute's call times per project (saved across restarts). */
  calls(): Record<string, number[]> {
    const t = this.now();
    const out: Record<string, number[]> = {};
    for (const [id, w] of this.projects) if (w.count(t) > 0) out[id] = [...w.times];
    return out;
  }

  restore(calls: Record<string, number[]>): void {
    for (const [id, times] of Object.entries(calls))
      this.window(id).times = times.filter(Number.isFinite).sort((a, b) => a - b);
  }

  forget(groupId: string): void {
    this.projects.delete(groupId);
  }

  /** Calls in the last minute per project (for the budget-use metric). */
  usage(): Map<string, { used: number; limit: number }> {
    const t = this.now();
    const out = new Map<string, { used: number; limit: number }>();
    for (const [id, w] of this.projects) out.set(id, { used: w.count(t), limit: this.projectLimit(id, t) });
    return out;
  }
}
