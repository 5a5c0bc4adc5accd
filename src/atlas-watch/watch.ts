/**
 * The watch: polls Atlas once for everyone. It discovers organizations, projects and clusters, reads each
 * cluster's newest export jobs on an adaptive schedule and its backup schedule now and then, within a budget per
 * project and a global ceiling, and keeps a compact digest per cluster. It runs beside the proxy, never in a
 * request's path: `/api/fleet` and `/metrics` only read what it holds.
 */
import {
  operation,
  type BackupSchedule,
  type Cluster,
  type ExportJob,
  type Group,
  type OperationId,
} from '../atlas/index.ts';
import {
  digestJobs,
  digestSchedule,
  type ClusterHealth,
  type FleetSnapshot,
  type WatchError,
} from '../export-health/index.ts';
import { isObject, isPage, pathFor, readJson, type AtlasReader, type Read } from './atlas-reader.ts';
import { Pacing } from './pacing.ts';
import { loadState, saveState, saveStateSync, type SavedState } from './state-file.ts';
import { DEFAULT_WATCH_SETTINGS, type WatchSettings } from './settings.ts';

interface ClusterState {
  health: ClusterHealth;
  ids: string[];
  nextCheckAt: number;
  nextScheduleAt: number;
  /** Consecutive failed checks, for the back-off. */
  strikes: number;
  busy: boolean;
  /** Problems first at a cold start: clusters that had failures or errors. */
  urgent: boolean;
}

interface ProjectState {
  id: string;
  name: string;
  orgId: string;
  nextListAt: number;
  listed: boolean;
  strikes: number;
  busy: boolean;
  error?: WatchError;
}

export interface WatchCounters {
  /** Calls by operation and outcome class (`2xx`, `4xx`, `429`, `5xx`, `error`). */
  calls: Map<string, number>;
  errors: number;
  passes: number;
}

export interface Watch {
  start(): void;
  stop(): Promise<void>;
  snapshot(): FleetSnapshot;
  /** Changes whenever anything the snapshot holds changes (for ETags). */
  version(): number;
  /** Clusters holding a job or snapshot with this id. */
  find(id: string): { groupId: string; clusterName: string }[];
  counters: WatchCounters;
  pacing: Pacing;
  settings: WatchSettings;
}

const MAX_PAGE = 500;
/** A schedule not due before the cluster's first check (a finite number: the state file is JSON). */
const NOT_YET = Number.MAX_SAFE_INTEGER;
const MAX_PAGES = 20;
const MINUTE = 60_000;
/** Consecutive server-side failures before Atlas counts as failing (one flaky answer is not an outage). */
const FAILING_AFTER = 3;

