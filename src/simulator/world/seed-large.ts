import { createRng } from './prng.ts';
import { jobFrom, snapshotAt, type ActivePlan, type BackupContext } from './seed-backups.ts';
import { idAt, seedBuckets, seedCluster, seedProject } from './seed-projects.ts';
import { clusterKey, type JobRec, type OrgRec, type SnapshotRec, type World } from './model.ts';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Atlas's default limits: 250 projects per organization... spread here over five, 25 clusters each. */
export const LARGE_PROJECTS = 250;
export const LARGE_CLUSTERS_PER_PROJECT = 25;
const LARGE_ORGS = ['Umbrella-Retail', 'Hooli-Cloud', 'Soylent-Foods', 'Vandelay-Import', 'Wonka-Industries'];
const TEAMS = ['orders', 'billing', 'search', 'fraud', 'ledger', 'events', 'catalog', 'identity', 'ml', 'ops'];

/**
 * `--world large`: the demo world plus 250 projects of 25 clusters (6,250) across five organizations, so the
 * watch can be measured at Atlas's default fleet size. Most clusters export daily (a job runner starts one a day
 * at its own hour), some auto-export monthly or yearly, a few have backup off; about one export in 20 fails, a
 * few clusters have stopped exporting. New jobs keep coming, progressing and failing as the simulated clock runs.
 * Its own PRNG stream: the demo world inside it is exactly the default one.
 */
export function seedLarge(world: Omit<World, 'landmarks'>, seed: number, start: number): void {
  const rng = createRng((seed * 40_503 + 0x1a7e) >>> 0);
  const orgs: OrgRec[] = LARGE_ORGS.map((name, i) => ({
    id: idAt(rng, -(800 - i) * DAY),
    name,
    created: start - (800 - i) * DAY,
  }));
  world.orgs.push(...orgs);
  for (let p = 0; p < LARGE_PROJECTS; p++) {
    const org = orgs[p % orgs.length]!;
    const team = TEAMS[p % TEAMS.length]!;
    const plan = { org: 0, name: `${team}-${String(p).padStart(3, '0')}`, clusters: 0, landmarks: false };
    const project = seedProject(rng, start, org, plan, world.projects.length);
    world.projects.push(project);
    const buckets = seedBuckets(rng, project);
    world.bucketsByGroup.set(project.id, buckets);
    const clusters = [];
    for (let c = 0; c < LARGE_CLUSTERS_PER_PROJECT; c++) {
      const roll = rng.next();
      const cluster = seedCluster(rng, start, project.id, `${team}-db${String(c).padStart(2, '0')}`, {
        sharded: rng.chance(0.1),
        backupEnabled: roll >= 0.04,
      });
      const cadence = roll < 0.04 ? 'off' : roll < 0.16 ? 'monthly' : roll < 0.2 ? 'yearly' : 'daily';
      if (cadence === 'monthly' || cadence === 'yearly') cluster.autoExport = cadence;
      clusters.push(cluster);
      const key = clusterKey(project.id, cluster.name);
      if (cadence === 'off') {
        world.jobsByCluster.set(key, []);
        world.snapshotsByCluster.set(key, []);
        continue;
      }
      const ctx: BackupContext = { rng, start, orgId: org.id, cluster, buckets };
      const periodMs = cadence === 'daily' ? DAY : cadence === 'monthly' ? 30 * DAY : 365 * DAY;
      const phaseMs = rng.int(0, Math.floor(periodMs / MIN) - 1) * MIN;
      // A few daily clusters stopped exporting days ago: stale rows to find among thousands.
      const stopped = cadence === 'daily' && rng.chance(0.02);
      const count = cadence === 'daily' ? 10 : cadence === 'monthly' ? 4 : 2;
      const jobs: JobRec[] = [];
      const snapshots: SnapshotRec[] = [];
      for (let i = 0; i < count; i++) {
        const ageMs = phaseMs + i * periodMs + (stopped ? 3 * DAY : 0);
        const plan: ActivePlan = {
          ageMs,
          queueMs: rng.int(20, 120) * SEC,
          total: rng.int(10, 120),
          perCollectionMs: rng.int(2, 8) * SEC,
          outcome: rng.chance(0.05) ? 'Failed' : 'Successful',
          stopFraction: rng.next(),
        };
        const snapshot = snapshotAt(ctx, ageMs + rng.int(1, 30) * MIN);
        snapshots.push(snapshot);
        jobs.push(jobFrom(ctx, plan, snapshot));
      }
      world.jobsByCluster.set(key, jobs);
      world.snapshotsByCluster.set(key, snapshots);
      // Export k (k >= 1) starts at start + k * period - (period - phase): the next one is due `period - phase` on.
      if (!stopped)
        world.autoExports.push({ cluster, orgId: org.id, buckets, periodMs, phaseMs: periodMs - phaseMs, next: 1 });
    }
    world.clustersByGroup.set(project.id, clusters);
  }
}
