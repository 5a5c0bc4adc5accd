import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { SessionMenu } from '../features/session/session-menu.tsx';
import { BellIcon, ClockIcon } from '../components/icons.tsx';
import { serverInfoQueryOptions } from '../lib/server-info.ts';
import { DisplaySettings } from './display-settings.tsx';
import { setShortcutsHelp } from './shortcuts.tsx';

function DemoBadge() {
  const info = useQuery(serverInfoQueryOptions);
  if (!info.data) return null;
  if (info.data.mode !== 'demo') {
    // Which Atlas this is (commercial or Atlas for Government) matters when reading the data.
    return info.data.atlasHost ? (
      <span className="hidden text-xs text-slate-500 md:inline">Atlas: {info.data.atlasHost}</span>
    ) : null;
  }
  return (
    <span
      className="rounded bg-amber-100 px-2 py-0.5 text-xs font-medium whitespace-nowrap text-amber-900 ring-1 ring-amber-300 ring-inset"
      title="No Atlas credentials are configured: the server runs a built-in Atlas simulator."
    >
      Demo<span className="hidden md:inline"> data (simulated Atlas)</span>
    </span>
  );
}

/** A header link that is there only when the server has what it shows; on a phone an icon, so the crumbs keep room. */
function ServerLink({
  to,
  label,
  icon,
  when,
}: {
  to: '/activity' | '/alerts';
  label: string;
  icon: ReactNode;
  when: boolean;
}) {
  if (!when) return null;
  return (
    <Link
      to={to}
      className="flex items-center rounded px-1.5 py-0.5 text-sm text-slate-700 hover:bg-slate-100 focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
    >
      <span className="sm:hidden">{icon}</span>
      <span className="sr-only sm:not-sr-only">{label}</span>
    </Link>
  );
}

/**
 * One line at every width: on a phone the product name and the demo note shrink to make room for the crumbs.
 * `nav` is the breadcrumbs, or the root error frame's plain way home when the layout itself failed.
 */
export function AppHeader({ nav }: { nav: ReactNode }) {
  const info = useQuery(serverInfoQueryOptions);
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="flex h-11 items-center gap-2 px-3 sm:gap-4 sm:px-4">
        <Link
          to="/"
          className="flex shrink-0 items-center gap-2 rounded text-sm font-semibold text-slate-900 focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
        >
          <img src="/favicon.svg" alt="" className="size-5" />
          <span className="sr-only sm:not-sr-only">Atlas export jobs</span>
        </Link>
        <div className="min-w-0 flex-1">{nav}</div>
        <div className="flex shrink-0 items-center gap-2">
          <DemoBadge />
          {/* The audit of writes, where there can be any: in write mode. */}
          <ServerLink
            to="/activity"
            label="Activity"
            icon={<ClockIcon className="size-4" />}
            when={!!info.data?.write}
          />
          <ServerLink to="/alerts" label="Alerts" icon={<BellIcon className="size-4" />} when={!!info.data?.alerts} />
          <SessionMenu />
          <DisplaySettings onShowShortcuts={() => setShortcutsHelp(true)} />
        </div>
      </div>
    </header>
  );
}
