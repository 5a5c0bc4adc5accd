import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { AtlasTrouble } from '../../../components/atlas-trouble.tsx';
import { ErrorPanel } from '../../../components/error-panel.tsx';
import { coolDownEnd } from '../../../lib/api-client.ts';
import { RelativeTime } from '../../../components/relative-time.tsx';
import { TableSkeleton } from '../../../components/skeleton.tsx';
import { AtlasText } from '../../../components/atlas-text.tsx';
import { Count } from '../../../components/count.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { orgsQueryOptions, projectsQueryOptions } from '../api/projects.ts';
import { SimpleTable, cellClass, linkClass, rowClass } from './simple-table.tsx';

export function ProjectsPage() {
  const query = useQuery(projectsQueryOptions);
  // Organization names are a nicety: without them (no Organization Member role) the id stands in.
  const orgs = useQuery({ ...orgsQueryOptions, retry: false });
  const orgName = (orgId: string) => orgs.data?.results.find((o) => o.id === orgId)?.name;
  const problem = query.error ?? query.failureReason;
  useDocumentTitle('Projects');
  return (
    <section aria-labelledby="projects-title" className="flex flex-col gap-3">
      <h1 id="projects-title" className="text-lg font-semibold text-slate-900">
        Projects
      </h1>
      {!query.data && problem != null && (
        <ErrorPanel error={problem} what="the projects" onRetry={() => void query.refetch()} />
      )}
      {!query.data && problem == null && <TableSkeleton rows={4} columns={4} />}
      {query.data && problem != null && (
        <AtlasTrouble
          error={problem}
          lastSuccessAt={query.dataUpdatedAt}
          coolDownUntil={coolDownEnd(query.error, query.errorUpdatedAt)}
          what="the projects"
        />
      )}
      {query.data && query.data.results.length === 0 && (
        <p className="rounded-md border border-slate-200 bg-white p-6 text-sm text-slate-700">
          These credentials can see no projects. Add the API key or service account to a project in Atlas (Project
          Access Manager), then reload.
        </p>
      )}
      {query.data && query.data.results.length > 0 && (
        <SimpleTable
          caption="Projects"
          headers={[
            { label: 'Project' },
            { label: 'Organization' },
            { label: 'Project id' },
            { label: 'Clusters', right: true },
            { label: 'Created' },
          ]}
        >
          {query.data.results.map((g) => (
            <tr key={g.id ?? g.name} className={rowClass}>
              <td className={cellClass}>
                {g.id ? (
                  <Link to="/projects/$groupId" params={{ groupId: g.id }} className={linkClass}>
                    <AtlasText text={g.name} />
                  </Link>
                ) : (
                  <AtlasText text={g.name} />
                )}
              </td>
              <td className={cellClass}>
                {orgName(g.orgId) !== undefined ? (
                  <AtlasText text={orgName(g.orgId)} />
                ) : (
                  <span className="font-mono text-xs text-slate-600">
                    <AtlasText text={g.orgId} />
                  </span>
                )}
              </td>
              <td className={`${cellClass} font-mono text-xs text-slate-600`}>
                <AtlasText text={g.id} />
              </td>
              <td className={`${cellClass} text-right`}>
                {g.clusterCount === undefined ? '—' : <Count value={g.clusterCount} />}
              </td>
              <td className={cellClass}>
                <RelativeTime iso={g.created} />
              </td>
            </tr>
          ))}
        </SimpleTable>
      )}
    </section>
  );
}
