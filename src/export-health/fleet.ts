import type { JobsDigest } from './jobs.ts';
import type { ScheduleDigest } from './schedule.ts';

/** Why the watch has no fresh figures for a cluster or project: Atlas's answer and when it came. */
export interface WatchError {
  status: number;
  /** Plain words for the cell: "No access: needs the Project Backup Manager role". */
  reason: string;
  at: number;
  /** Will probably pass on its own (5xx, timeout, 429); a 403 or 404 will not. */
  transient: boolean;
}

/** One cluster as the watch holds it, and as `GET /api/fleet` sends it (without the id index). */
export interface ClusterHealth {
  orgId: string;
  orgName?: string;
  groupId: string;
  projectName: string;
  /** Absent on a project row standing in for clusters that could not be listed. */
  clusterName?: string;
  clusterType?: string;
  backupEnabled: boolean;
  jobs?: Omit<JobsDigest, 'ids'>;
  schedule?: ScheduleDigest;
  /** When the watch last read this cluster's jobs successfully (epoch ms). */
  checkedAt?: number;
  /** The last check's failure; the figures above are then the last good ones. */
  error?: WatchError;
}

/** Atlas as the watch sees it: answering, rate limiting, or failing since a given time. */
export interface AtlasHealth {
  state: 'ok' | 'failing' | 'rate-limited' | 'credentials';
  since?: number;
  /** The last failing answer's status (0: no HTTP answer at all). */
  status?: number;
  message?: string;
}

export interface WatchProgress {
  /** Every known cluster has been checked once (or refused) since the watch started. */
  firstPassDone: boolean;
  /** A pass has completed before: unchecked clusters now are new ones. */
  passedOnce: boolean;
  checked: number;
  clusters: number;
  projects: number;
  projectsListed: number;
}

/** The body of `GET /api/fleet`. */
export interface FleetSnapshot {
  generatedAt: number;
  startedAt: number;
  /** The watch's cadence, so the browser can tell a late check from a normal wait. */
  intervals: { activeMs: number; idleMs: number };
  atlas: AtlasHealth;
  progress: WatchProgress;
  orgs: { id: string; name: string }[];
  projects: { id: string; name: string; orgId: string; error?: WatchError }[];
  clusters: ClusterHealth[];
}
