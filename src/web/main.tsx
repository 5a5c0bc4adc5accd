import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/providers.tsx';
import { createQueryClient } from './app/query-client.ts';
import { createAppRouter } from './app/router.tsx';
import './styles.css';

const queryClient = createQueryClient();
const router = createAppRouter(queryClient);
// Resolve the first route (its loader starts the Atlas request) before React's first render, not after it:
// the request then overlaps React's start-up instead of following it.
void router.load();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App queryClient={queryClient} router={router} />
    </StrictMode>,
  );
}
