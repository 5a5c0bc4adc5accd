/**
 * The watch against the simulator over real HTTP, through the real proxy: the budget per project measured where
 * it matters (at the simulator, per project, per minute), a restart in the middle of a pass, Atlas down for a
 * while and back, and credentials Atlas refuses (the watch must not add to a token storm).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetSnapshot } from '../../src/export-health/index.ts';
import type { SavedState } from '../../src/atlas-watch/state-file.ts';
import { SIMULATOR_CREDENTIALS } from '../../src/simulator/credentials.ts';
import { startSimulator, type RunningSimulator } from '../../src/simulator/server.ts';
import { loadConfig } from '../../src/server/config.ts';
import { createLogger, memorySink } from '../../src/server/logger.ts';
import { startServer, type RunningServer } from '../../src/server/start.ts';
import { eventually, simFault } from './support/harness.ts';

interface ProjectStats {
  total: number;
  maxPerMinute: number;
}
interface Stats {
  requests: { byOperation: Record<string, number>; byProject: Record<string, ProjectStats> };
  tokensIssued: number;
}

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

async function sim(): Promise<RunningSimulator> {
  const s = await startSimulator({ rateLimits: false });
  open.push(s);
  return s;
}

/** The dashboard server as `npm start` runs it, with the watch on at test speed. */
async function server(simUrl: string, env: Record<string, string>, dataDir?: string): Promise<RunningServer> {
  const config = loadConfig({
    PORT: '0',
    MONGODB_ATLAS_BASE_URL: simUrl,
    MONGODB_ATLAS_CLIENT_ID: SIMULATOR_CREDENTIALS.clientId,
    MONGODB_ATLAS_CLIENT_SECRET: SIMULATOR_CREDENTIALS.clientSecret,
    PROXY_RETRY_BASE_MS: '20',
    PROXY_MAX_RETRIES: '0',
    PROXY_CACHE_TTL_MS: '0',
    SHUTDOWN_GRACE_MS: '500',
    DATA_DIR: dataDir ?? mkdtempSync(`${tmpdir()}/watch-it-`),
    WATCH: 'on',
    WATCH_ACTIVE_INTERVAL_MS: '500',
    WATCH_IDLE_INTERVAL_MS: '1000',
    WATCH_DISCOVERY_INTERVAL_MS: '2000',
    WATCH_SCHEDULE_INTERVAL_MS: '2000',
    WATCH_MAX_CALLS_PER_MIN: '6000',
    ...env,
  });
  const s = await startServer(config, { logger: createLogger({ level: 'error', sink: memorySink() }) });
  open.push(s);
  return s;
}

