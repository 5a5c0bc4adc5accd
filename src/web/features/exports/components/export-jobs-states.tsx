import { Link } from '@tanstack/react-router';
import { ErrorPanel } from '../../../components/error-panel.tsx';
import { useNow } from '../../../lib/use-now.ts';

/** An empty cluster: say so, and how export jobs come to exist (this dashboard only reads). */
export function NoExportJobs({
  clusterName,
  backupEnabled,
}: {
  clusterName: string;
  backupEnabled: boolean | undefined;
}) {
  // Without backups there is no snapshot to export: a create command would only fail, so none is offered.
  if (backupEnabled === false)
    return (
      <div className="rounded-md border border-slate-200 bg-white p-6 text-sm text-slate-700">
        <h2 className="text-base font-semibold text-slate-900">Backup off</h2>
        <p className="mt-1 max-w-3xl">
          Cloud Backup is off for <span className="font-medium">{clusterName}</span>, and exports are made from backup
          snapshots. Turn on Cloud Backup for the cluster in Atlas; once snapshots exist, they can be exported to a
          bucket.
        </p>
      </div>
    );
  return (
    <div className="rounded-md border border-slate-200 bg-white p-6 text-sm text-slate-700">
      <h2 className="text-base font-semibold text-slate-900">No export jobs yet</h2>
      <p className="mt-1 max-w-3xl">
        Nobody has exported a snapshot of <span className="font-medium">{clusterName}</span> to a cloud storage bucket.
        Export jobs are created from a backup snapshot: in the Atlas UI under Backup → Snapshots → Export, with the
        Atlas CLI, or with the Admin API. This dashboard only reads; new jobs appear here within a minute.
      </p>
      <pre className="mt-3 rounded bg-slate-50 p-2 font-mono text-xs break-all whitespace-pre-wrap text-slate-800 ring-1 ring-slate-200">
        {`atlas backups exports jobs create --clusterName ${clusterName} --bucketId <bucketId> --snapshotId <snapshotId>`}
      </pre>
    </div>
  );
}

/** Bookmarked page beyond the end (jobs expire): offer the way back instead of an empty table. */
export function PastTheEnd({ lastPage, onGo }: { lastPage: number; onGo: (page: number) => void }) {
  return (
    <div className="rounded-md border border-slate-200 bg-white p-6 text-sm text-slate-700">
      <h2 className="text-base font-semibold text-slate-900">This page is past the end</h2>
      <p className="mt-1">The list has fewer pages now. </p>
      <button
        type="button"
        onClick={() => onGo(lastPage)}
        className="mt-2 rounded text-blue-700 underline focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
      >
        Go to the last page ({lastPage})
      </button>
    </div>
  );
}

export function ExportsErrorPanel({
  error,
  coolDownUntil,
  onRetry,
}: {
  error: unknown;
  coolDownUntil: number;
  onRetry: () => void;
}) {
  const now = useNow(1000);
  const retryIn = coolDownUntil > now ? Math.ceil((coolDownUntil - now) / 1000) : undefined;
  return (
    <ErrorPanel error={error} what="the export jobs" retryInSeconds={retryIn}>
      <div className="mt-2 flex gap-3 text-sm">
        <button
          type="button"
          onClick={onRetry}
          disabled={retryIn !== undefined}
          className="rounded border border-slate-300 bg-white px-2.5 py-1 font-medium text-slate-800 hover:bg-slate-50 focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none disabled:opacity-50"
        >
          Try again
        </button>
        <Link
          to="/"
          className="self-center rounded text-blue-700 underline focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
        >
          Choose another project
        </Link>
      </div>
    </ErrorPanel>
  );
}
