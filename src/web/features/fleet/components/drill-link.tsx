import { useRouter } from '@tanstack/react-router';
import type { MouseEvent, ReactNode } from 'react';

/** The filters a fleet figure drills into: the exports route's own URL names (state, since). */
export interface DrillFilters {
  state?: string;
  since?: string;
}

export function clusterTableHref(groupId: string, clusterName: string, filters: DrillFilters = {}): string {
  const path = `/projects/${encodeURIComponent(groupId)}/clusters/${encodeURIComponent(clusterName)}/exports`;
  const query = new URLSearchParams();
  if (filters.state) query.set('state', filters.state);
  if (filters.since) query.set('since', filters.since);
  const qs = query.toString().replaceAll('%2C', ',');
  return qs ? `${path}?${qs}` : path;
}

export function jobHref(groupId: string, clusterName: string, exportId: string): string {
  return `${clusterTableHref(groupId, clusterName)}/${encodeURIComponent(exportId)}`;
}

export const drillClass =
  'rounded hover:underline focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none';

/**
 * A real link (middle-click, copy address) that navigates inside the app on a plain click, so the cluster's
 * history the fleet already loaded serves the table at once.
 */
export function DrillLink({
  href,
  label,
  className = drillClass,
  primary = false,
  children,
}: {
  href: string;
  label?: string;
  className?: string;
  /** The link Enter on the row opens (row-keys), when it is not the row's first link. */
  primary?: boolean;
  children: ReactNode;
}) {
  const router = useRouter();
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    router.history.push(href);
  };
  return (
    <a href={href} onClick={onClick} aria-label={label} className={className} data-row-primary={primary || undefined}>
      {children}
    </a>
  );
}
