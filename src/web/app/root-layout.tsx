import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, type ErrorComponentProps } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { serverInfoQueryOptions } from '../lib/server-info.ts';
import { Breadcrumbs } from './breadcrumbs.tsx';
import { InvalidAddress, RouteError } from './route-error.tsx';
import { invalidAddressIn } from './route-params.ts';

function DemoBadge() {
  const info = useQuery(serverInfoQueryOptions);
  if (!info.data) return null;
  if (info.data.mode !== 'demo') {
    // Which Atlas this is (commercial or Atlas for Government) matters when reading the data.
    return info.data.atlasHost ? <span className="text-xs text-slate-500">Atlas: {info.data.atlasHost}</span> : null;
  }
  return (
    <span
      className="rounded bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900 ring-1 ring-amber-300 ring-inset"
      title="No Atlas credentials are configured: the server runs a built-in Atlas simulator."
    >
      Demo data (simulated Atlas)
    </span>
  );
}

export function RootLayout() {
  return (
    <AppFrame nav={<Breadcrumbs />}>
      <Outlet />
    </AppFrame>
  );
}

/**
 * The root's own boundary (the layout itself failed): the frame again, with a plain way home in place of the
 * breadcrumbs that may be what failed.
 */
export function RootError(props: ErrorComponentProps) {
  return (
    <AppFrame
      nav={
        <nav aria-label="Breadcrumb" className="text-sm">
          <Link to="/" className="rounded text-slate-600 hover:text-slate-900 hover:underline">
            Projects
          </Link>
        </nav>
      }
    >
      <RouteError {...props} />
    </AppFrame>
  );
}

function AppFrame({ nav, children }: { nav: ReactNode; children: ReactNode }) {
  return (
    <div className="min-h-screen bg-slate-100 text-slate-900">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:rounded focus:bg-white focus:px-3 focus:py-1.5 focus:ring-2 focus:ring-blue-600"
      >
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="flex h-11 items-center gap-4 px-4">
          <Link
            to="/"
            className="flex items-center gap-2 rounded text-sm font-semibold text-slate-900 focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
          >
            <img src="/favicon.svg" alt="" className="size-5" />
            Atlas export jobs
          </Link>
          {nav}
          <div className="ml-auto">
            <DemoBadge />
          </div>
        </div>
      </header>
      <main id="main" className="px-4 py-4">
        {children}
      </main>
    </div>
  );
}

export function NotFound({ data }: { data?: unknown }) {
  const invalid = invalidAddressIn(data);
  if (invalid) return <InvalidAddress error={invalid} />;
  return (
    <div className="rounded-md border border-slate-200 bg-white p-6 text-sm">
      <h1 className="text-base font-semibold">Page not found</h1>
      <p className="mt-1 text-slate-700">This address is not part of the dashboard.</p>
      <Link to="/" className="mt-2 inline-block text-blue-700 underline">
        Go to the projects
      </Link>
    </div>
  );
}
