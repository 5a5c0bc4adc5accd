/**
 * Alert events derived from the watch's digests. Each event has a stable identity (`id`), so it is sent once per
 * channel however often the watch's snapshot is read, and an incident key (`incident`), shared by the event that
 * opens a problem and the *recovered* event that closes it (PagerDuty's `dedup_key`).
 *
 * The detector keeps, per cluster, the failed jobs it has already seen and the problems it has open; a cluster seen
 * for the first time is a baseline: its old failures and present conditions are recorded, not sent.
 */
import { expectedExportMs, type ClusterHealth, type CompactJob, type FleetSnapshot } from '../export-health/index.ts';

export type EventKind = 'failed' | 'stuck' | 'overdue' | 'recovered';
export const EVENT_KINDS: readonly EventKind[] = ['failed', 'stuck', 'overdue', 'recovered'];

export interface AlertEvent {
  /** Stable identity: the same problem seen twice is the same id. */
  id: string;
  kind: EventKind;
  /** The incident this event opens or (recovered) resolves. */
  incident: string;
  /** For recovered: the incidents it resolves. */
  resolves?: string[];
  at: number;
  summary: string;
  orgId: string;
  orgName?: string;
  groupId: string;
  projectName: string;
  clusterName: string;
  jobId?: string;
  snapshotId?: string;
  bucketId?: string;
  prefix?: string;
  reasonCode?: string;
  reason?: string;
  /** The job (or the cluster's exports) in the dashboard. */
  link: string;
}

export interface Thresholds {
  /** A job Queued longer than this is stuck. */
  queuedMs: number;
  /** A job InProgress with no change in exportedCollections for this long is stuck. */
  stalledMs: number;
  /** Expected interval between successes for clusters with no auto-export schedule. */
  overdueMs: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  queuedMs: 30 * 60_000,
  stalledMs: 60 * 60_000,
  overdueMs: 26 * 3_600_000,
};

interface ClusterMemory {
  /** Failed job ids already seen (sent, or present at the baseline). */
  failed: string[];
  /** When the detector first saw the cluster checked (the start of "overdue" for a cluster never exported). */
  firstSeen: number;
  lastSuccessId?: string;
  /** Stuck jobs already reported. */
  stuck: string[];
  /** Per running job: exportedCollections and when it last changed. */
  progress: Record<string, { exported: number; since: number }>;
  /** Open incidents of this cluster: incident key -> kind. */
  open: Record<string, EventKind>;
}

export interface DetectorState {
  format: 1;
  clusters: Record<string, ClusterMemory>;
}

export const emptyDetectorState = (): DetectorState => ({ format: 1, clusters: {} });

const MAX_FAILED_KEPT = 200;

export function jobLink(base: string, groupId: string, clusterName: string, jobId?: string): string {
  const root = `${base.replace(/\/+$/, '')}/projects/${encodeURIComponent(groupId)}/clusters/${encodeURIComponent(clusterName)}/exports`;
  return jobId ? `${root}/${encodeURIComponent(jobId)}` : root;
}

/**
 * Compares the watch's snapshot with what the detector remembers and returns the new events. Mutates `state`.
 * Only clusters the watch has read successfully (`checkedAt`) are judged; a cluster whose last check failed keeps
 * its open problems unchanged.
 */
export function detect(
  state: DetectorState,
  snap: Pick<FleetSnapshot, 'clusters'>,
  now: number,
  opts: { thresholds: Thresholds; baseUrl: string },
): AlertEvent[] {
  const out: AlertEvent[] = [];
  const present = new Set<string>();
  for (const c of snap.clusters) {
    if (!c.clusterName || !c.jobs || c.checkedAt === undefined) continue;
    const key = `${c.groupId}/${c.clusterName}`;
    present.add(key);
    let mem = state.clusters[key];
    const baseline = !mem;
    mem ??= state.clusters[key] = { failed: [], firstSeen: now, stuck: [], progress: {}, open: {} };
    out.push(...judge(c, mem, baseline, now, opts));
  }
  // A cluster gone from the fleet (deleted) is forgotten; its open incidents stay with the channels.
  for (const key of Object.keys(state.clusters))
    if (!present.has(key) && !snapHas(snap, key)) delete state.clusters[key];
  return out;
}

function snapHas(snap: Pick<FleetSnapshot, 'clusters'>, key: string): boolean {
  return snap.clusters.some((c) => `${c.groupId}/${c.clusterName}` === key);
}

