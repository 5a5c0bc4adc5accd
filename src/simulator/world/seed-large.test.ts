import { describe, expect, it } from 'vitest';
import { runAutoExports } from './auto-export.ts';
import { jobAt } from './lifecycle.ts';
import { clusterKey } from './model.ts';
import { LARGE_CLUSTERS_PER_PROJECT, LARGE_PROJECTS } from './seed-large.ts';
import { seedWorld, worldCounts } from './seed.ts';

const START = Date.UTC(2026, 10, 20, 12);
const DAY = 86_400_000;

describe('--world large', () => {
  const demo = seedWorld(42, START);
  const large = seedWorld(42, START, 'large');

  it('is the demo world plus 250 projects of 25 clusters, with schedules of every kind', () => {
    const d = worldCounts(demo);
    const l = worldCounts(large);
    expect(l.projects - d.projects).toBe(LARGE_PROJECTS);
    expect(l.clusters - d.clusters).toBe(LARGE_PROJECTS * LARGE_CLUSTERS_PER_PROJECT);
    expect(large.projects.slice(0, d.projects)).toEqual(demo.projects);
    const clusters = [...large.clustersByGroup.values()].flat();
    const monthly = clusters.filter((c) => c.autoExport === 'monthly').length;
    const off = clusters.filter((c) => !c.backupEnabled).length;
    expect(monthly).toBeGreaterThan(500);
    expect(off).toBeGreaterThan(100);
  });

  it('keeps starting, running and failing exports as the clock runs, each cluster at its own hour', () => {
    const w = seedWorld(42, START, 'large');
    const daily = w.autoExports.filter((s) => s.periodMs === DAY);
    expect(daily.length).toBeGreaterThan(4000);
    const count = () => [...w.jobsByCluster.values()].reduce((n, l) => n + l.length, 0);
    const before = count();
    runAutoExports(w, 42, START, START + 2 * 3_600_000);
    const added = count() - before;
    // Two hours of a day's exports spread over the day: about a twelfth of the daily clusters, not all at once.
    expect(added).toBeGreaterThan(daily.length / 24);
    expect(added).toBeLessThan(daily.length / 6);
    const now = START + 2 * 3_600_000;
    const states = new Set(
      daily
        .flatMap((s) => (w.jobsByCluster.get(clusterKey(s.cluster.groupId, s.cluster.name)) ?? []).slice(0, 1))
        .map((j) => jobAt(j, now).state),
    );
    expect([...states]).toEqual(expect.arrayContaining(['Successful', 'InProgress']));
  });
});
