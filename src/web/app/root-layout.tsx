import { Link, Outlet, type ErrorComponentProps } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { AppHeader } from './app-header.tsx';
import { AppServices } from './app-services.tsx';
import { Breadcrumbs } from './breadcrumbs.tsx';
import { InvalidAddress, RouteError } from './route-error.tsx';
import { invalidAddressIn } from './route-params.ts';

export function RootLayout() {
  return (
    <AppFrame nav={<Breadcrumbs />} services>
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

/** `services` (shortcuts, route focus, watches) run with the working layout only, not in the root's error frame. */
function AppFrame({ nav, services, children }: { nav: ReactNode; services?: boolean; children: ReactNode }) {
  return (
    <div className="min-h-screen bg-slate-100 text-slate-900">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:rounded focus:bg-white focus:px-3 focus:py-1.5 focus:ring-2 focus:ring-blue-600"
      >
        Skip to content
      </a>
      <AppHeader nav={nav} />
      <main id="main" className="px-4 py-4">
        {children}
      </main>
      {services && <AppServices />}
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
