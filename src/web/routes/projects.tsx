import { createRoute } from '@tanstack/react-router';
import { ClustersPage } from '../features/projects/components/clusters-page.tsx';
import { ProjectsPage } from '../features/projects/components/projects-page.tsx';
import { clustersQueryOptions, projectsQueryOptions } from '../features/projects/api/projects.ts';
import { projectParams } from '../app/route-params.ts';
import { rootRoute } from './root.tsx';

export const projectsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/projects',
  loader: ({ context }) => void context.queryClient.prefetchQuery(projectsQueryOptions),
  component: ProjectsPage,
});

export const projectRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/projects/$groupId',
  params: projectParams,
  loader: ({ context, params }) => void context.queryClient.prefetchQuery(clustersQueryOptions(params.groupId)),
  component: function ProjectRouteComponent() {
    const { groupId } = projectRoute.useParams();
    return <ClustersPage groupId={groupId} />;
  },
});