function judge(
  c: ClusterHealth,
  mem: ClusterMemory,
  baseline: boolean,
  now: number,
  opts: { thresholds: Thresholds; baseUrl: string },
): AlertEvent[] {
  const out: AlertEvent[] = [];
  const jobs = c.jobs!;
  const clusterName = c.clusterName!;
  const ck = `${c.groupId}/${clusterName}`;
  const base = {
    orgId: c.orgId,
    ...(c.orgName ? { orgName: c.orgName } : {}),
    groupId: c.groupId,
    projectName: c.projectName,
    clusterName,
  };
  const where = `${c.projectName} / ${clusterName}`;
  const emit = (e: Omit<AlertEvent, keyof typeof base | 'at'>) => {
    if (!baseline) out.push({ ...base, ...e, at: now });
  };

  // Recovered: a new success after a failure or an overdue period resolves both.
  const success = jobs.lastSuccess;
  if (success && success.id !== mem.lastSuccessId) {
    const resolves = Object.entries(mem.open)
      .filter(([, kind]) => kind === 'failed' || kind === 'overdue')
      .map(([k]) => k);
    if (resolves.length > 0 && !baseline) {
      emit({
        id: `recovered:${success.id}`,
        kind: 'recovered',
        incident: resolves[0]!,
        resolves,
        summary: `Export recovered on ${where}: job ${success.id} succeeded`,
        jobId: success.id,
        ...(success.snapshotId ? { snapshotId: success.snapshotId } : {}),
        link: jobLink(opts.baseUrl, c.groupId, clusterName, success.id),
      });
    }
    for (const k of resolves) delete mem.open[k];
    mem.lastSuccessId = success.id;
  }

  // Failed: a job newly seen in Failed, newer than the last success (an old failure already fixed is not news).
  const seen = new Set(mem.failed);
  for (const f of [...jobs.failures].reverse()) {
    if (seen.has(f.id)) continue;
    mem.failed.push(f.id);
    if (success?.createdAt !== undefined && f.createdAt !== undefined && f.createdAt < success.createdAt) continue;
    const incident = `failed:${ck}`;
    if (!baseline) mem.open[incident] = 'failed';
    emit({
      id: `failed:${f.id}`,
      kind: 'failed',
      incident,
      summary: `Export failed on ${where}: ${f.reason ?? f.errorCode ?? 'no reason given'}`,
      ...jobFields(f),
      link: jobLink(opts.baseUrl, c.groupId, clusterName, f.id),
    });
  }
  if (mem.failed.length > MAX_FAILED_KEPT) mem.failed.splice(0, mem.failed.length - MAX_FAILED_KEPT);

  // Stuck: Queued too long, or InProgress with no progress for too long.
  const active = new Set(jobs.active.map((j) => j.id));
  for (const j of jobs.active) {
    let since: number | undefined;
    if (j.state === 'Queued') since = j.createdAt ?? now;
    else {
      const p = mem.progress[j.id];
      const exported = j.exported ?? 0;
      if (!p || p.exported !== exported) mem.progress[j.id] = { exported, since: now };
      since = mem.progress[j.id]!.since;
    }
    const limit = j.state === 'Queued' ? opts.thresholds.queuedMs : opts.thresholds.stalledMs;
    const incident = `stuck:${j.id}`;
    if (now - since >= limit && !mem.stuck.includes(j.id)) {
      mem.stuck.push(j.id);
      if (!baseline) mem.open[incident] = 'stuck';
      const how =
        j.state === 'Queued'
          ? `queued for ${minutes(now - since)}`
          : `no progress for ${minutes(now - since)} (${j.exported ?? 0} of ${j.collections ?? '?'} collections)`;
      emit({
        id: `stuck:${j.id}:${j.state}`,
        kind: 'stuck',
        incident,
        summary: `Export stuck on ${where}: job ${j.id} ${how}`,
        ...jobFields(j),
        link: jobLink(opts.baseUrl, c.groupId, clusterName, j.id),
      });
    }
  }
  // A stuck job that moved on (finished, failed or progressed) closes its incident.
  for (const id of Object.keys(mem.progress)) if (!active.has(id)) delete mem.progress[id];
  for (const id of [...mem.stuck]) {
    const j = jobs.active.find((a) => a.id === id);
    const moving = j && j.state === 'InProgress' && now - (mem.progress[id]?.since ?? 0) < opts.thresholds.stalledMs;
    if (j && !moving) continue;
    mem.stuck = mem.stuck.filter((s) => s !== id);
    const incident = `stuck:${id}`;
    if (mem.open[incident]) {
      delete mem.open[incident];
      emit({
        id: `recovered:${id}:${j ? 'progress' : 'done'}`,
        kind: 'recovered',
        incident,
        resolves: [incident],
        summary: `Export no longer stuck on ${where}: job ${id} ${j ? 'is making progress' : 'left the queue'}`,
        jobId: id,
        link: jobLink(opts.baseUrl, c.groupId, clusterName, id),
      });
    }
  }

  // Overdue: no success within the expected interval (the schedule's cadence plus two days, or the default).
  const every = expectedExportMs(c.schedule);
  const expected = every !== undefined ? every + 2 * 86_400_000 : opts.thresholds.overdueMs;
  const last = success ? (success.finishedAt ?? success.createdAt ?? mem.firstSeen) : mem.firstSeen;
  const overdueKey = `overdue:${ck}`;
  if (now - last > expected && mem.open[overdueKey] === undefined && !jobs.active.length) {
    mem.open[overdueKey] = 'overdue';
    emit({
      id: `overdue:${ck}:${success?.id ?? 'never'}`,
      kind: 'overdue',
      incident: overdueKey,
      summary: `Export overdue on ${where}: ${success ? `last success ${hours(now - last)} ago` : 'no successful export seen'}, expected every ${hours(expected)}`,
      ...(success ? { jobId: success.id } : {}),
      link: jobLink(opts.baseUrl, c.groupId, clusterName),
    });
  }
  return out;
}

function jobFields(j: CompactJob): Partial<AlertEvent> {
  return {
    jobId: j.id,
    ...(j.snapshotId ? { snapshotId: j.snapshotId } : {}),
    ...(j.bucketId ? { bucketId: j.bucketId } : {}),
    ...(j.prefix ? { prefix: j.prefix } : {}),
    ...(j.errorCode ? { reasonCode: j.errorCode } : {}),
    ...(j.reason ? { reason: j.reason } : {}),
  };
}

const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;
const hours = (ms: number) =>
  ms >= 48 * 3_600_000 ? `${Math.round(ms / 86_400_000)} d` : `${Math.round(ms / 3_600_000)} h`;
