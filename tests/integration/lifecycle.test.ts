/**
 * SECURITY.md D.52 and H.65-66: the `npm start` entry as a child process (config errors, demo mode, the
 * parseable listening line, SIGTERM), health endpoints, and Basic auth for non-loopback deployments.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import bcrypt from 'bcryptjs';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/server.ts';
import { SIMULATOR_CREDENTIALS as SIM } from '../../src/simulator/credentials.ts';
import { childCoverageEnv } from '../support/child-coverage.ts';
import { eventually, simFault, simOperationCalls, startHarness, type Harness } from './support/harness.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const children: ChildProcess[] = [];
let h: Harness | undefined;
let sim: RunningSimulator | undefined;
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  await h?.close();
  await sim?.close();
  h = sim = undefined;
});

interface Started {
  child: ChildProcess;
  lines: () => Record<string, unknown>[];
  stderr: () => string;
  url: Promise<string>;
}

/** Runs src/server/main.ts like `npm start` does, with a clean environment plus `env`. */
function runMain(env: Record<string, string>, preload: string[] = []): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', ...preload, 'src/server/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      SPA_BUILD: 'never',
      ...childCoverageEnv(),
      WATCH: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const lines = () =>
    out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const url = new Promise<string>((resolve, reject) => {
    const poll = setInterval(() => {
      const line = out.includes('"listening"') ? lines().find((l) => l.msg === 'listening') : undefined;
      if (line) resolve(String(line.url));
      if (line || child.exitCode !== null) clearInterval(poll);
      if (child.exitCode !== null && !line) reject(new Error(`exited ${child.exitCode}: ${err}`));
    }, 20);
  });
  url.catch(() => undefined); // awaited only by the tests that expect a start
  return { child, lines, stderr: () => err, url };
}

/** `runMain` against the simulator with its service account, plus `env`. */
function runServiceAccount(simulator: RunningSimulator, env: Record<string, string> = {}): Started {
  return runMain({
    MONGODB_ATLAS_BASE_URL: simulator.url,
    MONGODB_ATLAS_CLIENT_ID: SIM.clientId,
    MONGODB_ATLAS_CLIENT_SECRET: SIM.clientSecret,
    ...env,
  });
}

/** Waits until the simulator has received `operationId` (the call the test then interrupts is in flight). */
async function reached(simulator: RunningSimulator, operationId: string): Promise<void> {
  await eventually(async () => expect(await simOperationCalls(simulator.url, operationId)).toBeGreaterThan(0), 30_000);
}

