/**
 * Atlas's `links` point at its own API (in demo mode, at the internal simulator). A browser has no use for those
 * addresses and must never be sent to the upstream, so each link becomes the dashboard's page for the same thing,
 * or stays plain text when the dashboard has none.
 */

const HEX24 = /^[a-f0-9]{24}$/i;
const CLUSTER = /^[a-zA-Z0-9][a-zA-Z0-9-]{0,63}$/;
const API_PREFIX = '/api/atlas/v2';

export type DashboardPage =
  | { kind: 'projects' }
  | { kind: 'project'; groupId: string }
  | { kind: 'exports'; groupId: string; clusterName: string }
  | { kind: 'export'; groupId: string; clusterName: string; exportId: string };

/** The dashboard page for an Atlas API address, or undefined when there is none. */
export function dashboardPageFor(href: string | undefined): DashboardPage | undefined {
  const path = apiPath(href);
  if (path === undefined) return undefined;
  const [groups, groupId, clusters, clusterName, backup, exports, exportId] = path.split('/').slice(1);
  if (groups !== 'groups') return undefined;
  if (groupId === undefined) return { kind: 'projects' };
  if (!HEX24.test(groupId)) return undefined;
  if (clusters !== 'clusters' || clusterName === undefined) return { kind: 'project', groupId };
  if (!CLUSTER.test(clusterName)) return { kind: 'project', groupId };
  if (backup === 'backup' && exports === 'exports' && exportId !== undefined && HEX24.test(exportId))
    return { kind: 'export', groupId, clusterName, exportId };
  // The cluster itself, its snapshots, its exports list: the dashboard's page for a cluster is its export jobs.
  return { kind: 'exports', groupId, clusterName };
}

/** The same page as a path of this dashboard. */
export function dashboardPath(page: DashboardPage): string {
  const e = encodeURIComponent;
  switch (page.kind) {
    case 'projects':
      return '/';
    case 'project':
      return `/projects/${e(page.groupId)}`;
    case 'exports':
      return `/projects/${e(page.groupId)}/clusters/${e(page.clusterName)}/exports`;
    case 'export':
      return `/projects/${e(page.groupId)}/clusters/${e(page.clusterName)}/exports/${e(page.exportId)}`;
  }
}

/** The path below Atlas's API prefix (no host: the upstream's address is nobody's business here). */
export function apiPath(href: string | undefined): string | undefined {
  if (!href) return undefined;
  let url: URL;
  try {
    url = new URL(href, 'https://atlas.invalid');
  } catch {
    return undefined;
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (path !== API_PREFIX && !path.startsWith(`${API_PREFIX}/`)) return undefined;
  return path.slice(API_PREFIX.length);
}
