/**
 * Issue 7 "Operations": a start-up failure is one clear log line naming the setting to change, and a non-zero
 * exit code; never a raw uncaught exception. The real `npm start` entry, spawned as a child process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { childCoverageEnv } from '../support/child-coverage.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const children: ChildProcess[] = [];
const blockers: net.Server[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const b of blockers.splice(0)) await new Promise((r) => b.close(r));
});

/** Runs src/server/main.ts in demo mode with `env`; resolves with its exit code and output once it exits. */
async function runMain(env: Record<string, string>, uid?: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: '/tmp', SPA_BUILD: 'never', ...childCoverageEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(uid !== undefined ? { uid } : {}),
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const [code] = (await once(child, 'exit')) as [number];
  const lines = out
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { level: string; msg: string });
  return { code, lines, stderr: err };
}

function expectOneClearLine(r: Awaited<ReturnType<typeof runMain>>, message: RegExp) {
  expect(r.code).not.toBe(0);
  const errors = r.lines.filter((l) => l.level === 'error');
  expect(errors, JSON.stringify(r.lines) + r.stderr).toHaveLength(1);
  expect(errors[0]!.msg).toMatch(message);
  expect(JSON.stringify(r.lines) + r.stderr).not.toMatch(/uncaught|unhandled|\bat .+:\d+:\d+/i);
}

describe('start-up failures', () => {
  it('a port in use: "PORT n is already in use on HOST: set PORT to a free port", exit non-zero', async () => {
    const blocker = net.createServer();
    blockers.push(blocker);
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const { port } = blocker.address() as AddressInfo;
    const r = await runMain({ PORT: String(port) });
    expectOneClearLine(r, new RegExp(`^PORT ${port} is already in use on 127\\.0\\.0\\.1: set PORT to a free port`));
  });

  it('a HOST that is not an address of this machine names HOST', async () => {
    const r = await runMain({ HOST: '203.0.113.7', DASHBOARD_AUTH: 'none', PORT: '0' });
    expectOneClearLine(r, /^HOST 203\.0\.113\.7 is not an address of this machine: set HOST/);
  });

  it('a HOST that does not resolve names HOST', async () => {
    const r = await runMain({ HOST: 'no-such-host.invalid', DASHBOARD_AUTH: 'none', PORT: '0' });
    expectOneClearLine(r, /^HOST no-such-host\.invalid does not resolve: set HOST/);
  });

  it('a privileged port without the privilege (EACCES) names PORT', async () => {
    // As root, run the entry as `nobody` so binding port 80 is refused as it is for any ordinary user.
    const r = await runMain({ PORT: '80' }, process.getuid?.() === 0 ? 65534 : undefined);
    expectOneClearLine(
      r,
      /^PORT 80 on 127\.0\.0\.1 needs privileges this process does not have: set PORT to 1024 or above/,
    );
  });
});
