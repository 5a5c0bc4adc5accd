import type { QueryClient } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/providers.tsx';
import { createQueryClient } from './app/query-client.ts';
import { createAppRouter } from './app/router.tsx';
import { startThemeSync } from './lib/theme.ts';
import './styles.css';

/** How long the first render may wait for data early-fetch.ts already has on its way. */
const FIRST_DATA_WAIT_MS = 150;

startThemeSync();
const queryClient = createQueryClient();
const router = createAppRouter(queryClient);
// Resolve the first route (its loader starts the Atlas request) before React's first render, not after it:
// the request then overlaps React's start-up instead of following it.
// A failure here (a hand-edited address) is shown by the route's error boundary; it is not unhandled.
const firstRoute = router.load().catch(() => undefined);

function render(): void {
  const root = document.getElementById('root');
  if (!root) return;
  createRoot(root).render(
    <StrictMode>
      <App queryClient={queryClient} router={router} />
    </StrictMode>,
  );
}

function noFetchesInFlight(client: QueryClient): Promise<void> {
  return new Promise((resolve) => {
    if (client.isFetching() === 0) return resolve();
    const unsubscribe = client.getQueryCache().subscribe(() => {
      if (client.isFetching() > 0) return;
      unsubscribe();
      resolve();
    });
  });
}

if (window.__atlasEarly) {
  // A bookmarked table whose rows are usually parsed by the time this bundle has run: render once with them
  // rather than paint a skeleton and replace it a moment later. Never wait long; a slow Atlas gets the skeleton.
  const firstData = firstRoute.then(() => noFetchesInFlight(queryClient));
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, FIRST_DATA_WAIT_MS));
  void Promise.race([firstData, timeout]).finally(render);
} else {
  render();
}
