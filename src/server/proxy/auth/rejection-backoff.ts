/**
 * When Atlas answers 401 to a bearer token, how soon another token may be requested. Atlas caps a service
 * account's live tokens ("Access Token limit reached"), and a persistent 401 (an IP access-list refusal, a
 * removed role) is not cured by new tokens: minting one per 401 locks out every user of the account for an
 * hour. So: at most one fresh token per interval; a 401 inside it stops all calls until it has passed (they
 * fail fast, with no upstream call), and each consecutive stop doubles the interval up to a cap. The interval
 * returns to its start only after a quiet spell as long as itself, so a flapping upstream cannot reset it.
 */
export const MAX_BACKOFF_MS = 15 * 60_000;

export class RejectionBackoff {
  private interval: number;
  private nextFreshAt = 0;
  private blockedUntil = 0;
  private lastTroubleAt = -Infinity;

  constructor(
    private readonly initialMs: number,
    private readonly now: () => number,
  ) {
    this.interval = initialMs;
  }

  /** Milliseconds until calls may reach Atlas again; 0 when they may. */
  blockedForMs(): number {
    return Math.max(0, this.blockedUntil - this.now());
  }

  /** May a fresh token be requested now, in answer to a 401? */
  mayMint(): boolean {
    return this.now() >= this.nextFreshAt && this.blockedForMs() === 0;
  }

  minted(): void {
    const now = this.now();
    this.nextFreshAt = now + this.interval;
    this.lastTroubleAt = now;
  }

  /** A 401 with no fresh token allowed: stop every call for one interval, and double the next one. */
  block(): number {
    const now = this.now();
    const wait = this.interval;
    this.blockedUntil = now + wait;
    this.lastTroubleAt = now;
    this.interval = Math.min(Math.max(MAX_BACKOFF_MS, this.initialMs), this.interval * 2);
    return wait;
  }

  /** Atlas accepted a token. */
  accepted(): void {
    if (this.now() - this.lastTroubleAt >= this.interval) this.interval = this.initialMs;
  }
}
