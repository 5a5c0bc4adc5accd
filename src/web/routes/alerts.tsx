import { createRoute } from '@tanstack/react-router';
import { AlertsPage } from '../features/alerts/alerts-page.tsx';
import { rootRoute } from './root.tsx';

export const alertsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/alerts',
  component: AlertsPage,
});