describe('npm start entry (src/server/main.ts)', () => {
  it.each([
    ['half a service account', { MONGODB_ATLAS_CLIENT_ID: 'id-only-canary-1' }, 'MONGODB_ATLAS_CLIENT_SECRET'],
    ['half an API key', { MONGODB_ATLAS_PRIVATE_API_KEY: 'private-canary-2' }, 'MONGODB_ATLAS_PUBLIC_API_KEY'],
    [
      'both pairs',
      {
        MONGODB_ATLAS_CLIENT_ID: 'a-canary-3',
        MONGODB_ATLAS_CLIENT_SECRET: 'b-canary-4',
        MONGODB_ATLAS_PUBLIC_API_KEY: 'c-canary-5',
        MONGODB_ATLAS_PRIVATE_API_KEY: 'd-canary-6',
      },
      'MONGODB_ATLAS_PUBLIC_API_KEY',
    ],
    ['a non-loopback HOST without access control', { HOST: '0.0.0.0' }, 'DASHBOARD_BASIC_AUTH'],
    ['a guessable dashboard password', { DASHBOARD_BASIC_AUTH: 'ops:canarycanary' }, 'DASHBOARD_BASIC_AUTH'],
  ])('case 52 refuses to start with %s, naming the variable but not the value', async (_, env, name) => {
    const run = runMain(env);
    const [code] = (await once(run.child, 'exit')) as [number];
    expect(code).not.toBe(0);
    expect(run.stderr()).toContain(name);
    expect(run.stderr()).not.toMatch(/canary/);
  });

  it('demo mode: no credentials -> in-process simulator over OAuth, a parseable listening line, clean SIGTERM', async () => {
    const run = runMain({});
    const url = await run.url;
    const info = (await (await fetch(`${url}/api/info`)).json()) as Record<string, string>;
    expect(info).toMatchObject({ mode: 'demo', authKind: 'serviceAccount' });
    const groups = await fetch(`${url}/api/atlas/v2/groups`);
    expect(groups.status).toBe(200);
    expect(((await groups.json()) as { results: unknown[] }).results.length).toBeGreaterThan(0);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    run.child.kill('SIGTERM');
    const [code] = (await once(run.child, 'exit')) as [number];
    expect(code).toBe(0);
    expect(run.lines().some((l) => l.msg === 'stopped')).toBe(true);
  });

  it('case 66 SIGTERM lets an in-flight slow request finish, then exits 0', async () => {
    sim = await startSimulator({ rateLimits: false });
    const run = runServiceAccount(sim);
    const url = await run.url;
    expect(((await (await fetch(`${url}/api/info`)).json()) as { mode: string }).mode).toBe('atlas');
    await simFault(sim.url, { match: 'listGroups', latencyMs: 700, times: 1 });
    const slow = fetch(`${url}/api/atlas/v2/groups`);
    await reached(sim, 'listGroups');
    run.child.kill('SIGTERM');
    expect((await slow).status).toBe(200);
    const [code] = (await once(run.child, 'exit')) as [number];
    expect(code).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('SIGTERM with a hanging token endpoint exits within SHUTDOWN_GRACE_MS + 1 s (every upstream call is aborted)', async () => {
    sim = await startSimulator({ rateLimits: false });
    const graceMs = 1_000;
    const run = runServiceAccount(sim, { SHUTDOWN_GRACE_MS: String(graceMs) });
    const url = await run.url;
    await simFault(sim.url, { match: 'oauthToken', kind: 'hang' });
    const pending = fetch(`${url}/api/atlas/v2/groups`).then(
      (r) => r.status,
      () => 'closed',
    );
    await reached(sim, 'oauthToken');
    const signalled = Date.now();
    run.child.kill('SIGTERM');
    const [code] = (await once(run.child, 'exit')) as [number];
    expect(Date.now() - signalled).toBeLessThan(graceMs + 1_000);
    // A clean stop by the close sequence itself, not the last-resort exit.
    expect(code).toBe(0);
    expect(run.lines().some((l) => l.msg === 'stopped')).toBe(true);
    expect(await pending).not.toBe(200);
  });

  it('SIGTERM with a hanging revoke endpoint still exits within SHUTDOWN_GRACE_MS + 1 s', async () => {
    sim = await startSimulator({ rateLimits: false });
    const graceMs = 300;
    const run = runServiceAccount(sim, { SHUTDOWN_GRACE_MS: String(graceMs) });
    const url = await run.url;
    expect((await fetch(`${url}/api/atlas/v2/groups`)).status).toBe(200);
    await simFault(sim.url, { match: 'oauthRevoke', kind: 'hang' });
    const signalled = Date.now();
    run.child.kill('SIGTERM');
    const [code] = (await once(run.child, 'exit')) as [number];
    expect(Date.now() - signalled).toBeLessThan(graceMs + 1_000);
    expect(code).toBe(0);
    expect(await simOperationCalls(sim.url, 'oauthRevoke')).toBe(1);
  });

  it('case 68 an unhandled rejection is logged redacted, without a stack, and the process exits non-zero', async () => {
    sim = await startSimulator({ rateLimits: false });
    const secret = `mdb_sa_sk_canary68${Date.now()}`;
    // Stands in for a bug: a promise rejected with an error that quotes a secret, once the server is up (told
    // by a signal, not a timer: on a loaded machine start-up can outlast any fixed delay).
    const bug = `data:text/javascript,process.once('SIGUSR2', () => Promise.reject(new Error('bug with ${secret} inside')))`;
    const run = runMain(
      { MONGODB_ATLAS_BASE_URL: sim.url, MONGODB_ATLAS_CLIENT_ID: SIM.clientId, MONGODB_ATLAS_CLIENT_SECRET: secret },
      ['--import', bug],
    );
    await run.url;
    run.child.kill('SIGUSR2');
    const [code] = (await once(run.child, 'exit')) as [number];
    expect(code).toBe(1);
    const crash = run.lines().find((l) => l.msg === 'unhandled rejection');
    expect(crash).toBeDefined();
    expect(JSON.stringify(crash)).toContain('bug with [REDACTED] inside');
    expect(JSON.stringify(run.lines()) + run.stderr()).not.toContain(secret);
    expect(JSON.stringify(crash)).not.toMatch(/\bat .+:\d+:\d+/);
  });
});

describe('health', () => {
  it('case 65 /healthz answers without calling Atlas; /readyz checks upstream auth', async () => {
    h = await startHarness();
    expect((await h.get('/healthz')).status).toBe(200);
    expect(await h.simCalls()).toBe(0);
    const ready = await h.get('/readyz');
    expect(ready.status).toBe(200);
    expect(await h.simCalls()).toBe(1); // one token request, then no more per probe
    for (let i = 0; i < 5; i++) expect((await h.get('/readyz')).status).toBe(200);
    expect(await h.simCalls()).toBe(1);
  });
});

describe('Basic auth (non-loopback deployments)', () => {
  it.each([
    ['a password', 'operator:correct-horse-battery'],
    ['a bcrypt hash', `operator:${bcrypt.hashSync('correct-horse-battery', 10)}`],
  ])('with %s: 401 + Basic challenge without credentials, 200 with them, /healthz exempt', async (_, value) => {
    h = await startHarness({ env: { DASHBOARD_BASIC_AUTH: value } });
    const good = `Basic ${Buffer.from('operator:correct-horse-battery').toString('base64')}`;
    const bad = `Basic ${Buffer.from('operator:wrong-password-123').toString('base64')}`;
    const denied = await h.get('/api/atlas/v2/groups');
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect((await h.get('/api/atlas/v2/groups', { authorization: bad })).status).toBe(401);
    expect((await h.get('/', { authorization: bad })).status).toBe(401);
    expect(await h.simCalls()).toBe(0);
    expect((await h.get('/api/atlas/v2/groups', { authorization: good })).status).toBe(200);
    expect((await h.get('/healthz')).status).toBe(200);
  });

  it('DASHBOARD_AUTH=none is logged as a warning at start', async () => {
    h = await startHarness({ env: { DASHBOARD_AUTH: 'none' } });
    const warning = h.logs
      .map((l) => JSON.parse(l) as { level: string; msg: string })
      .find((l) => l.msg.includes('DASHBOARD_AUTH=none'));
    expect(warning?.level).toBe('warn');
  });
});
