/** The watch's cadence and budget (README "The watch"); the server reads them from WATCH_* variables. */
export interface WatchSettings {
  /** A cluster with a job queued or running is checked this often. */
  activeMs: number;
  /** Every other cluster with backup on. Backup-off clusters are never checked. */
  idleMs: number;
  /** Each cluster's backup schedule (auto-export setting). */
  scheduleMs: number;
  /** Organizations, projects and each project's cluster list. */
  discoveryMs: number;
  /** Calls per project per minute (Atlas refills 500 a minute per project, shared with every other client). */
  projectCallsPerMin: number;
  /**
   * Calls per minute over all projects. The watch's calls also pass the proxy's inbound bucket
   * (PROXY_UPSTREAM_RATE_PER_SEC, 20/s = 1,200/min by default): the default leaves viewers half of it.
   */
  maxCallsPerMin: number;
  /** Calls in flight at once. */
  concurrency: number;
}

export const DEFAULT_WATCH_SETTINGS: WatchSettings = {
  activeMs: 20_000,
  idleMs: 300_000,
  scheduleMs: 1_800_000,
  discoveryMs: 300_000,
  projectCallsPerMin: 50,
  maxCallsPerMin: 600,
  concurrency: 6,
};
