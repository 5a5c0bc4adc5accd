/**
 * The export-health metrics on `/metrics`, per cluster (labels org, project, cluster: names, bounded by the
 * number of clusters; job ids never become labels), and the watch's own calls, errors and budget use. Every
 * value is read from the watch at scrape time through prom-client's collect() hooks.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { expectedExportMs } from '../export-health/index.ts';
import type { Watch } from '../atlas-watch/watch.ts';

const LABELS = ['org', 'project', 'cluster'] as const;
const sec = (ms: number) => ms / 1000;

export function registerWatchMetrics(registry: Registry, watch: Watch): void {
  const registers = [registry];
  let snap: ReturnType<Watch['snapshot']> | undefined;
  let snapVersion = -1;
  const current = () => {
    if (!snap || snapVersion !== watch.version()) {
      snap = watch.snapshot();
      snapVersion = watch.version();
    }
    return snap;
  };
  /** One per-cluster gauge: reset and refilled from the watch's digests at every scrape. */
  const perCluster = (
    name: string,
    help: string,
    value: (c: ReturnType<Watch['snapshot']>['clusters'][number]) => number | undefined,
  ) =>
    new Gauge({
      name,
      help,
      labelNames: LABELS,
      registers,
      collect() {
        this.reset();
        for (const c of current().clusters) {
          if (!c.clusterName) continue;
          const v = value(c);
          if (v !== undefined) this.labels(c.orgName ?? c.orgId, c.projectName, c.clusterName).set(v);
        }
      },
    });
  perCluster('atlas_export_last_success_timestamp_seconds', 'When the newest successful export job finished', (c) => {
    const s = c.jobs?.lastSuccess;
    const at = s?.finishedAt ?? s?.createdAt;
    return at === undefined ? undefined : sec(at);
  });
  new Gauge({
    name: 'atlas_export_jobs',
    help: 'Export jobs queued or in progress now',
    labelNames: [...LABELS, 'state'],
    registers,
    collect() {
      this.reset();
      for (const c of current().clusters) {
        if (!c.clusterName || !c.jobs) continue;
        const l = [c.orgName ?? c.orgId, c.projectName, c.clusterName] as const;
        this.labels(...l, 'Queued').set(c.jobs.active.filter((j) => j.state === 'Queued').length);
        this.labels(...l, 'InProgress').set(c.jobs.active.filter((j) => j.state === 'InProgress').length);
      }
    },
  });
  perCluster('atlas_export_failed_jobs', 'Failed export jobs created in the last 30 days (newest page)', (c) =>
    c.jobs ? c.jobs.failures.length : undefined,
  );
  perCluster('atlas_export_expected_interval_seconds', 'Export cadence from the backup schedule (auto-export)', (c) => {
    const ms = expectedExportMs(c.schedule);
    return ms === undefined ? undefined : sec(ms);
  });
  perCluster('atlas_export_auto_export_enabled', 'Whether the backup schedule exports snapshots automatically', (c) =>
    c.schedule ? (c.schedule.autoExportEnabled ? 1 : 0) : undefined,
  );
  perCluster('atlas_export_last_check_timestamp_seconds', 'When the watch last read this cluster successfully', (c) =>
    c.checkedAt === undefined ? undefined : sec(c.checkedAt),
  );
  perCluster(
    'atlas_export_check_failing',
    '1 while the last check of this cluster failed (figures are the last good)',
    (c) => (c.clusterName && c.backupEnabled ? (c.error ? 1 : 0) : undefined),
  );

  const reported = new Map<string, number>();
  new Counter({
    name: 'atlas_export_watch_calls_total',
    help: 'Atlas calls made by the watch, by operation and result (2xx, 4xx, 429, 5xx, error)',
    labelNames: ['operation', 'result'],
    registers,
    collect() {
      for (const [key, n] of watch.counters.calls) {
        const before = reported.get(key) ?? 0;
        if (n === before) continue;
        const [operation, result] = key.split(' ');
        this.labels(operation!, result!).inc(n - before);
        reported.set(key, n);
      }
    },
  });
  let errorsReported = 0;
  new Counter({
    name: 'atlas_export_watch_errors_total',
    help: 'Watch calls that Atlas refused or failed (rate limits and outages included)',
    registers,
    collect() {
      this.inc(watch.counters.errors - errorsReported);
      errorsReported = watch.counters.errors;
    },
  });
  new Gauge({
    name: 'atlas_export_watch_project_budget_use_ratio',
    help: 'Highest share of its per-project call budget any project used in the last minute',
    registers,
    collect() {
      let max = 0;
      for (const u of watch.pacing.usage().values()) max = Math.max(max, u.used / u.limit);
      this.set(max);
    },
  });
  new Gauge({
    name: 'atlas_export_watch_calls_last_minute',
    help: 'Calls the watch made in the last minute, over all projects',
    registers,
    collect() {
      let n = 0;
      for (const u of watch.pacing.usage().values()) n += u.used;
      this.set(n);
    },
  });
  new Gauge({
    name: 'atlas_export_watch_clusters',
    help: 'Clusters with backup on that the watch knows, and how many it has checked since it started',
    labelNames: ['state'],
    registers,
    collect() {
      const p = current().progress;
      this.labels('known').set(p.clusters);
      this.labels('checked').set(p.checked);
    },
  });
  new Gauge({
    name: 'atlas_export_watch_atlas_up',
    help: '0 while Atlas is failing, rate limiting the watch, or refusing its credentials',
    registers,
    collect() {
      this.set(current().atlas.state === 'ok' ? 1 : 0);
    },
  });
}
