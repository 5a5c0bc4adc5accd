import type { ExportJob } from '../../../../atlas/types.ts';
import { ProgressBar } from '../../../components/progress-bar.tsx';
import { Elapsed } from '../../../components/relative-time.tsx';

/** Progress for any job state, defensive about what Atlas leaves out (exportStatus may be missing). */
export function JobProgress({ job }: { job: ExportJob }) {
  const done = job.exportStatus?.exportedCollections;
  const total = job.exportStatus?.totalCollections;
  const label = `Export progress of job ${job.id ?? ''}`.trim();
  switch (job.state) {
    case 'Queued':
      return (
        <div className="flex flex-col gap-0.5 text-xs text-slate-600">
          <span>Not started</span>
          <Elapsed since={job.createdAt} prefix="waiting " />
        </div>
      );
    case 'Successful':
      return <ProgressBar done={done ?? total} total={total} complete tone="green" label={label} />;
    case 'Failed':
      return <ProgressBar done={done} total={total} tone="red" label={label} />;
    case 'Cancelled':
      return <ProgressBar done={done} total={total} tone="amber" label={label} />;
    default:
      return <ProgressBar done={done} total={total} tone="blue" label={label} />;
  }
}