const stats = async (simUrl: string) => (await (await fetch(`${simUrl}/__sim/stats`)).json()) as Stats;
const fleet = async (url: string) => (await (await fetch(`${url}/api/fleet`)).json()) as FleetSnapshot;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the watch against the simulator', () => {
  it('never exceeds its per-project budget, measured at the simulator per project per minute', async () => {
    const s = await sim();
    const dash = await server(s.url, { WATCH_PROJECT_CALLS_PER_MIN: '20' });
    await sleep(6_000);
    const byProject = Object.values((await stats(s.url)).requests.byProject);
    const peak = Math.max(...byProject.map((p) => p.maxPerMinute));
    // The busiest project (26 clusters, one of them always running) spends its whole budget, and not one call more.
    expect(peak).toBe(20);
    const f = await fleet(dash.url);
    expect(f.progress.firstPassDone).toBe(false);
    expect(f.progress.checked).toBeGreaterThan(15);
    // The export-health metrics: one series per cluster, named, never a job id as a label.
    const metrics = await (await fetch(`${dash.url}/metrics`)).text();
    const big = f.clusters.find((c) => c.clusterName === 'orders-prod' && c.jobs)!;
    const at = (big.jobs!.lastSuccess!.finishedAt ?? 0) / 1000;
    expect(metrics).toContain(
      `atlas_export_last_success_timestamp_seconds{org="Acme-Payments",project="payments-prod",cluster="orders-prod"} ${at}`,
    );
    expect(metrics).toMatch(/^atlas_export_watch_project_budget_use_ratio 1$/m);
    expect(metrics).toMatch(
      /^atlas_export_jobs\{org="Acme-Payments",project="payments-prod",cluster="orders-prod",state="InProgress"\} [1-9]/m,
    );
    expect(metrics.split('\n').filter((l) => l.startsWith('atlas_export') && /"[a-f0-9]{24}"/.test(l))).toEqual([]);
  }, 20_000);

  it('resumes after a restart mid-pass: rows at once, no cluster checked twice, the budget kept across it', async () => {
    const s = await sim();
    const dir = mkdtempSync(`${tmpdir()}/watch-restart-`);
    // Slow enough that a pass takes minutes; checks never repeat within the test.
    const env = {
      WATCH_PROJECT_CALLS_PER_MIN: '8',
      WATCH_MAX_CALLS_PER_MIN: '120',
      WATCH_CONCURRENCY: '1',
      WATCH_IDLE_INTERVAL_MS: '600000',
      WATCH_ACTIVE_INTERVAL_MS: '600000',
      WATCH_SCHEDULE_INTERVAL_MS: '600000',
      WATCH_DISCOVERY_INTERVAL_MS: '600000',
    };
    const first = await server(s.url, env, dir);
    const mid = await eventually(async () => {
      const f = await fleet(first.url);
      if (f.progress.checked < 6) throw new Error(`checked ${JSON.stringify(f.progress)} ${JSON.stringify(f.atlas)}`);
      return f.progress.checked;
    }, 15_000);
    await first.close();
    open.splice(open.indexOf(first), 1);
    const second = await server(s.url, env, dir);
    // What the first watch knew is on screen before the second one has called Atlas for it.
    const restored = await fleet(second.url);
    expect(restored.progress.checked).toBeGreaterThanOrEqual(mid);
    expect(restored.progress.firstPassDone).toBe(false);
    await eventually(async () => {
      const f = await fleet(second.url);
      if (f.progress.checked < mid + 3) throw new Error(`checked ${f.progress.checked}`);
    }, 15_000);
    await second.close();
    open.splice(open.indexOf(second), 1);
    const after = await stats(s.url);
    // One read of each cluster's jobs over both runs: the second run did not start the pass again. What the
    // watch holds at exit (its saved state) says which clusters it has read.
    const saved = JSON.parse(readFileSync(`${dir}/watch-state.json`, 'utf8')) as SavedState;
    const read = saved.clusters.filter((c) => c.health.checkedAt !== undefined || c.health.error !== undefined);
    expect(after.requests.byOperation.listGroupClusterBackupExports).toBe(read.length);
    for (const p of Object.values(after.requests.byProject)) expect(p.maxPerMinute).toBeLessThanOrEqual(8);
  }, 60_000);

  it('says when Atlas fails, keeps the last good figures marked, and recovers when Atlas does', async () => {
    const s = await sim();
    const dash = await server(s.url, { WATCH_PROJECT_CALLS_PER_MIN: '500' });
    await eventually(async () => {
      if (!(await fleet(dash.url)).progress.firstPassDone) throw new Error('first pass');
    }, 15_000);
    const before = await fleet(dash.url);
    const big = before.clusters.find((c) => c.clusterName === 'orders-prod')!;
    await simFault(s.url, { match: 'listGroupClusterBackupExports', status: 503 });
    const down = await eventually(async () => {
      const f = await fleet(dash.url);
      if (f.atlas.state !== 'failing') throw new Error(f.atlas.state);
      return f;
    }, 10_000);
    expect(down.atlas.status).toBe(503);
    expect(down.atlas.since).toBeGreaterThan(before.generatedAt - 1);
    const marked = down.clusters.find((c) => c.clusterName === 'orders-prod')!;
    // The last good figures stay, with the error and its time.
    expect(marked.jobs?.total).toBe(big.jobs?.total);
    await eventually(async () => {
      const c = (await fleet(dash.url)).clusters.find((x) => x.clusterName === 'orders-prod')!;
      expect(c.error).toMatchObject({ status: 503, transient: true });
    }, 5_000);
    await fetch(`${s.url}/__sim/faults`, { method: 'DELETE' });
    await eventually(async () => {
      const f = await fleet(dash.url);
      expect(f.atlas.state).toBe('ok');
      expect(f.clusters.find((x) => x.clusterName === 'orders-prod')?.error).toBeUndefined();
    }, 20_000);
  }, 60_000);

  it('does not add to a token storm: refused credentials pause every call', async () => {
    const s = await sim();
    await simFault(s.url, { match: 'oauthToken', status: 401 });
    const dash = await server(s.url, { PROXY_TOKEN_BACKOFF_MS: '100' });
    const f = await eventually(async () => {
      const snap = await fleet(dash.url);
      if (snap.atlas.state !== 'credentials') throw new Error(snap.atlas.state);
      return snap;
    }, 10_000);
    expect(f.atlas.message).toContain('credentials');
    const at = (await stats(s.url)).requests.byOperation.oauthToken ?? 0;
    await sleep(3_000);
    // Paused for 30 s (doubling): not one more token request in 3 s, although the proxy's own back-off is 100 ms.
    expect((await stats(s.url)).requests.byOperation.oauthToken ?? 0).toBe(at);
    expect(at).toBeLessThanOrEqual(2);
  }, 20_000);

  it('serves /api/fleet with an ETag (304 when unchanged) and compressed; WATCH=off says so', async () => {
    const s = await sim();
    const dash = await server(s.url, {});
    await eventually(async () => {
      if (!(await fleet(dash.url)).progress.firstPassDone) throw new Error('first pass');
    }, 15_000);
    const first = await fetch(`${dash.url}/api/fleet`, { headers: { 'accept-encoding': 'gzip' } });
    expect(first.headers.get('content-encoding')).toBe('gzip');
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const etag = first.headers.get('etag')!;
    expect(((await first.json()) as FleetSnapshot).clusters.length).toBeGreaterThan(40);
    const again = await fetch(`${dash.url}/api/fleet`, { headers: { 'if-none-match': etag } });
    // Unchanged within the second the body is kept (or changed by a check meanwhile: then a new ETag).
    if (again.status === 200) expect(again.headers.get('etag')).not.toBe(etag);
    else expect(again.status).toBe(304);
    const found = (await (await fetch(`${dash.url}/api/fleet/find?id=nothex`)).json()) as { errorCode: string };
    expect(found.errorCode).toBe('INVALID_QUERY_PARAMETER');
    const off = await server(s.url, { WATCH: 'off' });
    const res = await fetch(`${off.url}/api/fleet`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { errorCode: string }).errorCode).toBe('WATCH_OFF');
  }, 30_000);
});
