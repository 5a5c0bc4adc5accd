import { createRng } from './prng.ts';
import { BIG_CLUSTER_ACTIVE, SHARDED_ACTIVE, seedBackups, type BackupContext } from './seed-backups.ts';
import {
  ORG_NAMES,
  PROJECT_PLANS,
  ordinaryClusterName,
  seedBuckets,
  seedCluster,
  seedOrgs,
  seedProject,
} from './seed-projects.ts';
import { seedFleet } from './seed-fleet.ts';
import { seedHistory } from './seed-history.ts';
import { seedLarge } from './seed-large.ts';
import { clusterKey, type ClusterRec, type World } from './model.ts';

export const BIG_CLUSTER_JOBS = 1250;

/**
 * Builds the whole world from a seed. Every random draw comes from one PRNG stream in a fixed order, so the same
 * seed gives the same ids, names and job mix; `start` only shifts timestamps.
 */
export type WorldSize = 'demo' | 'large' | 'history';

export function seedWorld(seed: number, start: number, size: WorldSize = 'demo'): World {
  const rng = createRng(seed);
  const orgs = seedOrgs(rng, start);
  const world: Omit<World, 'landmarks'> = {
    orgs,
    projects: [],
    clustersByGroup: new Map(),
    bucketsByGroup: new Map(),
    snapshotsByCluster: new Map(),
    jobsByCluster: new Map(),
    autoExports: [],
  };
  let landmarks: World['landmarks'] | undefined;
  PROJECT_PLANS.forEach((plan, index) => {
    const org = orgs[plan.org % ORG_NAMES.length]!;
    const project = seedProject(rng, start, org, plan, index);
    world.projects.push(project);
    const buckets = plan.clusters > 0 || plan.landmarks ? seedBuckets(rng, project) : [];
    world.bucketsByGroup.set(project.id, buckets);
    const clusters: ClusterRec[] = [];
    const taken = new Set<string>();
    const add = (cluster: ClusterRec, jobs: number, active: Parameters<typeof seedBackups>[2] = []) => {
      clusters.push(cluster);
      taken.add(cluster.name);
      const ctx: BackupContext = { rng, start, orgId: org.id, cluster, buckets };
      const { snapshots, jobs: list } = seedBackups(ctx, jobs, active);
      world.snapshotsByCluster.set(clusterKey(project.id, cluster.name), snapshots);
      world.jobsByCluster.set(clusterKey(project.id, cluster.name), list);
    };
    if (plan.landmarks) {
      const big = seedCluster(rng, start, project.id, 'orders-prod', { provider: 'AWS' });
      const sharded = seedCluster(rng, start, project.id, 'ledger-sharded', { sharded: true, provider: 'AWS' });
      const noBackup = seedCluster(rng, start, project.id, 'archive-nobackup', { backupEnabled: false });
      const noExports = seedCluster(rng, start, project.id, 'search-noexports');
      add(big, BIG_CLUSTER_JOBS, BIG_CLUSTER_ACTIVE);
      add(sharded, 60, SHARDED_ACTIVE);
      add(noBackup, 0);
      add(noExports, 0);
      world.autoExports.push(
        { cluster: big, orgId: org.id, buckets, periodMs: 10 * 60_000, next: 1 },
        { cluster: sharded, orgId: org.id, buckets, periodMs: 30 * 60_000, next: 1 },
      );
      landmarks = { bigCluster: big, shardedCluster: sharded, noBackupCluster: noBackup, noExportsCluster: noExports };
    }
    for (let i = 0; i < plan.clusters; i++) {
      const cluster = seedCluster(rng, start, project.id, ordinaryClusterName(rng, taken), {
        sharded: rng.chance(0.2),
      });
      add(cluster, rng.int(1, 40));
    }
    world.clustersByGroup.set(project.id, clusters);
  });
  if (!landmarks) throw new Error('no project plan holds the landmark clusters');
  seedFleet(world, seed, start);
  if (size === 'large') seedLarge(world, seed, start);
  if (size === 'history') landmarks = { ...landmarks, hugeCluster: seedHistory(world, seed, start) };
  return { ...world, landmarks };
}

export function worldCounts(world: World): {
  orgs: number;
  projects: number;
  clusters: number;
  jobs: number;
  snapshots: number;
  buckets: number;
} {
  const sum = (m: Map<string, unknown[]>) => [...m.values()].reduce((n, l) => n + l.length, 0);
  return {
    orgs: world.orgs.length,
    projects: world.projects.length,
    clusters: sum(world.clustersByGroup),
    jobs: sum(world.jobsByCluster),
    snapshots: sum(world.snapshotsByCluster),
    buckets: sum(world.bucketsByGroup),
  };
}
