/**
 * Proxy benchmark (loopback only, ~60 s): the same export-jobs page fetched directly from the simulator and
 * through the proxy with its cache off and on, measured side by side in one run, interleaved so drift hits all
 * three alike. Latency: one connection, sequential requests timed with performance.now() (autocannon rounds to
 * whole ms). Throughput: autocannon in its own process. The proxy runs in a child process, as it would in front
 * of a remote Atlas; on a 2-core machine load generator, proxy and simulator still share the CPU, so compare
 * ratios across runs, not absolute numbers.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from 'undici';
import { mediaType, operation } from '../../src/atlas/index.ts';
import { SIMULATOR_CREDENTIALS as SIM } from '../../src/simulator/credentials.ts';
import { startSimulator } from '../../src/simulator/server.ts';
import { token } from '../support/sim-client.ts';
import type { BenchSection } from './types.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ACCEPT = mediaType(operation('listGroupClusterBackupExports').version);
const LATENCY_REQUESTS = 1500;
const SECONDS = 4;
const CONNECTIONS = 32;

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

/** Starts two proxies (cache off / on) in a child process pointed at the simulator; resolves their URLs. */
async function startProxies(simUrl: string): Promise<{ child: ChildProcess; off: string; on: string }> {
  const base = {
    PORT: '0',
    LOG_LEVEL: 'error',
    MONGODB_ATLAS_BASE_URL: simUrl,
    MONGODB_ATLAS_CLIENT_ID: SIM.clientId,
    MONGODB_ATLAS_CLIENT_SECRET: SIM.clientSecret,
    // The inbound quota guard would otherwise (correctly) refuse a benchmark's flood of cache misses.
    PROXY_UPSTREAM_RATE_PER_SEC: '1000000',
    PROXY_UPSTREAM_BURST: '1000000',
    WATCH: 'off',
  };
  const script = `
    const { loadConfig } = await import(${JSON.stringify(`${ROOT}src/server/config.ts`)});
    const { startServer } = await import(${JSON.stringify(`${ROOT}src/server/start.ts`)});
    const base = ${JSON.stringify(base)};
    const off = await startServer(loadConfig({ ...base, PROXY_CACHE_TTL_MS: '0' }));
    const on = await startServer(loadConfig({ ...base, PROXY_CACHE_TTL_MS: '2000' }));
    process.stdout.write(JSON.stringify({ off: off.url, on: on.url }) + '\\n');`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const urls = await new Promise<{ off: string; on: string }>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!) as { off: string; on: string });
    });
    child.once('exit', (code) => reject(new Error(`proxy child exited ${code}`)));
  });
  return { child, ...urls };
}

/** Sequential requests on one keep-alive connection; returns per-request latencies in ms. */
async function latencies(origin: string, path: string, headers: Record<string, string>, n: number): Promise<number[]> {
  const client = new Client(origin, { pipelining: 1 });
  const out: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const res = await client.request({ method: 'GET', path, headers });
      await res.body.arrayBuffer();
      if (res.statusCode !== 200) throw new Error(`${origin}${path}: HTTP ${res.statusCode}`);
      out.push(performance.now() - t0);
    }
  } finally {
    await client.close();
  }
  return out;
}

interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

/**
 * autocannon in its own process (programmatic API: its CLI cannot take `[` in a URL). `[<id>]` in the URL
 * becomes a unique id per request: no cache hits, nothing to coalesce.
 */
async function cannon(url: string, headers: Record<string, string>): Promise<CannonResult> {
  const opts = { url, headers, connections: CONNECTIONS, duration: SECONDS, idReplacement: url.includes('[<id>]') };
  const script = `require('autocannon')(${JSON.stringify(opts)}, (err, res) => { if (err) throw err; process.stdout.write(JSON.stringify(res)); })`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
    cwd: ROOT,
    timeout: (SECONDS + 30) * 1000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as CannonResult;
}

async function simCalls(simUrl: string): Promise<number> {
  const s = (await (await fetch(`${simUrl}/__sim/stats`)).json()) as { requests: { total: number } };
  return s.requests.total;
}

