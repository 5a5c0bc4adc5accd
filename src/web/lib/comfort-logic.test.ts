import { describe, expect, it } from 'vitest';
import type { ExportJob } from '../../atlas/types.ts';
import { changedIds } from '../components/use-row-flash.ts';
import { endedSince } from '../features/exports/watch/watch-runner.tsx';
import { activityPrefix } from './activity-badge.ts';
import { formatZoned, zonedParts } from './time-mode.ts';

const job = (id: string, state: ExportJob['state']): ExportJob => ({
  id,
  state,
  exportBucketId: 'b',
  createdAt: '2026-11-29T08:00:00Z',
});

describe('changedIds (row highlight)', () => {
  const a = job('a', 'InProgress');
  const b = job('b', 'Successful');
  const c = job('c', 'Failed');
  it('names new rows and rows whose object changed, not unchanged ones', () => {
    const before = new Map([
      ['a', a],
      ['b', b],
    ]);
    const a2 = { ...a, state: 'Successful' as const };
    const after = new Map([
      ['c', c],
      ['a', a2],
      ['b', b],
    ]);
    expect(changedIds(before, after)).toEqual(['c', 'a']);
  });
  it('stays quiet on the first load and when most rows are new (another page)', () => {
    expect(changedIds(new Map(), new Map([['a', a]]))).toEqual([]);
    const other = new Map([
      ['c', c],
      ['d', job('d', 'Queued')],
      ['a', a],
    ]);
    expect(changedIds(new Map([['a', a]]), other)).toEqual([]);
  });
});

describe('endedSince (watch)', () => {
  it('finds jobs active at the last poll that are not any more', () => {
    const before = new Map([
      ['a', true],
      ['b', true],
      ['c', false],
    ]);
    const now = [job('a', 'Successful'), job('b', 'InProgress'), job('c', 'Failed'), job('d', 'Failed')];
    expect(endedSince(before, now).map((j) => j.id)).toEqual(['a']);
  });
});

describe('activityPrefix (tab title)', () => {
  it('counts what is there and says nothing when all is quiet', () => {
    expect(activityPrefix({ active: 2, failed: 1 })).toBe('(2 active, 1 failed) ');
    expect(activityPrefix({ active: 0, failed: 3 })).toBe('(3 failed) ');
    expect(activityPrefix({ active: 0, failed: 0 })).toBe('');
  });
});

describe('zoned times', () => {
  const ms = Date.parse('2026-11-29T23:41:07Z');
  it('always names the zone', () => {
    expect(zonedParts(ms, 'utc')).toEqual({ date: '2026-11-29', time: '23:41:07', zone: 'UTC' });
    expect(formatZoned(ms, 'utc', false)).toBe('2026-11-29 23:41 UTC');
    // The local form carries a zone name whatever the machine's zone is.
    expect(formatZoned(ms, 'local')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+/);
  });
});
