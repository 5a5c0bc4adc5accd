/**
 * Simulator benchmarks (loopback only, ~40 s): boot time, world size, and requests/s on one list page and one
 * entity with autocannon (run as a separate process so the load generator does not share the simulator's event
 * loop; on a 2-core machine they still share the CPU, so compare ratios across runs, not absolute numbers).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startSimulator, type RunningSimulator } from '../../src/simulator/server.ts';
import { ACCEPT, API, token } from '../support/sim-client.ts';
import type { BenchSection } from './types.ts';

const AUTOCANNON = fileURLToPath(new URL('../../node_modules/.bin/autocannon', import.meta.url));
const RUNS = 3;
const SECONDS = 5;
const CONNECTIONS = 50;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

interface CannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

async function cannon(url: string, accessToken: string): Promise<CannonResult> {
  const { stdout } = await promisify(execFile)(
    AUTOCANNON,
    [
      '-c',
      String(CONNECTIONS),
      '-d',
      String(SECONDS),
      '-j',
      '-H',
      `authorization=Bearer ${accessToken}`,
      '-H',
      `accept=${ACCEPT}`,
      url,
    ],
    { timeout: (SECONDS + 30) * 1000, maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as CannonResult;
}

async function bootTimes(): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const s = await startSimulator();
    times.push(performance.now() - t0);
    await s.close();
  }
  return times;
}

async function scenario(sim: RunningSimulator, name: string, path: string, accessToken: string) {
  await cannon(`${sim.url}${path}`, accessToken).catch(() => undefined); // warm-up (JIT, sockets)
  const runs: CannonResult[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await cannon(`${sim.url}${path}`, accessToken));
  const bad = runs.reduce((n, r) => n + r.non2xx + r.errors, 0);
  return {
    scenario: name,
    'req/s (median)': Math.round(median(runs.map((r) => r.requests.average))),
    'req/s (runs)': runs.map((r) => Math.round(r.requests.average)).join(' / '),
    'p50 ms': median(runs.map((r) => r.latency.p50)),
    'p99 ms': median(runs.map((r) => r.latency.p99)),
    'non-2xx+errors': bad,
  };
}

export async function run(): Promise<BenchSection> {
  const boots = await bootTimes();
  // Rate limits off: this measures the simulator, not Atlas's 1200-request bucket.
  const sim = await startSimulator({ rateLimits: false, tokenLifetimeSec: 86_400 });
  try {
    const s = sim.simulator.summary();
    const tk = await token(sim.url);
    const exportsPath = `${API}/groups/${s.bigCluster.groupId}/clusters/${s.bigCluster.name}/backup/exports`;
    const firstJob =
      sim.simulator.state.world.jobsByCluster.get(`${s.bigCluster.groupId}/${s.bigCluster.name}`)?.[0]?.id ?? '';
    const rows: BenchSection['rows'] = [
      await scenario(sim, 'list page: 100 export jobs (Bearer)', `${exportsPath}?itemsPerPage=100&pageNum=3`, tk),
      await scenario(sim, 'one export job (Bearer)', `${exportsPath}/${firstJob}`, tk),
    ];
    return {
      name: 'simulator',
      rows,
      notes: [
        `world (seed 42): ${s.counts.orgs} orgs, ${s.counts.projects} projects, ${s.counts.clusters} clusters, ${s.counts.jobs} export jobs (${s.bigCluster.jobs} on ${s.bigCluster.name}), ${s.counts.snapshots} snapshots, ${s.counts.buckets} buckets`,
        `boot (createSimulator + listen, 5 runs): median ${median(boots).toFixed(1)} ms, runs ${boots.map((b) => b.toFixed(0)).join(' / ')} ms`,
        `autocannon: ${CONNECTIONS} connections, ${RUNS} runs x ${SECONDS} s after a warm-up run; median of runs; loopback`,
      ],
    };
  } finally {
    await sim.close();
  }
}
