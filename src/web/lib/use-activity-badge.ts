import { useEffect } from 'react';
import { ACTIVE_EXPORT_JOB_STATES, type ExportJob } from '../../atlas/types.ts';
import { setActivity } from './activity-badge.ts';

// A whole history's matches can be 20,000 jobs, counted on every keystroke: a set, not a search of the list.
const ACTIVE: ReadonlySet<string> = new Set(ACTIVE_EXPORT_JOB_STATES);

/** Puts the count of active and failed jobs in view into the tab's title and favicon while this view shows. */
export function useActivityBadge(jobs: readonly ExportJob[] | undefined): void {
  let active = 0;
  let failed = 0;
  for (const job of jobs ?? []) {
    if (ACTIVE.has(job.state ?? '')) active++;
    else if (job.state === 'Failed') failed++;
  }
  useEffect(() => setActivity({ active, failed }), [active, failed]);
  useEffect(() => () => setActivity({ active: 0, failed: 0 }), []);
}
