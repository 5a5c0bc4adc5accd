/**
 * Soak (`npm run bench -- soak`, ~3.5 min): 500 requests/s for 60 s through the proxy (its own process, service
 * account) against the in-process simulator, open loop (tests/bench/open-loop.ts), over a mix of projects,
 * clusters, export pages and single jobs. Three runs: cache on, cache off, and cache on with faults injected every
 * few seconds. SOAK_SECONDS shortens the runs for a quick look.
 */
import os from 'node:os';
import { mediaType, operation, type OperationId } from '../../src/atlas/index.ts';
import type { ExportJobPage } from '../../src/atlas/types.ts';
import { SIMULATOR_CREDENTIALS as SIM } from '../../src/simulator/credentials.ts';
import { API, bearerClient, token, world } from '../support/sim-client.ts';
import { MissCounter, openLoop, rssMiB, startProxyProcess, startSimulatorProcess, type Target } from './open-loop.ts';
import { faultSchedule, type FaultWindow } from './soak-faults.ts';
import type { BenchSection } from './types.ts';

const RATE = 500;
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const RSS_EVERY_MS = 5_000;
const EXPECTED_IN_FAULTS = new Set([429, 502, 503, 504]);

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const round = (n: number | undefined, d = 1) => (n === undefined ? NaN : Math.round(n * 10 ** d) / 10 ** d);
const target = (id: OperationId, path: string): Target => ({
  path: `${API}${path}`,
  accept: mediaType(operation(id).version),
});

/** About 80 distinct URLs, weighted like the SPA's traffic: mostly export pages and single jobs. */
async function urlMix(simUrl: string): Promise<Target[]> {
  const w = await world(simUrl);
  const { groupId, name } = w.bigCluster;
  const get = bearerClient(simUrl, await token(simUrl));
  const page = (await (
    await get(`${API}/groups/${groupId}/clusters/${name}/backup/exports?itemsPerPage=30`)
  ).json()) as ExportJobPage;
  const exportsOf = (g: string, c: string, n: number, per: number) =>
    target(
      'listGroupClusterBackupExports',
      `/groups/${g}/clusters/${c}/backup/exports?pageNum=${n}&itemsPerPage=${per}&includeCount=true`,
    );
  const mix: Target[] = [target('listGroups', '/groups?itemsPerPage=500')];
  // The world holds a project the credentials have no role on: its 403s would be Atlas's answer, not a proxy fault.
  for (const p of w.projects.filter((p) => p.access !== 'none'))
    mix.push(target('listGroupClusters', `/groups/${p.id}/clusters?itemsPerPage=500`));
  for (const per of [10, 25, 50, 100]) for (let n = 1; n <= 8; n++) mix.push(exportsOf(groupId, name, n, per));
  mix.push(exportsOf(w.shardedCluster.groupId, w.shardedCluster.name, 1, 50));
  for (const job of page.results)
    mix.push(target('getGroupClusterBackupExport', `/groups/${groupId}/clusters/${name}/backup/exports/${job.id}`));
  return mix;
}

interface RunResult {
  row: BenchSection['rows'][number];
  p99: number;
  unexpected: number;
  rssGrowth: number;
}

async function soakRun(
  label: string,
  simUrl: string,
  mix: Target[],
  env: Record<string, string>,
  faults?: (elapsedMs: number) => void,
  windows: FaultWindow[] = [],
): Promise<RunResult> {
  const misses = new MissCounter();
  const proxy = await startProxyProcess(
    {
      PORT: '0',
      MONGODB_ATLAS_BASE_URL: simUrl,
      MONGODB_ATLAS_CLIENT_ID: SIM.clientId,
      MONGODB_ATLAS_CLIENT_SECRET: SIM.clientSecret,
      // The local guard on calls reaching Atlas (default 20/s) would answer the cache-off run's misses with 429.
      PROXY_UPSTREAM_RATE_PER_SEC: '100000',
      PROXY_UPSTREAM_BURST: '100000',
      ...env,
    },
    (line) => misses.line(line),
  );
  const rss: number[] = [];
  try {
    // Warm-up: JIT, sockets, the OAuth token; not measured.
    await openLoop({ origin: proxy.url, ratePerSec: 200, seconds: 2, pick: (i) => mix[i % mix.length]! });
    let nextRssAt = 0;
    misses.reset();
    const samples = await openLoop({
      origin: proxy.url,
      ratePerSec: RATE,
      seconds: SECONDS,
      // A fixed stride through the mix: every URL recurs, in an order that does not repeat in lockstep.
      pick: (i) => mix[(i * 37) % mix.length]!,
      onTick: (elapsed) => {
        faults?.(elapsed);
        if (elapsed >= nextRssAt) {
          rss.push(rssMiB(proxy.pid));
          nextRssAt += RSS_EVERY_MS;
        }
      },
    });
    rss.push(rssMiB(proxy.pid));
    return summarize(label, samples, rss, windows, misses);
  } finally {
    await proxy.stop();
  }
}

