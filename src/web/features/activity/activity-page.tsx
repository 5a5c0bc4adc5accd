/** The Activity page: every write attempt the dashboard recorded (its audit file), newest first. */
import { queryOptions, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { ErrorPanel } from '../../components/error-panel.tsx';
import { TableSkeleton } from '../../components/skeleton.tsx';
import { getJson } from '../../lib/api-client.ts';
import { useDocumentTitle } from '../../lib/use-document-title.ts';
import { useSession } from '../session/session.ts';
import type { AuditRecord } from '../../../atlas/index.ts';

export const activityQueryOptions = queryOptions({
  queryKey: ['activity'] as const,
  queryFn: ({ signal }) =>
    getJson<{ write: boolean; records: AuditRecord[] }>('/api/activity', 'application/json', signal),
  refetchInterval: 15_000,
});

const DECISION: Record<AuditRecord['decision'], string> = {
  allowed: 'Sent to Atlas',
  refused: 'Refused by the dashboard',
  replayed: 'Repeat (same key, nothing sent)',
};

export function ActivityPage() {
  const q = useQuery(activityQueryOptions);
  const session = useSession();
  useDocumentTitle('Activity');
  return (
    <section aria-labelledby="activity-title" className="flex flex-col gap-2.5">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 id="activity-title" className="text-lg font-semibold text-slate-900">
          Activity
        </h1>
        {session?.user && (
          <p className="text-xs text-slate-500">
            Signed in as <span className="font-medium text-slate-700">{session.user.name}</span> ({session.role})
          </p>
        )}
      </div>
      <p className="text-sm text-slate-600">
        Every attempt to start an export, allowed or refused: who, when, from where, what was asked, what Atlas
        answered.
      </p>
      {q.data && !q.data.write && (
        <p className="text-sm text-slate-600">Write mode is off (DASHBOARD_WRITE): nothing can be started from here.</p>
      )}
      {q.error && !q.data && <ErrorPanel error={q.error} what="the activity" onRetry={() => void q.refetch()} />}
      {!q.data && !q.error && <TableSkeleton rows={5} columns={6} />}
      {q.data && q.data.records.length === 0 && q.data.write && <p className="text-sm">No write attempts yet.</p>}
      {q.data && q.data.records.length > 0 && (
        <div className="overflow-x-auto rounded border border-slate-200 bg-white">
          <table className="w-full text-left text-sm tabular-nums">
            <caption className="sr-only">Write attempts, newest first</caption>
            <thead className="bg-slate-50 text-xs text-slate-600">
              <tr>
                <th scope="col" className="px-2 py-1.5 font-medium">
                  When (UTC)
                </th>
                <th scope="col" className="px-2 py-1.5 font-medium">
                  Who
                </th>
                <th scope="col" className="px-2 py-1.5 font-medium">
                  From
                </th>
                <th scope="col" className="px-2 py-1.5 font-medium">
                  Asked
                </th>
                <th scope="col" className="px-2 py-1.5 font-medium">
                  Decision
                </th>
                <th scope="col" className="px-2 py-1.5 font-medium">
                  Answer
                </th>
              </tr>
            </thead>
            <tbody>
              {q.data.records.map((r) => (
                <tr key={r.id} className="border-t border-slate-100 align-top" data-testid="activity-row">
                  <td className="px-2 py-1.5 whitespace-nowrap">{r.at.slice(0, 19).replace('T', ' ')}</td>
                  <td className="px-2 py-1.5">
                    {r.who ? (
                      <>
                        {r.who.name} <span className="text-xs text-slate-500">({r.who.role})</span>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td className="px-2 py-1.5 font-mono text-xs">{r.address ?? '—'}</td>
                  <td className="px-2 py-1.5">
                    Export {r.request.clusterName ?? '?'}
                    <div className="font-mono text-xs text-slate-500">
                      snapshot {r.request.snapshotId ?? '?'} → bucket {r.request.exportBucketId ?? '?'}
                      {r.request.customData?.map((d) => (
                        <div key={d.key}>
                          {d.key}={d.value}
                        </div>
                      ))}
                    </div>
                  </td>
                  <td className="px-2 py-1.5">{DECISION[r.decision] ?? r.decision}</td>
                  <td className="px-2 py-1.5">
                    <span className="font-medium">{r.answer.status}</span>{' '}
                    {r.answer.exportId && r.request.groupId && r.request.clusterName ? (
                      <Link
                        to="/projects/$groupId/clusters/$clusterName/exports/$exportId"
                        params={{
                          groupId: r.request.groupId,
                          clusterName: r.request.clusterName,
                          exportId: r.answer.exportId,
                        }}
                        search={{}}
                        className="underline"
                      >
                        {r.answer.state ?? 'job'} {r.answer.exportId.slice(-8)}
                      </Link>
                    ) : (
                      <span>
                        {r.answer.errorCode} <span className="text-xs text-slate-600">{r.answer.detail}</span>
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
