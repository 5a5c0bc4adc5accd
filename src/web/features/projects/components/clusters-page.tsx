import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { Cluster } from '../../../../atlas/types.ts';
import { AtlasTrouble } from '../../../components/atlas-trouble.tsx';
import { ErrorPanel } from '../../../components/error-panel.tsx';
import { coolDownEnd } from '../../../lib/api-client.ts';
import { TableSkeleton } from '../../../components/skeleton.tsx';
import { RelativeTime } from '../../../components/relative-time.tsx';
import { StatusBadge } from '../../../components/status-badge.tsx';
import { isAtlasRequestError } from '../../../lib/api-client.ts';
import { AtlasText } from '../../../components/atlas-text.tsx';
import { countWords } from '../../../lib/count-words.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { clustersQueryOptions, latestExportQueryOptions, projectQueryOptions } from '../api/projects.ts';
import { SimpleTable, cellClass, linkClass, rowClass } from './simple-table.tsx';

const TYPE_LABELS: Record<string, string> = {
  REPLICASET: 'Replica set',
  SHARDED: 'Sharded',
  GEOSHARDED: 'Global (sharded)',
};

/**
 * Export health at a glance: the newest job (its badge opens it), when it was created, and how many jobs there
 * are. A cluster without Cloud Backup has nothing to export, so it costs no request and says so.
 */
function LatestExport({ groupId, cluster }: { groupId: string; cluster: Cluster & { name: string } }) {
  const clusterName = cluster.name;
  const backupOff = cluster.backupEnabled === false;
  const query = useQuery({ ...latestExportQueryOptions(groupId, clusterName), enabled: !backupOff });
  if (backupOff) return <span className="text-slate-500">Backup off</span>;
  if (query.isPending) return <span className="text-slate-400">…</span>;
  if (query.isError)
    return (
      <span className="text-xs text-slate-500">
        unavailable ({isAtlasRequestError(query.error) ? query.error.status : 'error'})
      </span>
    );
  const job = query.data.results[0];
  if (!job) return <span className="text-slate-500">none yet</span>;
  return (
    <span className="flex items-center gap-2">
      {job.id ? (
        <Link
          to="/projects/$groupId/clusters/$clusterName/exports/$exportId"
          params={{ groupId, clusterName, exportId: job.id }}
          className="rounded focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
        >
          {/* Screen-reader words around the visible badge, so the link's name contains what is shown. */}
          <span className="sr-only">Newest export job: </span>
          <StatusBadge state={job.state} />
          <span className="sr-only">, open it</span>
        </Link>
      ) : (
        <StatusBadge state={job.state} />
      )}
      <RelativeTime iso={job.createdAt} />
      {query.data.totalCount !== undefined && (
        <span className="text-xs text-slate-500">· {countWords(query.data.totalCount, 'job', 'jobs', true)}</span>
      )}
    </span>
  );
}

function ClusterRow({ groupId, cluster }: { groupId: string; cluster: Cluster }) {
  const name = cluster.name ?? '';
  return (
    <tr className={rowClass}>
      {/* A cluster name (at most 64 letters, digits and hyphens) stays on one line: at 375 px it broke mid-word
          ("order s-prod"); the table scrolls sideways instead. */}
      <td className={`${cellClass} whitespace-nowrap`}>
        {name ? (
          <Link
            to="/projects/$groupId/clusters/$clusterName/exports"
            params={{ groupId, clusterName: name }}
            search={{}}
            className={linkClass}
          >
            <AtlasText text={name} />
          </Link>
        ) : (
          '—'
        )}
      </td>
      <td className={cellClass}>
        <AtlasText text={TYPE_LABELS[cluster.clusterType ?? ''] ?? cluster.clusterType ?? '—'} />
      </td>
      <td className={cellClass}>
        <AtlasText text={cluster.paused ? 'Paused' : (cluster.stateName ?? '—')} />
      </td>
      <td className={cellClass}>
        <AtlasText text={cluster.mongoDBVersion ?? '—'} />
      </td>
      <td className={cellClass}>{cluster.backupEnabled ? 'On' : 'Off'}</td>
      <td className={cellClass}>{name && <LatestExport groupId={groupId} cluster={{ ...cluster, name }} />}</td>
    </tr>
  );
}

export function ClustersPage({ groupId }: { groupId: string }) {
  const project = useQuery(projectQueryOptions(groupId));
  const query = useQuery(clustersQueryOptions(groupId));
  const problem = query.error ?? query.failureReason;
  useDocumentTitle(`Clusters of ${project.data?.name ?? groupId}`);
  return (
    <section aria-labelledby="clusters-title" className="flex flex-col gap-3">
      <h1 id="clusters-title" className="text-lg font-semibold text-slate-900">
        Clusters{' '}
        <span className="font-normal text-slate-500">
          · <AtlasText text={project.data?.name ?? groupId} />
        </span>
      </h1>
      {!query.data && problem != null && (
        <ErrorPanel error={problem} what="the clusters" onRetry={() => void query.refetch()} />
      )}
      {!query.data && problem == null && <TableSkeleton rows={4} columns={5} />}
      {query.data && problem != null && (
        <AtlasTrouble
          error={problem}
          lastSuccessAt={query.dataUpdatedAt}
          coolDownUntil={coolDownEnd(query.error, query.errorUpdatedAt)}
          what="the clusters"
        />
      )}
      {query.data && query.data.results.length === 0 && (
        <p className="rounded-md border border-slate-200 bg-white p-6 text-sm text-slate-700">
          This project has no clusters.
        </p>
      )}
      {query.data && query.data.results.length > 0 && (
        <SimpleTable
          caption="Clusters (each links to its export jobs)"
          headers={[
            { label: 'Cluster' },
            { label: 'Type' },
            { label: 'State' },
            { label: 'MongoDB' },
            { label: 'Backup' },
            { label: 'Latest export' },
          ]}
        >
          {query.data.results.map((c) => (
            <ClusterRow key={c.id ?? c.name} groupId={groupId} cluster={c} />
          ))}
        </SimpleTable>
      )}
    </section>
  );
}
