import { describe, expect, it } from 'vitest';
import { jobAt } from './lifecycle.ts';
import type { JobRec } from './model.ts';

const job = (over: Partial<JobRec> = {}): JobRec => ({
  id: 'a'.repeat(24),
  groupId: 'b'.repeat(24),
  clusterName: 'c',
  snapshotId: 'd'.repeat(24),
  exportBucketId: 'e'.repeat(24),
  createdAt: 0,
  queueMs: 10_000,
  runMs: 100_000,
  totalCollections: 50,
  outcome: 'Successful',
  stopFraction: 0.5,
  customData: [],
  prefix: 'p',
  ...over,
});

describe('job lifecycle as a function of time', () => {
  it('Queued (0 of 0), then InProgress with exported rising, then Successful with finishedAt', () => {
    expect(jobAt(job(), 9_999)).toEqual({ state: 'Queued', exportedCollections: 0, totalCollections: 0 });
    const a = jobAt(job(), 30_000);
    const b = jobAt(job(), 80_000);
    expect(a).toMatchObject({ state: 'InProgress', exportedCollections: 10, totalCollections: 50 });
    expect(b.exportedCollections).toBeGreaterThan(a.exportedCollections);
    expect(jobAt(job(), 110_000)).toEqual({
      state: 'Successful',
      exportedCollections: 50,
      totalCollections: 50,
      finishedAt: 110_000,
    });
  });

  it('Failed and Cancelled stop part way; 0-collection jobs succeed with 0 of 0', () => {
    expect(jobAt(job({ outcome: 'Failed', stopFraction: 0.4 }), 60_000)).toEqual({
      state: 'Failed',
      exportedCollections: 20,
      totalCollections: 50,
      finishedAt: 50_000,
    });
    expect(jobAt(job({ outcome: 'Cancelled', stopFraction: 0.1 }), 59_000).state).toBe('Cancelled');
    expect(jobAt(job({ totalCollections: 0 }), 200_000)).toMatchObject({
      state: 'Successful',
      exportedCollections: 0,
      totalCollections: 0,
    });
  });

  it('never reports more exported than total, and never goes backwards', () => {
    let last = 0;
    for (let t = 10_000; t <= 120_000; t += 777) {
      const s = jobAt(job({ totalCollections: 7 }), t);
      expect(s.exportedCollections).toBeLessThanOrEqual(s.totalCollections);
      expect(s.exportedCollections).toBeGreaterThanOrEqual(last);
      last = s.exportedCollections;
    }
    expect(last).toBe(7);
  });
});
