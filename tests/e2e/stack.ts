/**
 * One simulator (in-process, for its /__sim controls and clock) and one dashboard server spawned as production
 * runs it (`node dist/server/main.js`), pointed at the simulator with its service account. Serves the built dist/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { childCoverageEnv } from '../support/child-coverage.ts';
import { startSimulator, type RunningSimulator } from '../../src/simulator/server.ts';
import type { SimulatorOptions } from '../../src/simulator/options.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SERVER_ENTRY = `${ROOT}dist/server/main.js`;

export interface Stack {
  sim: RunningSimulator;
  /** The dashboard's base URL. */
  url: string;
  world: SimWorld;
  simPost(path: string, body?: unknown): Promise<unknown>;
  simDelete(path: string): Promise<void>;
  serverOutput: string[];
  close(): Promise<void>;
}

export interface SimWorld {
  now: string;
  /** `access`: the role the simulated credentials hold there (`none` answers 403, `readOnly` 403 on exports). */
  projects: Array<{ id: string; name: string; clusterCount: number; access: 'full' | 'readOnly' | 'none' }>;
  bigCluster: { groupId: string; name: string; jobs: number };
  shardedCluster: { groupId: string; name: string; jobs: number };
  noExportsCluster: { groupId: string; name: string };
}

export async function startStack(options: SimulatorOptions & { env?: Record<string, string> } = {}): Promise<Stack> {
  const { env = {}, ...simOptions } = options;
  const sim = await startSimulator({ port: 0, ...simOptions });
  const serverOutput: string[] = [];
  let child: ChildProcess | undefined;
  try {
    const started = await spawnServer(sim.url, env, serverOutput);
    child = started.child;
    const world = (await (await fetch(`${sim.url}/__sim/world`)).json()) as SimWorld;
    const simPost = async (path: string, body: unknown = {}) => {
      const res = await fetch(`${sim.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    const simDelete = async (path: string) => {
      await fetch(`${sim.url}${path}`, { method: 'DELETE' });
    };
    const close = async () => {
      await stopChild(child);
      await sim.close();
    };
    return { sim, url: started.url, world, simPost, simDelete, serverOutput, close };
  } catch (err) {
    await stopChild(child);
    await sim.close();
    throw new Error(`dashboard server did not start: ${String(err)}\n${serverOutput.join('\n')}`);
  }
}

/**
 * `npm start` as a user runs it: no Atlas credentials, so demo mode with the in-process simulator. `env` adds to
 * or overrides the server's environment (`SIMULATOR_WORLD`, `WATCH`).
 */
export async function startDemoServer(
  env: Record<string, string> = {},
): Promise<{ url: string; close(): Promise<void>; output: string[] }> {
  const output: string[] = [];
  const { child, url } = await spawnServer(undefined, { WATCH: 'on', ...env }, output);
  return { url, output, close: () => stopChild(child) };
}

function spawnServer(
  simUrl: string | undefined,
  extraEnv: Record<string, string>,
  output: string[],
): Promise<{ child: ChildProcess; url: string }> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production' };
  const atlas = simUrl
    ? {
        MONGODB_ATLAS_BASE_URL: simUrl,
        MONGODB_ATLAS_CLIENT_ID: 'mdb_sa_id_0123456789abcdef01234567',
        MONGODB_ATLAS_CLIENT_SECRET: 'mdb_sa_sk_simulator',
      }
    : {};
  Object.assign(env, {
    HOST: '127.0.0.1',
    PORT: '0',
    ...atlas,
    // Faults and clock moves must show on the next request, not after the proxy's short cache expires.
    PROXY_CACHE_TTL_MS: '0',
    // An injected 401 must not hold the next test in the proxy's token back-off (30 s by default).
    PROXY_TOKEN_BACKOFF_MS: '100',
    // The watch polls on its own and would take faults meant for a page's requests: suites that show the fleet
    // turn it on (fleetWatchEnv).
    WATCH: 'off',
    // Each server its own state directory: a watch must never resume another test's world.
    DATA_DIR: mkdtempSync(`${tmpdir()}/dashboard-e2e-`),
    ...extraEnv,
  });
  Object.assign(env, childCoverageEnv());
  // The server as `npm run build` bundled it (dist/server/main.js, what production and the Docker image run): a
  // quarter of the start-up CPU of compiling src/ with tsx at every spawn, and its source map takes coverage back
  // to src/ (tests/coverage/report.ts).
  if (!existsSync(SERVER_ENTRY)) throw new Error(`${SERVER_ENTRY} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no "listening" line within 30 s')), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with code ${code}`));
    });
    child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      if (output.length > 500) output.splice(0, 100);
      const entry = parseLine(line);
      if (entry?.msg === 'listening' && typeof entry.url === 'string') {
        clearTimeout(timer);
        resolve({ child, url: entry.url });
      }
    });
  });
}

function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timeout = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timeout);
}

/** The in-process simulator's URL, from the demo server's start-up log line. */
export function simulatorUrl(output: string[]): string {
  for (const line of output) {
    const match = /"simulator":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(line);
    if (match?.[1]) return match[1];
  }
  throw new Error('demo server did not log its simulator URL');
}

/** The watch on, at test speed: active clusters every second, the rest every 4 s, discovery every 3 s. */
export const fleetWatchEnv: Record<string, string> = {
  WATCH: 'on',
  WATCH_ACTIVE_INTERVAL_MS: '1000',
  WATCH_IDLE_INTERVAL_MS: '4000',
  WATCH_DISCOVERY_INTERVAL_MS: '3000',
  WATCH_SCHEDULE_INTERVAL_MS: '10000',
  WATCH_MAX_CALLS_PER_MIN: '6000',
  // payments-prod's 26 clusters every 4 s are 390 calls a minute: the budget is not what the tests wait on.
  WATCH_PROJECT_CALLS_PER_MIN: '500',
  // The watch's calls pass the proxy's inbound bucket too: at this pace it gets room to spare, so a page's own
  // reads are never held back because of the watch (README, "The watch").
  PROXY_UPSTREAM_RATE_PER_SEC: '250',
  PROXY_UPSTREAM_BURST: '500',
};
