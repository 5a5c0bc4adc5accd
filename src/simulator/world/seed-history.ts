import { createRng } from './prng.ts';
import { BIG_CLUSTER_ACTIVE, seedBackups, type BackupContext } from './seed-backups.ts';
import { idAt, seedBuckets, seedCluster } from './seed-projects.ts';
import { clusterKey, type ClusterRec, type ProjectRec, type World } from './model.ts';

/** The dashboard loads at most this many jobs of one cluster (MAX_HISTORY_JOBS): the deepest history it reads whole. */
export const HUGE_CLUSTER_JOBS = 20_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Older than its oldest export (20,000 hours is about 833 days). */
const AGE_DAYS = 860;

/**
 * `--world history`: the demo world plus one project (`archive-prod`) whose cluster `events-archive` holds
 * 20,000 export jobs, one an hour for about 27 months, a few of them running now. It has no auto-export policy,
 * so it stays at exactly 20,000 (the most the whole-history view loads) and every page is in. Its own PRNG
 * stream: the demo world inside it is exactly the default one.
 */
export function seedHistory(world: Omit<World, 'landmarks'>, seed: number, start: number): ClusterRec {
  const rng = createRng((seed * 69_069 + 0x2e57) >>> 0);
  const org = world.orgs[0];
  if (!org) throw new Error('the history world needs the base world’s organizations');
  const project: ProjectRec = {
    id: idAt(rng, -AGE_DAYS * DAY),
    orgId: org.id,
    name: 'archive-prod',
    created: start - AGE_DAYS * DAY,
    tags: [{ key: 'environment', value: 'production' }],
  };
  world.projects.push(project);
  const buckets = seedBuckets(rng, project);
  world.bucketsByGroup.set(project.id, buckets);
  const cluster: ClusterRec = {
    ...seedCluster(rng, start, project.id, 'events-archive', { provider: 'AWS' }),
    created: start - AGE_DAYS * DAY,
  };
  world.clustersByGroup.set(project.id, [cluster]);
  const ctx: BackupContext = { rng, start, orgId: org.id, cluster, buckets };
  const { snapshots, jobs } = seedBackups(ctx, HUGE_CLUSTER_JOBS, BIG_CLUSTER_ACTIVE, HOUR);
  world.snapshotsByCluster.set(clusterKey(project.id, cluster.name), snapshots);
  world.jobsByCluster.set(clusterKey(project.id, cluster.name), jobs);
  return cluster;
}