export function createWatch(opts: {
  read: AtlasReader;
  settings?: Partial<WatchSettings>;
  now?: () => number;
  random?: () => number;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
  /** Where the watch keeps its state across restarts (DATA_DIR/watch-state.json); none: start afresh. */
  stateFile?: string;
}): Watch {
  const s: WatchSettings = { ...DEFAULT_WATCH_SETTINGS, ...opts.settings };
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const pacing = new Pacing(s.maxCallsPerMin, s.projectCallsPerMin, now);
  const counters: WatchCounters = { calls: new Map(), errors: 0, passes: 0 };
  const orgs = new Map<string, string>();
  const projects = new Map<string, ProjectState>();
  const clusters = new Map<string, ClusterState>();
  let startedAt = now();
  let nextDiscoveryAt = 0;
  let discovering = false;
  let discovered = false;
  let inFlight = 0;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let version = 1;
  let atlas: FleetSnapshot['atlas'] = { state: 'ok' };
  /** Consecutive server-side failures per operation: one endpoint failing is an outage even while others answer. */
  const streaks = new Map<OperationId, { n: number; since: number; status: number; message: string }>();
  let credentialStrikes = 0;
  /** A 429 shows until its Retry-After has passed. */
  let limitedUntil = 0;
  const tasks = new Set<Promise<void>>();
  let saveTimer: NodeJS.Timeout | undefined;
  let savedVersion = 0;
  let saving = false;
  const changed = () => void version++;
  const jitter = (ms: number) => Math.round(ms * (0.9 + random() * 0.2));

  function count(op: OperationId, status: number): void {
    const cls = status === 0 ? 'error' : status === 429 ? '429' : `${Math.floor(status / 100)}xx`;
    const key = `${op} ${cls}`;
    counters.calls.set(key, (counters.calls.get(key) ?? 0) + 1);
  }

  /** Waits for the budget, then reads. Returns undefined when the watch stopped meanwhile. */
  async function call<T>(
    op: OperationId,
    groupId: string | undefined,
    path: string,
    check: (v: unknown) => v is T,
  ): Promise<Read<T> | undefined> {
    for (;;) {
      if (!running) return undefined;
      const wait = pacing.waitMs(groupId);
      if (wait <= 0) break;
      await sleep(Math.min(wait, 1_000));
    }
    pacing.take(groupId);
    const r = await readJson(opts.read, path, check);
    count(op, r.ok ? 200 : r.status);
    observe(op, r, groupId, operation(op).rateLimit.scope);
    return r;
  }

  /** What every answer says about Atlas as a whole: rate limits, credentials, outages. */
  function observe(op: OperationId, r: Read<unknown>, groupId: string | undefined, scope: string): void {
    const t = now();
    const limit = Number(r.headers['ratelimit-limit']);
    const remaining = Number(r.headers['ratelimit-remaining']);
    if (groupId && r.headers['ratelimit-remaining'] !== undefined) pacing.remaining(groupId, remaining, limit);
    if (r.ok || (r.status >= 400 && r.status < 500 && r.status !== 429 && r.status !== 401)) {
      streaks.delete(op);
      credentialStrikes = 0;
      return updateAtlas(t);
    }
    counters.errors++;
    const retryMs = retryAfter(r.headers['retry-after']);
    if (r.status === 429) {
      // The proxy's own bucket (PROXY_RATE_LIMITED) or Atlas's; either way wait it out, in the scope it names.
      const ms = retryMs ?? 10_000;
      if (groupId && scope === 'GROUP') pacing.pauseProject(groupId, ms);
      else pacing.pauseAll(ms);
      if (r.code !== 'PROXY_RATE_LIMITED') {
        limitedUntil = Math.max(limitedUntil, t + ms);
        setAtlas({ state: 'rate-limited', status: 429, message: r.detail }, t);
      }
      return;
    }
    if (r.code === 'UPSTREAM_AUTH' || r.code === 'TOKEN_ERROR' || r.status === 401) {
      // Never add to a token storm: every call waits, doubling from 30 s to 10 min, or Atlas's Retry-After.
      credentialStrikes++;
      pacing.pauseAll(retryMs ?? Math.min(600_000, 30_000 * 2 ** (credentialStrikes - 1)));
      setAtlas({ state: 'credentials', status: r.status, message: r.detail }, t);
      return;
    }
    if (r.code === 'PROXY_BUSY') return;
    const streak = streaks.get(op) ?? { n: 0, since: t, status: r.status, message: r.detail };
    streaks.set(op, { ...streak, n: streak.n + 1, status: r.status, message: r.detail });
    if (retryMs !== undefined) pacing.pauseAll(Math.min(retryMs, 60_000));
    updateAtlas(t);
  }

  /** Failing while any operation keeps failing; rate limited until Retry-After; credentials until a success. */
  function updateAtlas(t: number): void {
    let worst: { since: number; status: number; message: string } | undefined;
    for (const s of streaks.values()) if (s.n >= FAILING_AFTER && (!worst || s.since < worst.since)) worst = s;
    if (worst) return setAtlas({ state: 'failing', status: worst.status, message: worst.message }, worst.since);
    if (atlas.state === 'credentials' && credentialStrikes > 0) return;
    if (atlas.state === 'rate-limited' && t < limitedUntil) return;
    if (atlas.state !== 'ok') {
      atlas = { state: 'ok' };
      changed();
    }
  }

  function setAtlas(next: Omit<FleetSnapshot['atlas'], 'since'>, since: number): void {
    if (atlas.state === next.state && atlas.status === next.status) return;
    atlas = { ...next, since: atlas.state === next.state ? (atlas.since ?? since) : since };
    changed();
  }

  function errorOf(r: Extract<Read<unknown>, { ok: false }>, op: OperationId): WatchError {
    const t = now();
    const transient = !(r.status === 403 || r.status === 404 || r.status === 401 || r.status === 400);
    const role = operation(op).role;
    const reason =
      r.status === 403
        ? role
          ? `No access: needs the ${role} role`
          : 'No access (403)'
        : r.status === 404
          ? 'Not found: deleted or renamed?'
          : r.status === 429
            ? 'Atlas is rate limiting: waiting for it'
            : r.code === 'UPSTREAM_AUTH'
              ? 'Atlas rejected the dashboard’s credentials'
              : `Atlas unavailable (${r.status || 'no answer'}): retrying`;
    return { status: r.status, reason, at: t, transient };
  }

  async function discover(): Promise<void> {
    const groups: (Group & { id: string })[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const r = await call(
        'listGroups',
        undefined,
        pathFor('listGroups', {}, { itemsPerPage: MAX_PAGE, pageNum: page }),
        isPage<Group>,
      );
      if (!r) return;
      if (!r.ok) {
        nextDiscoveryAt = now() + Math.min(s.discoveryMs, 15_000);
        return;
      }
      for (const g of r.value.results) if (g.id && g.orgId) groups.push(g as Group & { id: string });
      if (r.value.results.length < MAX_PAGE) break;
    }
    const o = await call(
      'listOrgs',
      undefined,
      pathFor('listOrgs', {}, { itemsPerPage: MAX_PAGE }),
      isPage<{ id?: string; name?: string }>,
    );
    if (o?.ok) for (const org of o.value.results) if (org.id && org.name) orgs.set(org.id, org.name);
    const seen = new Set<string>();
    for (const g of groups) {
      seen.add(g.id);
      const p = projects.get(g.id);
      if (p) {
        p.name = g.name;
        p.orgId = g.orgId;
      } else
        projects.set(g.id, {
          id: g.id,
          name: g.name,
          orgId: g.orgId,
          nextListAt: 0,
          listed: false,
          strikes: 0,
          busy: false,
        });
    }
    for (const id of [...projects.keys()])
      if (!seen.has(id)) {
        projects.delete(id);
        pacing.forget(id);
        for (const [key, c] of clusters) if (c.health.groupId === id) clusters.delete(key);
      }
    discovered = true;
    nextDiscoveryAt = now() + jitter(s.discoveryMs);
    changed();
  }

  async function listClusters(p: ProjectState): Promise<void> {
    const list: Cluster[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const path = pathFor('listGroupClusters', { groupId: p.id }, { itemsPerPage: MAX_PAGE, pageNum: page });
      const r = await call('listGroupClusters', p.id, path, isPage<Cluster>);
      if (!r) return;
      if (!r.ok && isLocalRefusal(r)) {
        p.nextListAt = now() + 1_000;
        return;
      }
      if (!r.ok) {
        p.error = errorOf(r, 'listGroupClusters');
        p.strikes++;
        p.listed = true;
        p.nextListAt =
          now() + (p.error.transient ? Math.min(s.discoveryMs, 15_000 * 2 ** (p.strikes - 1)) : jitter(s.discoveryMs));
        for (const c of clusters.values()) if (c.health.groupId === p.id) c.health.error = p.error;
        changed();
        return;
      }
      list.push(...r.value.results);
      if (r.value.results.length < MAX_PAGE) break;
    }
    const t = now();
    const refused = p.error;
    p.error = undefined;
    p.strikes = 0;
    p.listed = true;
    p.nextListAt = t + jitter(s.discoveryMs);
    const names = new Set<string>();
    for (const c of list) {
      if (!c.name) continue;
      names.add(c.name);
      const key = `${p.id}/${c.name}`;
      const backupEnabled = c.backupEnabled !== false;
      const known = clusters.get(key);
      if (known) {
        Object.assign(known.health, { backupEnabled, clusterType: c.clusterType, projectName: p.name, orgId: p.orgId });
        // The project's refusal is over: its clusters' figures are current again once checked.
        if (refused && known.health.error === refused) {
          known.health.error = undefined;
          known.nextCheckAt = Math.min(known.nextCheckAt, t);
        }
        continue;
      }
      clusters.set(key, {
        health: {
          orgId: p.orgId,
          groupId: p.id,
          projectName: p.name,
          clusterName: c.name,
          clusterType: c.clusterType,
          backupEnabled,
        },
        ids: [],
        nextCheckAt: t,
        // Every cluster's jobs first; its schedule (which only refines freshness) once they have been read.
        nextScheduleAt: NOT_YET,
        strikes: 0,
        busy: false,
        urgent: false,
      });
    }
    for (const [key, c] of clusters)
      if (c.health.groupId === p.id && !names.has(c.health.clusterName ?? '')) clusters.delete(key);
    changed();
  }

  async function checkExports(c: ClusterState): Promise<void> {
    const h = c.health;
    const params = { groupId: h.groupId, clusterName: h.clusterName! };
    const path = pathFor('listGroupClusterBackupExports', params, { itemsPerPage: MAX_PAGE, pageNum: 1 });
    const r = await call('listGroupClusterBackupExports', h.groupId, path, isPage<ExportJob>);
    if (!r) return;
    const t = now();
    if (!clusters.has(`${h.groupId}/${h.clusterName}`)) return;
    if (r.ok) {
      const digest = digestJobs(r.value.results, r.value.totalCount, t);
      const { ids, ...jobs } = digest;
      c.ids = ids;
      h.jobs = jobs;
      h.checkedAt = t;
      h.error = undefined;
      c.strikes = 0;
      c.urgent = false;
      c.nextCheckAt = t + jitter(jobs.active.length > 0 ? s.activeMs : s.idleMs);
      // Later than every cluster still waiting for its first check (those are due since their discovery).
      if (c.nextScheduleAt === NOT_YET) c.nextScheduleAt = t + 1_000;
    } else if (isLocalRefusal(r)) {
      // The dashboard's own gate said "not now" (its inbound bucket, its memory budget): not Atlas's answer.
      c.nextCheckAt = t + 1_000;
    } else {
      h.error = errorOf(r, 'listGroupClusterBackupExports');
      c.strikes++;
      // When it is due again, it goes before clusters whose figures are current.
      c.urgent = true;
      c.nextCheckAt =
        t +
        (h.error.transient
          ? Math.min(s.idleMs, Math.max(s.activeMs, 15_000) * 2 ** (c.strikes - 1))
          : jitter(s.idleMs));
    }
    changed();
  }

  async function readSchedule(c: ClusterState): Promise<void> {
    const h = c.health;
    const path = pathFor('getGroupClusterBackupSchedule', { groupId: h.groupId, clusterName: h.clusterName! });
    const r = await call('getGroupClusterBackupSchedule', h.groupId, path, (v): v is BackupSchedule => isObject(v));
    if (!r) return;
    const t = now();
    if (r.ok) {
      h.schedule = digestSchedule(r.value, t);
      c.nextScheduleAt = t + jitter(s.scheduleMs);
      changed();
    } else if (isLocalRefusal(r)) c.nextScheduleAt = t + 1_000;
    else
      c.nextScheduleAt =
        t +
        (errorOf(r, 'getGroupClusterBackupSchedule').transient ? Math.min(s.scheduleMs, 60_000) : jitter(s.scheduleMs));
  }

  let relistTurn = true;
  function listTask(p: ProjectState): () => Promise<void> {
    p.busy = true;
    return () => listClusters(p).finally(() => (p.busy = false));
  }

  /** The next piece of work that may start now: discovery, a project's cluster list, then the most overdue cluster. */
  function nextTask(): (() => Promise<void>) | undefined {
    const t = now();
    if (!discovering && t >= nextDiscoveryAt) {
      discovering = true;
      return () => discover().finally(() => (discovering = false));
    }
    if (!discovered) return undefined;
    // A project never listed goes first; a re-list takes turns with cluster checks, so that at a tight budget
    // discovery never starves the checks.
    let relist: ProjectState | undefined;
    for (const p of projects.values()) {
      if (p.busy || t < p.nextListAt || pacing.waitMs(p.id) > 0) continue;
      if (!p.listed) return listTask(p);
      relist ??= p;
    }
    if (relist && relistTurn) {
      relistTurn = false;
      return listTask(relist);
    }
    relistTurn = true;
    let best: ClusterState | undefined;
    let bestAt = Infinity;
    let schedule = false;
    for (const c of clusters.values()) {
      const h = c.health;
      if (c.busy || !h.backupEnabled || !h.clusterName) continue;
      const p = projects.get(h.groupId);
      if (p?.error && !p.error.transient) continue;
      const due = Math.min(c.nextCheckAt, c.nextScheduleAt);
      if (due > t) continue;
      const at = due - (c.urgent ? 3_600_000 : 0);
      if (at >= bestAt || pacing.waitMs(h.groupId) > 0) continue;
      best = c;
      bestAt = at;
      schedule = c.nextScheduleAt <= t && c.nextScheduleAt < c.nextCheckAt;
    }
    if (!best) return relist ? listTask(relist) : undefined;
    const c = best;
    c.busy = true;
    return () => (schedule ? readSchedule(c) : checkExports(c)).finally(() => (c.busy = false));
  }

  function pump(): void {
    timer = undefined;
    if (!running) return;
    while (inFlight < s.concurrency) {
      if (pacing.waitMs(undefined) > 0) break;
      const task = nextTask();
      if (!task) break;
      inFlight++;
      const p = task()
        .catch((err: unknown) => opts.log?.('watch task failed', { err: String(err) }))
        .finally(() => {
          inFlight--;
          tasks.delete(p);
          schedulePump(0);
        });
      tasks.add(p);
    }
    schedulePump(Math.max(20, Math.min(1_000, pacing.waitMs(undefined) || 250)));
  }

  function schedulePump(ms: number): void {
    if (!running || timer) return;
    timer = setTimeout(pump, ms);
    timer.unref?.();
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(1, ms)).unref?.());
  }

  let passedOnce = false;
  function progress(): FleetSnapshot['progress'] {
    let checked = 0;
    let total = 0;
    for (const c of clusters.values()) {
      if (!c.health.backupEnabled) continue;
      total++;
      const p = projects.get(c.health.groupId);
      if (c.health.checkedAt !== undefined || c.health.error || (p?.error && !p.error.transient)) checked++;
    }
    let listed = 0;
    for (const p of projects.values()) if (p.listed) listed++;
    const firstPassDone = discovered && listed === projects.size && checked === total;
    if (firstPassDone) passedOnce = true;
    return { firstPassDone, passedOnce, checked, clusters: total, projects: projects.size, projectsListed: listed };
  }

  let passDone = false;
  function snapshot(): FleetSnapshot {
    const prog = progress();
    if (prog.firstPassDone && !passDone) {
      passDone = true;
      counters.passes++;
    }
    const rows: ClusterHealth[] = [];
    const withClusters = new Set<string>();
    for (const c of clusters.values()) {
      const orgName = orgs.get(c.health.orgId);
      rows.push(orgName ? { ...c.health, orgName } : { ...c.health });
      withClusters.add(c.health.groupId);
    }
    // A project whose clusters are unknown (not listed yet, or refused) still has a row saying so.
    for (const p of projects.values()) {
      if (withClusters.has(p.id)) continue;
      if (p.listed && !p.error) continue;
      const orgName = orgs.get(p.orgId);
      rows.push({
        orgId: p.orgId,
        ...(orgName ? { orgName } : {}),
        groupId: p.id,
        projectName: p.name,
        backupEnabled: true,
        ...(p.error ? { error: p.error } : {}),
      });
    }
    return {
      generatedAt: now(),
      startedAt,
      intervals: { activeMs: s.activeMs, idleMs: s.idleMs },
      atlas,
      progress: prog,
      orgs: [...orgs].map(([id, name]) => ({ id, name })),
      projects: [...projects.values()].map((p) => ({
        id: p.id,
        name: p.name,
        orgId: p.orgId,
        ...(p.error ? { error: p.error } : {}),
      })),
      clusters: rows,
    };
  }

  function saved(): SavedState {
    return {
      format: 1,
      savedAt: now(),
      orgs: [...orgs],
      projects: [...projects.values()].map((p) => ({
        id: p.id,
        name: p.name,
        orgId: p.orgId,
        nextListAt: p.nextListAt,
        ...(p.error ? { error: p.error } : {}),
      })),
      clusters: [...clusters.values()].map((c) => ({
        health: c.health,
        ids: c.ids,
        nextCheckAt: c.nextCheckAt,
        nextScheduleAt: c.nextScheduleAt,
      })),
      calls: pacing.calls(),
    };
  }

  /** A restart resumes: digests shown at once, each cluster due when it was, problems first, budgets kept. */
  function restore(state: SavedState): void {
    for (const [id, name] of state.orgs) orgs.set(id, name);
    for (const p of state.projects) projects.set(p.id, { ...p, listed: true, strikes: 0, busy: false });
    for (const c of state.clusters) {
      if (!c.health.clusterName) continue;
      const urgent = c.health.error !== undefined || (c.health.jobs?.failures.length ?? 0) > 0;
      clusters.set(`${c.health.groupId}/${c.health.clusterName}`, { ...c, strikes: 0, busy: false, urgent });
    }
    pacing.restore(state.calls);
    discovered = projects.size > 0;
    changed();
  }

  function persist(): void {
    const file = opts.stateFile;
    if (!file || saving || savedVersion === version) return;
    saving = true;
    const v = version;
    saveState(file, saved())
      .then(
        () => (savedVersion = v),
        (err: unknown) => opts.log?.('could not save the watch state', { err: String(err) }),
      )
      .finally(() => (saving = false));
  }

  return {
    start() {
      if (running) return;
      running = true;
      startedAt = now();
      const state = opts.stateFile ? loadState(opts.stateFile, now()) : undefined;
      if (state) restore(state);
      if (opts.stateFile) {
        saveTimer = setInterval(persist, 30_000);
        saveTimer.unref?.();
      }
      schedulePump(0);
    },
    /** Stops taking work; waits briefly for calls in flight (shutdown aborts whatever is left). */
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      clearInterval(saveTimer);
      await Promise.race([Promise.allSettled([...tasks]), sleep(1_000)]);
      if (opts.stateFile) {
        try {
          saveStateSync(opts.stateFile, saved());
        } catch (err) {
          opts.log?.('could not save the watch state', { err: String(err) });
        }
      }
    },
    snapshot,
    version: () => version,
    find(id) {
      const out: { groupId: string; clusterName: string }[] = [];
      for (const c of clusters.values())
        if (c.ids.includes(id) || c.health.jobs?.lastSuccess?.id === id)
          out.push({ groupId: c.health.groupId, clusterName: c.health.clusterName! });
      return out;
    },
    counters,
    pacing,
    settings: s,
  };
}

/** Refusals by the dashboard's own proxy, before Atlas was asked. */
function isLocalRefusal(r: Read<unknown>): boolean {
  return !r.ok && (r.code === 'PROXY_RATE_LIMITED' || r.code === 'PROXY_BUSY');
}

function retryAfter(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,6}$/.test(value.trim())) return undefined;
  return Number(value.trim()) * 1000;
}

export { MINUTE };
