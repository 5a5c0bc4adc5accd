import { createRoute } from '@tanstack/react-router';
import { ActivityPage } from '../features/activity/activity-page.tsx';
import { rootRoute } from './root.tsx';

export const activityRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/activity',
  component: ActivityPage,
});
