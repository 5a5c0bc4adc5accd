/**
 * bcrypt checks on worker threads. bcryptjs's async API only slices the work into setImmediate chunks on the
 * main thread: 200 concurrent checks still queue ~200 chunks ahead of every other request, /healthz included.
 * Workers keep the event loop free, and the queue in front of them is bounded so a flood is refused at once
 * instead of waiting minutes.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import type * as WorkerThreads from 'node:worker_threads';
import type { Worker } from 'node:worker_threads';

/** Only a bcrypt-hashed sign-in needs worker threads: Node's worker modules load when the first pool does. */
const builtin = createRequire(import.meta.url);

export class PoolBusyError extends Error {
  constructor() {
    super('too many password checks waiting');
    this.name = 'PoolBusyError';
  }
}

export interface BcryptPool {
  /**
   * Resolves true/false; rejects with PoolBusyError at once when every worker is busy and the queue is full.
   * `rank` orders the queue (lower first; the sign-in passes the address's recent failures): when the queue is
   * full, a check ranked lower than the worst one waiting takes its place, and that one is refused instead. An
   * address with no failures (the operator) is never starved by addresses that keep failing.
   */
  compare(password: string, hash: string, rank?: number): Promise<boolean>;
  close(): Promise<void>;
}

// Plain CommonJS evaluated in the worker: no TypeScript loader is needed there, in tests or in production.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcryptPath);
parentPort.on('message', ({ password, hash }) => {
  let ok = false;
  try { ok = bcrypt.compareSync(password, hash); } catch { ok = false; }
  parentPort.postMessage(ok);
});`;

interface Job {
  rank: number;
  password: string;
  hash: string;
  resolve: (ok: boolean) => void;
  reject: (err: Error) => void;
}

export function createBcryptPool(o: { size?: number; maxWaiting?: number } = {}): BcryptPool {
  const size = o.size ?? Math.max(1, Math.min(2, availableParallelism() - 1));
  const maxWaiting = o.maxWaiting ?? 4;
  const bcryptPath = builtin.resolve('bcryptjs');
  const { Worker: WorkerThread } = builtin('node:worker_threads') as typeof WorkerThreads;
  const idle: Worker[] = [];
  const busy = new Map<Worker, Job>();
  const waiting: Job[] = [];
  let closed = false;

  const spawn = () => {
    const w = new WorkerThread(WORKER_SOURCE, { eval: true, workerData: { bcryptPath } });
    w.unref();
    w.on('message', (ok: unknown) => finish(w, (job) => job.resolve(ok === true)));
    w.on('error', () => finish(w, (job) => job.reject(new Error('password check failed'))));
    w.on('exit', () => {
      busy.get(w)?.reject(new Error('password check failed'));
      busy.delete(w);
      const i = idle.indexOf(w);
      if (i >= 0) idle.splice(i, 1);
      if (!closed) idle.push(spawn());
    });
    return w;
  };
  const finish = (w: Worker, settle: (job: Job) => void) => {
    const job = busy.get(w);
    busy.delete(w);
    if (job) settle(job);
    const next = takeBest();
    if (next) run(w, next);
    else if (!closed) idle.push(w);
  };
  /** The lowest-ranked waiting job, oldest first among equals. */
  const takeBest = (): Job | undefined => {
    let best = -1;
    for (let i = 0; i < waiting.length; i++) if (best < 0 || waiting[i]!.rank < waiting[best]!.rank) best = i;
    return best < 0 ? undefined : waiting.splice(best, 1)[0];
  };
  const run = (w: Worker, job: Job) => {
    busy.set(w, job);
    w.postMessage({ password: job.password, hash: job.hash });
  };
  for (let i = 0; i < size; i++) idle.push(spawn());

  return {
    compare(password, hash, rank = 0) {
      if (closed) return Promise.reject(new PoolBusyError());
      return new Promise<boolean>((resolve, reject) => {
        const job = { rank, password, hash, resolve, reject };
        const w = idle.pop();
        if (w) return run(w, job);
        if (waiting.length < maxWaiting) return void waiting.push(job);
        // Full: the newest of the worst-ranked waiting jobs gives way to a better-ranked one.
        let worst = -1;
        for (let i = 0; i < waiting.length; i++) if (worst < 0 || waiting[i]!.rank >= waiting[worst]!.rank) worst = i;
        if (worst >= 0 && waiting[worst]!.rank > rank) {
          waiting.splice(worst, 1)[0]!.reject(new PoolBusyError());
          waiting.push(job);
        } else reject(new PoolBusyError());
      });
    },
    async close() {
      closed = true;
      for (const job of waiting.splice(0)) job.reject(new PoolBusyError());
      const workers = [...idle.splice(0), ...busy.keys()];
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
