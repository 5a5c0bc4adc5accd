import type { BackupSchedule } from '../../atlas/index.ts';
import type { BucketRec, ClusterRec } from './model.ts';

/** A stable 24-hex id derived from a cluster's id (schedules carry policy ids; no PRNG draw, so seeds stay put). */
const derivedId = (id: string, n: number) => id.slice(0, 16) + (0xa0000000 + n).toString(16);

/** Atlas's default snapshot policy (hourly, daily, weekly, monthly items), the reference hour from the cluster. */
const SIX_HOURS = 6 * 3_600_000;

export function scheduleView(c: ClusterRec, buckets: readonly BucketRec[], now: number, base: string): BackupSchedule {
  const hour = parseInt(c.id.slice(-2), 16) % 24;
  const item = (n: number, frequencyType: 'hourly' | 'daily' | 'weekly' | 'monthly', interval: number) => ({
    id: derivedId(c.id, n),
    frequencyType,
    frequencyInterval: interval as 1,
    retentionUnit: frequencyType === 'monthly' ? ('months' as const) : ('days' as const),
    retentionValue:
      frequencyType === 'hourly' ? 2 : frequencyType === 'daily' ? 7 : frequencyType === 'weekly' ? 28 : 12,
  });
  const bucket = buckets[0];
  return {
    autoExportEnabled: c.autoExport !== undefined && bucket !== undefined,
    ...(c.autoExport && bucket ? { export: { exportBucketId: bucket.id, frequencyType: c.autoExport } } : {}),
    clusterId: c.id,
    clusterName: c.name,
    copySettings: [],
    extraRetentionSettings: [],
    nextSnapshot: new Date((Math.floor(now / SIX_HOURS) + 1) * SIX_HOURS).toISOString().slice(0, 19) + 'Z',
    policies: [
      {
        id: derivedId(c.id, 0),
        policyItems: [item(1, 'hourly', 6), item(2, 'daily', 1), item(3, 'weekly', 6), item(4, 'monthly', 40)],
      },
    ],
    referenceHourOfDay: hour,
    referenceMinuteOfHour: 0,
    restoreWindowDays: c.sharded ? 0 : 7,
    useOrgAndGroupNamesInExportPrefix: false,
    links: [{ href: `${base}/groups/${c.groupId}/clusters/${c.name}/backup/schedule`, rel: 'self' }],
  };
}