function summarize(
  label: string,
  samples: Awaited<ReturnType<typeof openLoop>>,
  rss: number[],
  windows: FaultWindow[],
  misses: MissCounter,
): RunResult {
  const inWindow = (due: number, end: number) => windows.some((w) => due <= w.until && end >= w.from);
  let ok = 0;
  let expected = 0;
  const unexpected = new Map<string, number>();
  for (const s of samples) {
    if (s.status >= 200 && s.status < 300) ok++;
    else if (EXPECTED_IN_FAULTS.has(s.status) && inWindow(s.due, s.due + s.latencyMs)) expected++;
    else {
      const key = s.error ?? String(s.status);
      unexpected.set(key, (unexpected.get(key) ?? 0) + 1);
    }
  }
  const lat = samples.map((s) => s.latencyMs).sort((a, b) => a - b);
  const late = samples.map((s) => s.lateMs).sort((a, b) => a - b);
  const at10s = rss[Math.min(2, rss.length - 1)]!;
  const last = rss.at(-1)!;
  const unexpectedTotal = [...unexpected.values()].reduce((a, b) => a + b, 0);
  return {
    p99: quantile(lat, 0.99) ?? NaN,
    unexpected: unexpectedTotal,
    rssGrowth: (last - at10s) / at10s,
    row: {
      run: label,
      requests: samples.length,
      '2xx': ok,
      'expected non-2xx': expected,
      unexpected: unexpectedTotal === 0 ? 0 : [...unexpected].map(([k, n]) => `${k}×${n}`).join(' '),
      'p50 ms': round(quantile(lat, 0.5), 2),
      'p99 ms': round(quantile(lat, 0.99), 2),
      'max ms': round(lat.at(-1), 0),
      'calls to Atlas': misses.total,
      'most in 250 ms': misses.maxInWindow(),
      'generator late p99/max ms': `${round(quantile(late, 0.99), 1)} / ${round(late.at(-1), 0)}`,
      'RSS MiB every 5 s': rss.map((r) => Math.round(r)).join(' '),
      'RSS last vs 10 s': `${round(((last - at10s) / at10s) * 100)} %`,
    },
  };
}

export async function run(): Promise<BenchSection> {
  // No simulated rate limits: the soak measures the proxy, not Atlas's quotas. Its own process, as Atlas is
  // another machine (its token lasts an hour; the three runs take four minutes).
  const sim = await startSimulatorProcess();
  const loadBefore = os.loadavg()[0]!;
  try {
    const mix = await urlMix(sim.url);
    const on = await soakRun('cache on (3 s TTL)', sim.url, mix, {});
    const off = await soakRun('cache off', sim.url, mix, { PROXY_CACHE_TTL_MS: '0' });
    const schedule = faultSchedule(sim.url);
    // A hang costs the headers timeout per attempt; 2 s keeps each fault's effect inside its window.
    const faulty = await soakRun(
      'cache on, faults',
      sim.url,
      mix,
      { PROXY_HEADERS_TIMEOUT_MS: '2000' },
      schedule.tick,
      schedule.windows,
    );
    const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
    return {
      name: 'soak',
      rows: [on.row, off.row, faulty.row],
      notes: [
        `${RATE} requests/s for ${SECONDS} s per run, open loop (one request due every ${1000 / RATE} ms, latency from its due time), ${mix.length} distinct URLs: projects, clusters, export pages (pageNum 1-8 x itemsPerPage 10/25/50/100), single jobs`,
        `faults: every ${schedule.everyMs / 1000} s one of ${schedule.kinds.join(', ')} on the Atlas API for ${schedule.activeMs / 1000} s; expected = 429/502/503/504 while a fault or its Retry-After lasts (+${schedule.tailMs / 1000} s)`,
        `target no unexpected errors: ${verdict(on.unexpected + off.unexpected + faulty.unexpected === 0)}`,
        `target RSS flat (last within 20 % of the 10 s sample): ${verdict([on, off, faulty].every((r) => Math.abs(r.rssGrowth) <= 0.2))}`,
        `target p99 < 50 ms with the cache on: ${verdict(on.p99 < 50)} (${round(on.p99, 2)} ms)`,
        `machine load average (1 min) ${round(loadBefore, 1)} before, ${round(os.loadavg()[0], 1)} after, on ${os.cpus().length} CPUs: above the CPU count, every figure here measures the queue for a CPU too`,
        'proxy: its own node process as npm start runs it (service account, info logs to a pipe), upstream guard raised; simulator in a third process with rate limits off; 2-core shared machine',
        "calls to Atlas: the proxy's MISS lines; most in 250 ms: how bursty they were (a fixed TTL made every entry filled together expire together)",
        'generator late: how late the load generator itself sent requests (its own CPU wait); latency counts from the due time, so this lateness is inside every figure',
      ],
    };
  } finally {
    await sim.stop();
  }
}