/** N identical concurrent requests through the cache-off proxy while Atlas is slow: how many reach Atlas? */
async function coalescing(simUrl: string, proxyUrl: string, path: string, n: number): Promise<number> {
  await fetch(`${simUrl}/__sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ match: 'listGroupClusterBackupExports', latencyMs: 200, times: 1 }),
  });
  const before = await simCalls(simUrl);
  const all = await Promise.all(Array.from({ length: n }, () => fetch(proxyUrl + path).then((r) => r.status)));
  if (all.some((s) => s !== 200)) throw new Error('coalescing run saw a non-200');
  return (await simCalls(simUrl)) - before;
}

export async function run(): Promise<BenchSection> {
  const sim = await startSimulator({ rateLimits: false, tokenLifetimeSec: 86_400 });
  const proxies = await startProxies(sim.url);
  try {
    const s = sim.simulator.summary();
    const path = `/api/atlas/v2/groups/${s.bigCluster.groupId}/clusters/${s.bigCluster.name}/backup/exports?itemsPerPage=100&pageNum=1`;
    const direct = { origin: sim.url, headers: { authorization: `Bearer ${await token(sim.url)}`, accept: ACCEPT } };
    const targets = [
      { name: 'direct to simulator', ...direct },
      { name: 'proxy, cache off', origin: proxies.off, headers: {} },
      { name: 'proxy, cache on (2 s TTL)', origin: proxies.on, headers: {} },
    ];
    // Warm-up: JIT, sockets, the proxies' OAuth tokens.
    for (const t of targets) await latencies(t.origin, path, t.headers, 200);
    const lat = targets.map(() => [] as number[]);
    for (let round = 0; round < 3; round++) {
      for (const [i, t] of targets.entries())
        lat[i]!.push(...(await latencies(t.origin, path, t.headers, LATENCY_REQUESTS / 3)));
    }
    const rows: BenchSection['rows'] = [];
    for (const [i, t] of targets.entries()) {
      const before = await simCalls(sim.url);
      const c = await cannon(t.origin + path, t.headers);
      const upstream = (await simCalls(sim.url)) - before;
      rows.push({
        target: t.name,
        'p50 ms (1 conn)': round(quantile(lat[i]!, 0.5), 3),
        'p99 ms (1 conn)': round(quantile(lat[i]!, 0.99), 3),
        [`req/s (${CONNECTIONS} conn)`]: Math.round(c.requests.average),
        [`p50 ms (${CONNECTIONS} conn)`]: c.latency.p50,
        [`p99 ms (${CONNECTIONS} conn)`]: c.latency.p99,
        'sim calls per 1k': i === 0 ? 1000 : Math.round((upstream / Math.max(1, c.requests.total)) * 1000),
        'non-2xx+errors': c.non2xx + c.errors,
      });
    }
    // Every request distinct (a unique org-name filter): the proxy's full cost per request, nothing shared.
    const distinct = '/api/atlas/v2/orgs?name=[<id>]';
    for (const t of targets.slice(0, 2)) {
      const before = await simCalls(sim.url);
      const c = await cannon(t.origin + distinct, t.headers);
      rows.push({
        target: `${t.name}, distinct keys (listOrgs?name=<unique>)`,
        [`req/s (${CONNECTIONS} conn)`]: Math.round(c.requests.average),
        [`p50 ms (${CONNECTIONS} conn)`]: c.latency.p50,
        [`p99 ms (${CONNECTIONS} conn)`]: c.latency.p99,
        'sim calls per 1k': Math.round((((await simCalls(sim.url)) - before) / Math.max(1, c.requests.total)) * 1000),
        'non-2xx+errors': c.non2xx + c.errors,
      });
    }
    const coalesced = await coalescing(sim.url, proxies.off, path, 50);
    const p50 = (i: number) => quantile(lat[i]!, 0.5);
    const rps = (i: number) => Number(rows[i]![`req/s (${CONNECTIONS} conn)`]);
    return {
      name: 'proxy',
      rows,
      notes: [
        `proxy overhead at the median, uncached: +${round(p50(1) - p50(0), 3)} ms (target <= 1 ms); cached: ${round(p50(2) - p50(0), 3)} ms`,
        `cached proxy vs simulator direct: ${round(rps(2) / rps(0), 2)}x the requests/s (target > 1x)`,
        `coalescing: 50 identical concurrent requests (cache off, Atlas answering in 200 ms) -> ${coalesced} upstream call(s)`,
        `page: listGroupClusterBackupExports, 100 jobs; latency: ${LATENCY_REQUESTS} sequential requests per target in 3 interleaved rounds; throughput: autocannon -c ${CONNECTIONS} -d ${SECONDS}`,
        'cache off still coalesces identical concurrent requests, so at 32 connections most share an upstream call (see sim calls per 1k); the distinct-keys rows show the proxy with nothing shared (sim calls slightly above 1k = requests still in flight when autocannon stops)',
        'distinct keys: load generator, proxy and simulator are three busy processes on this machine, so that row is CPU-bound and understates the proxy',
      ],
    };
  } finally {
    proxies.child.kill('SIGTERM');
    await sim.close();
  }
}
