import { Link, Outlet } from '@tanstack/react-router';
import { AppHeader } from './app-header.tsx';
import { AppServices } from './app-services.tsx';

export function RootLayout() {
  return (
    <div className="min-h-screen bg-slate-100 text-slate-900">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:rounded focus:bg-white focus:px-3 focus:py-1.5 focus:ring-2 focus:ring-blue-600"
      >
        Skip to content
      </a>
      <AppHeader />
      <main id="main" className="px-4 py-4">
        <Outlet />
      </main>
      <AppServices />
    </div>
  );
}

export function NotFound() {
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
