import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearch } from '@tanstack/react-router';
import { AtlasText } from '../components/atlas-text.tsx';
import { ChevronRightIcon } from '../components/icons.tsx';
import { resolvePaging, validateExportsSearch, withPaging } from '../features/exports/api/exports-search.ts';
import { projectQueryOptions } from '../features/projects/api/projects.ts';
import { shortId } from '../lib/format.ts';
import { isGroupId } from './route-params.ts';

const crumb =
  'rounded text-slate-600 hover:text-slate-900 hover:underline focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none';

function Sep() {
  return <ChevronRightIcon className="size-3 text-slate-400" />;
}

/** project > cluster > exports > job, from whatever the current route has; each crumb links back up. */
export function Breadcrumbs() {
  const params = useParams({ strict: false });
  const search = validateExportsSearch(useSearch({ strict: false }));
  const { groupId, clusterName, exportId } = params;
  // A hand-edited id that Atlas could never accept is explained by the route; asking Atlas about it would not help.
  const project = useQuery({ ...projectQueryOptions(groupId ?? ''), enabled: isGroupId(groupId) });
  if (!groupId || !isGroupId(groupId)) return null;
  const { page, perPage } = resolvePaging(search);
  return (
    <nav aria-label="Breadcrumb" className="min-w-0 text-sm">
      <ol className="flex items-center gap-1.5">
        <li>
          <Link to="/projects" className={crumb}>
            Projects
          </Link>
        </li>
        <li className="flex items-center gap-1.5">
          <Sep />
          <Link
            to="/projects/$groupId"
            params={{ groupId }}
            className={crumb}
            aria-current={clusterName ? undefined : 'page'}
          >
            {project.data?.name ? <AtlasText text={project.data.name} /> : shortId(groupId)}
          </Link>
        </li>
        {clusterName && (
          <li className="flex items-center gap-1.5">
            <Sep />
            <span className="max-w-64 truncate text-slate-600">
              <AtlasText text={clusterName} />
            </span>
          </li>
        )}
        {clusterName && (
          <li className="flex items-center gap-1.5">
            <Sep />
            <Link
              to="/projects/$groupId/clusters/$clusterName/exports"
              params={{ groupId, clusterName }}
              search={withPaging(search, page, perPage)}
              className={crumb}
              aria-current={exportId ? undefined : 'page'}
            >
              Exports{page > 1 ? ` (page ${page})` : ''}
            </Link>
          </li>
        )}
        {clusterName && exportId && (
          <li className="flex items-center gap-1.5">
            <Sep />
            <span aria-current="page" className="font-mono text-xs text-slate-900">
              {shortId(exportId)}
            </span>
          </li>
        )}
      </ol>
    </nav>
  );
}
