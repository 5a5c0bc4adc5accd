/**
 * The soak's tools: an open-loop load generator, the proxy as its own process, and its RSS read from /proc.
 * Open loop: request i is due at start + i / rate whatever happened to earlier ones, and its latency counts from
 * that due time, so a stalled server shows as latency instead of as requests never sent (coordinated omission).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Target {
  path: string;
  accept: string;
}

export interface Sample {
  /** When the request was due, ms since the run started. */
  due: number;
  /** From due time to the end of the body, ms. */
  latencyMs: number;
  /** HTTP status, or 0 when no response arrived. */
  status: number;
  error?: string;
  /** How late the generator itself sent it (its own event loop busy or waiting for a CPU), ms. */
  lateMs: number;
}

export interface OpenLoopOptions {
  origin: string;
  ratePerSec: number;
  seconds: number;
  /** The i-th request's target; called once per request. */
  pick: (i: number) => Target;
  /** Called every few ms with the elapsed time, for fault schedules and sampling. */
  onTick?: (elapsedMs: number) => void;
}

export async function openLoop(o: OpenLoopOptions): Promise<Sample[]> {
  // Enough sockets that a slow answer never holds back a due request; undici queues beyond them (counted).
  const pool = new Pool(o.origin, { connections: 256, pipelining: 1, headersTimeout: 60_000, bodyTimeout: 60_000 });
  const samples: Sample[] = [];
  const inFlight = new Set<Promise<void>>();
  const intervalMs = 1000 / o.ratePerSec;
  const total = Math.round(o.ratePerSec * o.seconds);
  const start = performance.now();
  const fire = (i: number) => {
    const due = i * intervalMs;
    const lateMs = performance.now() - start - due;
    const { path, accept } = o.pick(i);
    const done = pool
      .request({ method: 'GET', path, headers: { accept } })
      .then(async (res) => {
        await res.body.arrayBuffer();
        samples.push({ due, latencyMs: performance.now() - start - due, status: res.statusCode, lateMs });
      })
      .catch((err: unknown) => {
        const error = err instanceof Error ? ((err as { code?: string }).code ?? err.message) : String(err);
        samples.push({ due, latencyMs: performance.now() - start - due, status: 0, error, lateMs });
      })
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  };
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const elapsed = performance.now() - start;
      o.onTick?.(elapsed);
      while (next < total && next * intervalMs <= elapsed) fire(next++);
      if (next >= total) return resolve();
      setTimeout(tick, Math.max(0, next * intervalMs - (performance.now() - start)));
    };
    tick();
  });
  await Promise.all([...inFlight]);
  await pool.close();
  return samples;
}

export interface ProxyProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * The simulator alone in its own node process (`npm run simulator`, rate limits off), as Atlas is another machine:
 * in the load generator's process, its work on a burst of misses stalled the generator, and requests due then
 * were sent late and counted as the proxy's latency.
 */
export async function startSimulatorProcess(): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/simulator/main.ts', '--no-rate-limits'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, SIMULATOR_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('simulator printed no "listening" line in 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  return { url, stop: () => stop(child) };
}

/** The most `cache: MISS` request lines (calls to Atlas) the proxy logged within any `windowMs`. */
export class MissCounter {
  private readonly at: number[] = [];
  constructor(private readonly windowMs = 250) {}
  line(line: string): void {
    if (line.includes('"cache":"MISS"')) this.at.push(performance.now());
  }
  reset(): void {
    this.at.length = 0;
  }
  get total(): number {
    return this.at.length;
  }
  maxInWindow(): number {
    let best = 0;
    for (let i = 0, j = 0; i < this.at.length; i++) {
      while (this.at[i]! - this.at[j]! > this.windowMs) j++;
      best = Math.max(best, i - j + 1);
    }
    return best;
  }
}

/** `npm start`'s entry point in its own node process (no tsx launcher in between, so the pid's RSS is its own). */
export async function startProxyProcess(
  env: Record<string, string>,
  onLine?: (line: string) => void,
): Promise<ProxyProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', SPA_BUILD: 'never', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('proxy printed no "listening" line in 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`proxy exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      onLine?.(line);
      const m = /"msg":"listening".*"url":"([^"]+)"/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  return { url, pid: child.pid!, stop: () => stop(child) };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Resident set size of a process in MiB, from /proc (Linux). */
export function rssMiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) / 1024;
}
