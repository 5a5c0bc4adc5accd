import type { FleetRow } from './rows.ts';

export const FLEET_SHOWS = ['failing', 'stale', 'running', 'backup-off', 'outdated'] as const;
export type FleetShow = (typeof FLEET_SHOWS)[number];
export const FLEET_SORT_KEYS = [
  'org',
  'project',
  'cluster',
  'lastSuccess',
  'running',
  'failures',
  'total',
  'checked',
] as const;
export type FleetSortKey = (typeof FLEET_SORT_KEYS)[number];
export interface FleetSort {
  key: FleetSortKey;
  desc: boolean;
}
/** The filters rows are kept by (the URL's, in the browser). */
export interface FleetFilter {
  org?: string;
  project?: string;
  show?: FleetShow;
  q?: string;
}

/** One collator for every comparison: `localeCompare` builds one per call, the cost of sorting 6,000 rows. */
const collator = new Intl.Collator();
const compare = collator.compare;

const byName = (a: FleetRow, b: FleetRow) =>
  compare(a.orgName ?? a.orgId, b.orgName ?? b.orgId) ||
  compare(a.projectName, b.projectName) ||
  compare(a.clusterName ?? '', b.clusterName ?? '');

/** Oldest last success first among equals: the longer without a good export, the more it needs a look. */
const byAge = (a: FleetRow, b: FleetRow) => (a.lastSuccessAt ?? -Infinity) - (b.lastSuccessAt ?? -Infinity);

/**
 * Needs attention first: failures in the window (most first), refused by Atlas, stale (oldest first), running,
 * healthy, still loading, backup off; names break ties so the order never flickers between refreshes.
 */
export function attentionOrder(a: FleetRow, b: FleetRow): number {
  return (
    a.rank - b.rank ||
    b.failures.length - a.failures.length ||
    (a.rank === 2 ? byAge(a, b) : 0) ||
    b.running + b.queued - (a.running + a.queued) ||
    byName(a, b)
  );
}

const VALUE: Record<FleetSortKey, (r: FleetRow) => string | number | undefined> = {
  org: (r) => r.orgName ?? r.orgId,
  project: (r) => r.projectName,
  cluster: (r) => r.clusterName,
  lastSuccess: (r) => r.lastSuccessAt,
  running: (r) => r.running + r.queued,
  failures: (r) => (r.backupEnabled && !r.problem ? r.failures.length : undefined),
  total: (r) => r.total,
  checked: (r) => r.checkedAt,
};

/** Sorted by a column; rows without a value (loading, refused, backup off) go last either way. */
export function sortRows(rows: readonly FleetRow[], sort: FleetSort | undefined): FleetRow[] {
  if (!sort) return [...rows].sort(attentionOrder);
  const value = VALUE[sort.key];
  const dir = sort.desc ? -1 : 1;
  return [...rows].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === vb) return attentionOrder(a, b);
    if (va === undefined) return 1;
    if (vb === undefined) return -1;
    const cmp = typeof va === 'string' && typeof vb === 'string' ? compare(va, vb) : va < vb ? -1 : 1;
    return cmp * dir || attentionOrder(a, b);
  });
}

export function isStale(r: FleetRow): boolean {
  return r.backupEnabled && !r.problem && (r.freshness === 'stale' || r.freshness === 'old' || r.freshness === 'never');
}

export const SHOW_TEST: Record<FleetShow, (r: FleetRow) => boolean> = {
  failing: (r) => r.failures.length > 0,
  stale: isStale,
  running: (r) => r.running + r.queued > 0,
  'backup-off': (r) => !r.backupEnabled,
  outdated: (r) => r.outdated,
};

/** The rows the URL's filters keep. Org and project filters also narrow what the tiles count. */
export function scopeRows(rows: readonly FleetRow[], search: FleetFilter): FleetRow[] {
  return rows.filter(
    (r) => (!search.org || r.orgId === search.org) && (!search.project || r.groupId === search.project),
  );
}

const textCache = new WeakMap<object, string>();
/** Names and the failures' reasons, lower-cased once per cluster digest. */
function searchText(r: FleetRow): string {
  const holder = r.jobs ?? r;
  let t = textCache.get(holder);
  if (t === undefined) {
    const reasons = (r.jobs?.failures ?? []).map((f) => f.reason ?? '').join('\n');
    t = `${r.clusterName ?? ''}\n${r.projectName}\n${r.orgName ?? ''}\n${reasons}`.toLowerCase();
    textCache.set(holder, t);
  }
  return t;
}

/**
 * The rows the filters keep. `idHits`: keys of the clusters holding a job or snapshot whose id is the query
 * (the watch looks ids up; rows do not carry them).
 */
export function filterRows(rows: readonly FleetRow[], search: FleetFilter, idHits?: ReadonlySet<string>): FleetRow[] {
  const needle = search.q?.trim().toLowerCase();
  const show = search.show ? SHOW_TEST[search.show] : undefined;
  return rows.filter(
    (r) => (!show || show(r)) && (!needle || searchText(r).includes(needle) || idHits?.has(r.key) === true),
  );
}

export interface FleetSummary {
  watched: number;
  failing: number;
  stale: number;
  running: number;
  backupOff: number;
  refused: number;
  loading: number;
  outdated: number;
}

export function summarize(rows: readonly FleetRow[]): FleetSummary {
  const s: FleetSummary = {
    watched: 0,
    failing: 0,
    stale: 0,
    running: 0,
    backupOff: 0,
    refused: 0,
    loading: 0,
    outdated: 0,
  };
  for (const r of rows) {
    if (r.clusterName !== undefined) s.watched++;
    if (SHOW_TEST.failing(r)) s.failing++;
    if (isStale(r)) s.stale++;
    if (SHOW_TEST.running(r)) s.running++;
    if (!r.backupEnabled) s.backupOff++;
    if (r.problem && !r.problem.transient) s.refused++;
    if (r.loading) s.loading++;
    if (r.outdated) s.outdated++;
  }
  return s;
}
