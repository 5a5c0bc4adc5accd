import { createRng } from './prng.ts';
import { jobFrom, snapshotAt, type ActivePlan } from './seed-backups.ts';
import { clusterKey, type World } from './model.ts';

const SEC = 1000;
const MIN = 60 * SEC;
/** After a long clock jump, only the most recent exports are created; older ones would all be finished anyway. */
const MAX_CATCH_UP = 200;

/**
 * Keeps the demo alive past its first hour: clusters with an auto-export policy get a fresh snapshot and a new
 * Queued export job every period of simulated time, as Atlas's export policy does for each new snapshot.
 * Called before every read, so jobs appear exactly when the clock passes their start. Export k draws from its
 * own seeded PRNG, so the result does not depend on when requests arrive.
 */
export function runAutoExports(world: World, seed: number, start: number, now: number): void {
  world.autoExports.forEach((schedule, index) => {
    const phase = schedule.phaseMs ?? 0;
    const due = Math.floor((now - start + phase) / schedule.periodMs);
    if (due < schedule.next) return;
    schedule.next = Math.max(schedule.next, due - MAX_CATCH_UP + 1);
    const key = clusterKey(schedule.cluster.groupId, schedule.cluster.name);
    for (; schedule.next <= due; schedule.next++) {
      const k = schedule.next;
      const rng = createRng((seed * 7919 + index * 104_729 + k * 31) >>> 0);
      const ctx = { rng, start, orgId: schedule.orgId, cluster: schedule.cluster, buckets: schedule.buckets };
      const plan: ActivePlan = {
        ageMs: phase - k * schedule.periodMs,
        queueMs: rng.int(20, 90) * SEC,
        total: rng.int(20, 80),
        perCollectionMs: rng.int(2, 6) * SEC,
        outcome: rng.chance(0.1) ? 'Failed' : 'Successful',
        stopFraction: rng.next(),
      };
      const snapshot = snapshotAt(ctx, plan.ageMs + 2 * MIN);
      // Both lists are newest first and k only grows, so new records go to the front.
      world.snapshotsByCluster.set(key, [snapshot, ...(world.snapshotsByCluster.get(key) ?? [])]);
      world.jobsByCluster.set(key, [jobFrom(ctx, plan, snapshot), ...(world.jobsByCluster.get(key) ?? [])]);
    }
  });
}
