/**
 * A real simulator on 127.0.0.1 with the real proxy in front of it, configured through loadConfig like
 * `npm start` is. Logs are captured in memory so tests can grep them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startSimulator, type RunningSimulator } from '../../../src/simulator/server.ts';
import { SIMULATOR_CREDENTIALS } from '../../../src/simulator/credentials.ts';
import type { SimulatorOptions } from '../../../src/simulator/options.ts';
import { loadConfig } from '../../../src/server/config.ts';
import { createLogger, memorySink } from '../../../src/server/logger.ts';
import { startServer, type RunningServer } from '../../../src/server/start.ts';

export type AuthMode = 'serviceAccount' | 'apiKey';

export interface Harness {
  sim: RunningSimulator;
  server: RunningServer;
  url: string;
  logs: string[];
  secrets: string[];
  /** Requests that reached the simulator (all operations, token and challenge requests included). */
  simCalls(operationId?: string): Promise<number>;
  tokensIssued(): Promise<number>;
  /** The simulator's token counters (`/__sim/stats`). */
  tokenStats(): Promise<{ tokensIssued: number; tokensRevoked: number; activeTokens: number }>;
  fault(f: Record<string, unknown>): Promise<void>;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/** The environment `npm start` reads for one auth mode (service account by default). */
function credentialEnv(auth: AuthMode | undefined, c: typeof SIMULATOR_CREDENTIALS): Record<string, string> {
  return (auth ?? 'serviceAccount') === 'serviceAccount'
    ? { MONGODB_ATLAS_CLIENT_ID: c.clientId, MONGODB_ATLAS_CLIENT_SECRET: c.clientSecret }
    : { MONGODB_ATLAS_PUBLIC_API_KEY: c.publicKey, MONGODB_ATLAS_PRIVATE_API_KEY: c.privateKey };
}

export interface HarnessOptions {
  auth?: AuthMode;
  sim?: SimulatorOptions;
  env?: Record<string, string>;
  now?: () => number;
  /** Credentials the proxy uses (default: the simulator's). */
  credentials?: Partial<typeof SIMULATOR_CREDENTIALS>;
}

export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const sim = await startSimulator({ rateLimits: false, ...o.sim });
  const creds = { ...SIMULATOR_CREDENTIALS, ...o.sim?.credentials, ...o.credentials };
  const authEnv = credentialEnv(o.auth, creds);
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'debug',
    MONGODB_ATLAS_BASE_URL: sim.url,
    PROXY_RETRY_BASE_MS: '20',
    SHUTDOWN_GRACE_MS: '2000',
    // The watch's own calls would change what these tests count; watch tests turn it on.
    WATCH: 'off',
    DATA_DIR: mkdtempSync(`${tmpdir()}/dashboard-it-`),
    ...authEnv,
    ...o.env,
  });
  const sink = memorySink();
  const logger = createLogger({ level: config.logLevel, sink });
  // Everything the server registers as secret (configured keys, every issued token), for canary checks.
  const secrets: string[] = [];
  const addSecret = logger.addSecret;
  logger.addSecret = (v, lifetime) => {
    secrets.push(v);
    addSecret(v, lifetime);
  };
  const server = await startServer(config, { logger, ...(o.now ? { now: o.now } : {}) });
  const stats = () => simStats(sim.url);
  return {
    sim,
    server,
    url: server.url,
    logs: sink.lines,
    secrets,
    simCalls: (operationId) => simOperationCalls(sim.url, operationId),
    tokensIssued: async () => (await stats()).tokensIssued,
    async tokenStats() {
      const { tokensIssued, tokensRevoked, activeTokens } = await stats();
      return { tokensIssued, tokensRevoked, activeTokens };
    },
    fault: (f) => simFault(sim.url, f),
    get: (path, headers) => fetch(server.url + path, { headers }),
    async close() {
      await server.close();
      await sim.close();
    },
  };
}

interface SimStats {
  requests: { total: number; byOperation: Record<string, number>; inFlight?: number };
  tokensIssued: number;
  tokensRevoked: number;
  activeTokens: number;
}

/** A running simulator's counters (`/__sim/stats`). */
export async function simStats(simUrl: string): Promise<SimStats> {
  return (await (await fetch(`${simUrl}/__sim/stats`)).json()) as SimStats;
}

/** Requests that reached the simulator: for one operation, or all of them (token and challenge requests included). */
export async function simOperationCalls(simUrl: string, operationId?: string): Promise<number> {
  const s = await simStats(simUrl);
  return operationId ? (s.requests.byOperation[operationId] ?? 0) : s.requests.total;
}

/** Arms a fault in a running simulator (`POST /__sim/faults`); throws when the simulator refuses it. */
export async function simFault(simUrl: string, f: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${simUrl}/__sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(f),
  });
  if (!res.ok) throw new Error(`fault rejected: ${await res.text()}`);
}

/** The simulator's seeded ids (project, cluster) to build valid paths. */
export async function worldOf(h: Harness): Promise<{ groupId: string; clusterName: string; orgId: string }> {
  const w = (await (await fetch(`${h.sim.url}/__sim/world`)).json()) as {
    bigCluster: { groupId: string; name: string };
    orgs: { id: string }[];
  };
  return { groupId: w.bigCluster.groupId, clusterName: w.bigCluster.name, orgId: w.orgs[0]!.id };
}

/** Polls until `check` passes or the timeout elapses (no fixed sleeps: the machine may be loaded). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 5000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}

export interface ProxyOnly {
  server: RunningServer;
  url: string;
  logs: string[];
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/** The proxy alone, pointed at any base URL (a stub upstream), with the simulator's default credentials. */
export async function startProxy(
  baseUrl: string,
  o: { auth?: AuthMode; env?: Record<string, string>; now?: () => number; distDir?: string } = {},
): Promise<ProxyOnly> {
  const authEnv = credentialEnv(o.auth, SIMULATOR_CREDENTIALS);
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'debug',
    MONGODB_ATLAS_BASE_URL: baseUrl,
    PROXY_RETRY_BASE_MS: '20',
    SHUTDOWN_GRACE_MS: '300',
    // The stub upstream counts every call: the watch stays off.
    WATCH: 'off',
    ...authEnv,
    ...o.env,
  });
  const sink = memorySink();
  const server = await startServer(config, {
    logger: createLogger({ level: 'debug', sink }),
    ...(o.now ? { now: o.now } : {}),
    ...(o.distDir ? { distDir: o.distDir } : {}),
  });
  return {
    server,
    url: server.url,
    logs: sink.lines,
    get: (p, headers) => fetch(server.url + p, { headers }),
    close: () => server.close(),
  };
}

export const GROUP_ID = '5f0000000000000000000001';
