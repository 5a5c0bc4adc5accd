import type { SimState } from './state.ts';
import { jobAt } from './world/lifecycle.ts';
import { clusterJobs } from './world/lookup.ts';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const MONTH = 30 * 86_400_000;

/**
 * What the simulator itself holds about every cluster, for tests that check the fleet view against it without
 * going through the dashboard's code: job count, live jobs, the newest success and the last 30 days' failures.
 */
export function fleetSummary(sim: SimState, now: number) {
  const { world } = sim;
  return world.projects.flatMap((p) =>
    (world.clustersByGroup.get(p.id) ?? []).map((c) => {
      const jobs = clusterJobs(world, c).map((j) => ({ job: j, at: jobAt(j, now) }));
      const success = jobs.find((x) => x.at.state === 'Successful');
      return {
        groupId: p.id,
        project: p.name,
        orgId: p.orgId,
        name: c.name,
        access: p.access ?? 'full',
        backupEnabled: c.backupEnabled,
        autoExport: c.autoExport ?? null,
        jobs: jobs.length,
        inProgress: jobs.filter((x) => x.at.state === 'InProgress').length,
        queued: jobs.filter((x) => x.at.state === 'Queued').length,
        lastSuccess: success
          ? { id: success.job.id, createdAt: iso(success.job.createdAt), finishedAt: iso(success.at.finishedAt) }
          : undefined,
        failures: jobs
          .filter((x) => x.at.state === 'Failed' && x.job.createdAt >= now - MONTH)
          .map((x) => ({
            id: x.job.id,
            createdAt: iso(x.job.createdAt),
            finishedAt: iso(x.at.finishedAt),
            snapshotId: x.job.snapshotId,
            message: x.job.failure?.message,
          })),
      };
    }),
  );
}
