/** Child processes for the nginx comparison: free ports, the compiled server, readiness and memory. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SERVER_ENTRY = path.join(ROOT, 'dist', 'server', 'main.js');
/** Node flags the server runs with in production (the Dockerfile's CMD and `npm start`): measured as deployed. */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=2'];

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Resolves once `url` answers 200; returns the milliseconds since `since`. Polls every millisecond or two. */
export async function waitFor200(url: string, since: number, timeoutMs = 15_000): Promise<number> {
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const req = request(url, { agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
      req.end();
    });
    if (ok) return performance.now() - since;
    if (performance.now() - since > timeoutMs) throw new Error(`${url} did not answer 200 in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

export interface Served {
  url: string;
  pid: number;
  startMs: number;
  close(): Promise<void>;
}

/** `node <flags> dist/server/main.js` with `env`, its log (one line per request, as in production) to a file. */
export function startCompiled(env: Record<string, string>, logFile: string): Promise<Served> {
  return startNode([SERVER_ENTRY], env, logFile);
}

/**
 * The minimal Node proxy (tests/bench/node-floor.mjs) in front of `origin`, with the server's Node flags: what
 * Node itself costs, measured beside the proxy and nginx.
 */
export function startFloor(
  mode: 'cache' | 'pass',
  upstream: { origin: string; bearer: string; accept: string },
  logFile: string,
): Promise<Served> {
  const script = path.join(ROOT, 'tests', 'bench', 'node-floor.mjs');
  return startNode([script, upstream.origin, upstream.bearer, upstream.accept, mode], {}, logFile, true);
}

/** `node <server flags> <args>` (the port appended as the last argument or given as PORT) until /healthz is 200. */
async function startNode(
  args: string[],
  env: Record<string, string>,
  logFile: string,
  portAsArg = false,
): Promise<Served> {
  const port = await freePort();
  const out = openSync(logFile, 'a');
  const t0 = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    [...SERVER_NODE_FLAGS, ...args, ...(portAsArg ? [String(port)] : [])],
    {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        HOST: '127.0.0.1',
        PORT: String(port),
        // The proxy benches measure the proxy alone; the fleet bench turns the watch on.
        WATCH: 'off',
        ...env,
      },
      stdio: ['ignore', out, out],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const startMs = await waitFor200(`${url}/healthz`, t0);
  return {
    url,
    pid: child.pid!,
    startMs,
    close: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Resident memory of one process, in MB. */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Resident memory of a process and its children (nginx: master + worker), in MB. */
export function rssTreeMb(pid: number): number {
  const kids = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
    .stdout.split('\n')
    .map((s) => Number(s.trim()))
    .filter((n) => n > 0);
  return [pid, ...kids].reduce((sum, p) => sum + rssMb(p), 0);
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
export const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

/** Requests the simulator has seen for one operation (challenges and signed calls alike). */
export async function simCalls(simUrl: string, op = 'listGroupClusterBackupExports'): Promise<number> {
  const res = await fetch(`${simUrl}/__sim/stats`);
  const s = (await res.json()) as { requests: { byOperation: Record<string, number> } };
  return s.requests.byOperation[op] ?? 0;
}
