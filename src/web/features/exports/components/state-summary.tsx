import { memo } from 'react';
import { EXPORT_JOB_STATES, type ExportJob } from '../../../../atlas/types.ts';
import { stateLabel } from '../../../components/status-badge.tsx';

/**
 * How many jobs on this page are in each state. Atlas cannot count by state across pages, so the line says
 * "on this page" rather than pretend to a cluster-wide figure (Argo labels its summary the same way).
 */
export const StateSummary = memo(function StateSummary({ jobs }: { jobs: readonly ExportJob[] }) {
  const counts = new Map<string, number>();
  for (const job of jobs) {
    const state = job.state ?? 'Unknown';
    counts.set(state, (counts.get(state) ?? 0) + 1);
  }
  // Atlas's five states in their usual order, then any state this build does not know.
  const rank = (state: string) => {
    const i = EXPORT_JOB_STATES.findIndex((known) => known === state);
    return i < 0 ? EXPORT_JOB_STATES.length : i;
  };
  const parts = [...counts].sort(([a], [b]) => rank(a) - rank(b));
  if (parts.length === 0) return null;
  return (
    <p className="text-xs text-slate-600 tabular-nums" aria-label="Jobs on this page by state">
      <span className="text-slate-500">On this page: </span>
      {parts.map(([state, count], i) => (
        <span key={state} data-state={state}>
          {i > 0 && <span className="text-slate-400"> · </span>}
          <span className={state === 'Failed' ? 'font-medium text-red-800' : undefined}>
            {count} {stateLabel(state).toLowerCase()}
          </span>
        </span>
      ))}
    </p>
  );
});
