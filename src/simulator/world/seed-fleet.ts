import { createRng, type Rng } from './prng.ts';
import { jobFrom, snapshotAt, type ActivePlan, type BackupContext } from './seed-backups.ts';
import { idAt, seedBuckets, seedCluster, seedProject } from './seed-projects.ts';
import { clusterKey, type JobRec, type OrgRec, type ProjectRec, type SnapshotRec, type World } from './model.ts';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** A cluster whose export history is written out, so the fleet view has known stale, failing and running rows. */
interface ClusterDesign {
  name: string;
  backupEnabled?: boolean;
  sharded?: boolean;
  /** Regular successful exports: the newest `newestH` hours ago, then one every `everyH` hours, `count` in all. */
  newestH?: number;
  everyH?: number;
  count?: number;
  /** Ages (hours) of exports that failed, spread over the last 30 days. */
  failedH?: number[];
  /** Exports live now: age in minutes, collections, seconds per collection; `queueMin` keeps one Queued. */
  live?: { ageMin: number; total: number; perCollectionSec: number; queueMin?: number }[];
  /** An auto-export policy in the backup schedule (its exports then come at that cadence). */
  autoExport?: 'monthly' | 'yearly';
}

interface ProjectDesign {
  /** An org created here, or the index of one of the base world's orgs. */
  org: string | number;
  name: string;
  access?: ProjectRec['access'];
  clusters: ClusterDesign[];
}

const healthy = (name: string, newestH: number): ClusterDesign => ({ name, newestH, everyH: 24, count: 20 });

/**
 * The fleet added beside the base world: a third organization, projects the credentials cannot read (no role at
 * all; Read Only without Backup Manager), and clusters that are stale (> 26 h, > 8 d), failing in the last day or
 * week, running, backup off, or never exported. Ages are fixed so tests and screenshots can name them.
 */
const FLEET: ProjectDesign[] = [
  {
    org: 'Initech-Logistics',
    name: 'logistics-prod',
    clusters: [
      { name: 'routing-prod', newestH: 14, everyH: 24, count: 30, failedH: [3, 9, 150, 400] },
      { name: 'tracking-db', newestH: 32, everyH: 24, count: 20, failedH: [100] },
      { name: 'warehouse-db', newestH: 240, everyH: 24, count: 15, failedH: [50, 120, 500] },
      {
        name: 'dispatch-rs',
        newestH: 6,
        everyH: 12,
        count: 40,
        failedH: [30, 600],
        live: [{ ageMin: 40, total: 2400, perCollectionSec: 6 }],
      },
      { name: 'telemetry-cold', backupEnabled: false },
      { name: 'manifests-db', count: 0 },
    ],
  },
  {
    org: 'Initech-Logistics',
    name: 'logistics-dr',
    access: 'none',
    clusters: [healthy('dr-routing', 8), healthy('dr-tracking', 10), healthy('dr-warehouse', 12)],
  },
  {
    org: 1,
    name: 'ml-platform',
    access: 'readOnly',
    clusters: [healthy('feature-store', 4), healthy('training-runs', 7), { name: 'model-registry', sharded: true }],
  },
  {
    org: 1,
    name: 'ops-tools',
    clusters: [
      { name: 'grafana-meta', newestH: 5, everyH: 24, count: 30, failedH: [20, 180, 330, 610] },
      { name: 'audit-log', newestH: 215, everyH: 72, count: 8 },
      {
        name: 'pager-rs',
        newestH: 2,
        everyH: 6,
        count: 60,
        failedH: [40, 460],
        live: [
          { ageMin: 50, total: 900, perCollectionSec: 4 },
          { ageMin: 3, total: 60, perCollectionSec: 5, queueMin: 90 },
        ],
      },
      { name: 'scratch-tmp', backupEnabled: false },
      // Last in the list: they draw from the PRNG after every other fleet cluster, whose ids stay as they were.
      { name: 'ledger-archive', newestH: 72, everyH: 30 * 24, count: 6, autoExport: 'monthly' },
      { name: 'compliance-vault', newestH: 100 * 24, everyH: 365 * 24, count: 2, autoExport: 'yearly' },
    ],
  },
];

