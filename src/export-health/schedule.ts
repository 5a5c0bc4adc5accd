import type { BackupSchedule } from '../atlas/types.ts';

const DAY = 86_400_000;

/** What the fleet keeps of a cluster's backup schedule. */
export interface ScheduleDigest {
  autoExportEnabled: boolean;
  /** The official schema allows `monthly` and `yearly` only. */
  frequencyType?: string;
  exportBucketId?: string;
  readAt: number;
}

export function digestSchedule(s: BackupSchedule, now: number): ScheduleDigest {
  const d: ScheduleDigest = { autoExportEnabled: s.autoExportEnabled === true, readAt: now };
  if (s.export?.frequencyType) d.frequencyType = s.export.frequencyType;
  if (s.export?.exportBucketId) d.exportBucketId = s.export.exportBucketId;
  return d;
}

const INTERVALS: Record<string, number> = { monthly: 31 * DAY, yearly: 366 * DAY };

/**
 * How often this cluster is expected to export, from its auto-export policy; undefined when auto-export is off or
 * unknown (then exports come from elsewhere and the fleet's own thresholds apply).
 */
export function expectedExportMs(s: ScheduleDigest | undefined): number | undefined {
  if (!s?.autoExportEnabled || !s.frequencyType) return undefined;
  return INTERVALS[s.frequencyType];
}

/** Stale and very-stale thresholds for a cluster: the fleet's, or one missed export (plus 2 days) and two. */
export function thresholdsFor(
  s: ScheduleDigest | undefined,
  staleMs: number,
  oldMs: number,
): { staleMs: number; oldMs: number } {
  const every = expectedExportMs(s);
  if (every === undefined) return { staleMs, oldMs };
  const stale = Math.max(staleMs, every + 2 * DAY);
  return { staleMs: stale, oldMs: Math.max(oldMs, stale + every) };
}

/** "monthly", "yearly", "off", or undefined while the schedule has not been read. */
export function autoExportLabel(s: ScheduleDigest | undefined): string | undefined {
  if (!s) return undefined;
  return s.autoExportEnabled ? (s.frequencyType ?? 'on') : 'off';
}
