/** The write controls: shown only in write mode to a role that may act (the server checks both again). */
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import type { ExportJob } from '../../../atlas/types.ts';
import { exportJobListQueryOptions } from '../exports/api/export-jobs.ts';
import { snapshotsQueryOptions } from '../exports/api/export-lookups.ts';
import { useNow } from '../../lib/use-now.ts';
import { activeSnapshotIds, notExportable, useCanWrite } from './write-api.ts';

const ExportDialog = lazy(() => import('./export-dialog.tsx').then((m) => ({ default: m.ExportDialog })));

const button =
  'rounded bg-blue-700 px-2.5 py-1 text-sm font-medium text-white hover:bg-blue-800 focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:ring-offset-1 focus-visible:outline-none';

export function ExportSnapshotButton(p: { groupId: string; clusterName: string; sharded: boolean }) {
  const canWrite = useCanWrite();
  const [open, setOpen] = useState(false);
  if (!canWrite) return null;
  return (
    <>
      <button type="button" className={button} onClick={() => setOpen(true)}>
        Export a snapshot…
      </button>
      {open && (
        <Suspense fallback={null}>
          <ExportDialog {...p} onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}

/**
 * Re-export a Failed or Cancelled job: only when its snapshot still exists and can be exported now (completed,
 * not fallback, not expired, no export of it running).
 */
export function ReExportButton(p: { groupId: string; clusterName: string; sharded: boolean; job: ExportJob }) {
  const canWrite = useCanWrite();
  const ended = p.job.state === 'Failed' || p.job.state === 'Cancelled';
  const snapshots = useQuery({
    ...snapshotsQueryOptions(p.groupId, p.clusterName, p.sharded),
    enabled: canWrite && ended,
  });
  const jobs = useQuery({ ...exportJobListQueryOptions(p.groupId, p.clusterName, 1, 100), enabled: canWrite && ended });
  const [open, setOpen] = useState(false);
  const now = useNow(60_000);
  if (!canWrite || !ended || !snapshots.data || !jobs.data || !p.job.snapshotId) return null;
  const why = notExportable(snapshots.data.get(p.job.snapshotId), activeSnapshotIds(jobs.data.results), now);
  if (why) {
    return <span className="text-xs text-slate-500">Re-export unavailable: {why}</span>;
  }
  return (
    <>
      <button type="button" className={button} onClick={() => setOpen(true)}>
        Re-export…
      </button>
      {open && (
        <Suspense fallback={null}>
          <ExportDialog
            groupId={p.groupId}
            clusterName={p.clusterName}
            sharded={p.sharded}
            retry={p.job}
            onClose={() => setOpen(false)}
          />
        </Suspense>
      )}
    </>
  );
}