/**
 * Adds the fleet to a seeded base world. It draws from its own PRNG stream, after the base world is built, so
 * every id, name and job of the base world (orders-prod's 1,250 jobs included) stays as it was.
 */
export function seedFleet(world: Omit<World, 'landmarks'>, seed: number, start: number): void {
  const rng = createRng((seed * 2_654_435_761 + 0x5eed) >>> 0);
  const orgs = new Map<string, OrgRec>();
  FLEET.forEach((design, index) => {
    const org = orgFor(world, orgs, rng, start, design.org);
    const plan = { org: 0, name: design.name, clusters: 0, landmarks: false };
    const project: ProjectRec = {
      ...seedProject(rng, start, org, plan, world.projects.length + index),
      ...(design.access ? { access: design.access } : {}),
    };
    world.projects.push(project);
    const buckets = seedBuckets(rng, project);
    world.bucketsByGroup.set(project.id, buckets);
    world.clustersByGroup.set(
      project.id,
      design.clusters.map((d) => {
        const cluster = seedCluster(rng, start, project.id, d.name, {
          sharded: d.sharded ?? false,
          backupEnabled: d.backupEnabled ?? true,
        });
        if (d.autoExport) cluster.autoExport = d.autoExport;
        const ctx: BackupContext = { rng, start, orgId: org.id, cluster, buckets };
        const { snapshots, jobs } = designedHistory(ctx, d);
        world.snapshotsByCluster.set(clusterKey(project.id, cluster.name), snapshots);
        world.jobsByCluster.set(clusterKey(project.id, cluster.name), jobs);
        return cluster;
      }),
    );
  });
}

function orgFor(
  world: Omit<World, 'landmarks'>,
  made: Map<string, OrgRec>,
  rng: Rng,
  start: number,
  org: string | number,
) {
  if (typeof org === 'number') {
    const base = world.orgs[org];
    if (!base) throw new Error(`fleet design names org ${org}, which the base world does not have`);
    return base;
  }
  const existing = made.get(org);
  if (existing) return existing;
  const ageDays = 400 + made.size * 10;
  const rec: OrgRec = { id: idAt(rng, -ageDays * DAY), name: org, created: start - ageDays * DAY };
  made.set(org, rec);
  world.orgs.push(rec);
  return rec;
}

function designedHistory(ctx: BackupContext, d: ClusterDesign): { snapshots: SnapshotRec[]; jobs: JobRec[] } {
  if (d.backupEnabled === false) return { snapshots: [], jobs: [] };
  const { rng } = ctx;
  const plans: ActivePlan[] = (d.live ?? []).map((l) => ({
    ageMs: l.ageMin * MIN,
    queueMs: (l.queueMin ?? 1) * MIN,
    total: l.total,
    perCollectionMs: l.perCollectionSec * SEC,
    outcome: 'Successful',
  }));
  const finished = (ageH: number, outcome: ActivePlan['outcome']): ActivePlan => ({
    ageMs: ageH * HOUR + rng.int(0, 20) * MIN,
    queueMs: rng.int(1, 5) * MIN,
    total: rng.int(20, 150),
    perCollectionMs: rng.int(2, 6) * SEC,
    outcome,
    stopFraction: 0.2 + rng.next() * 0.6,
  });
  for (let i = 0; i < (d.count ?? 0); i++) plans.push(finished((d.newestH ?? 0) + i * (d.everyH ?? 24), 'Successful'));
  for (const ageH of d.failedH ?? []) plans.push(finished(ageH, 'Failed'));
  plans.sort((a, b) => a.ageMs - b.ageMs);
  const snapshots = [snapshotAt(ctx, 30 * MIN)];
  const jobs = plans.map((plan) => {
    const snapshot = snapshotAt(ctx, plan.ageMs + rng.int(1, 30) * MIN);
    snapshots.push(snapshot);
    return jobFrom(ctx, plan, snapshot);
  });
  snapshots.sort((a, b) => b.createdAt - a.createdAt);
  return { snapshots, jobs };
}
