/**
 * The steps the Dockerfile runs, without Docker (it cannot run on the CI machines): package files and dist/ in a
 * fresh folder, `npm ci --omit=dev --ignore-scripts` from the lock file, then the compiled server with Node alone.
 * Demo mode must work from there, so the compiled simulator needs production dependencies only too.
 * Needs `npm run build` first (npm test does it).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = 'dist/server/main.js';
/** The Dockerfile's CMD: `node --max-semi-space-size=2 dist/server/main.js`. */
const NODE_FLAGS = ['--max-semi-space-size=2'];
let dir = '';
let child: ChildProcess | undefined;

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, ENTRY))) throw new Error(`${ENTRY} is missing: run npm run build first`);
  dir = mkdtempSync(path.join(os.tmpdir(), 'dashboard-prod-'));
  for (const f of ['package.json', 'package-lock.json']) cpSync(path.join(ROOT, f), path.join(dir, f));
  cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
  await promisify(execFile)(
    'npm',
    ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'],
    {
      cwd: dir,
      timeout: 110_000,
    },
  );
}, 120_000);

afterAll(() => {
  if (child?.exitCode === null) child.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function startCompiled(): Promise<string> {
  child = spawn(process.execPath, [...NODE_FLAGS, ENTRY], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    child!.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.includes('"msg":"listening"'));
      if (line) resolve(String((JSON.parse(line) as { url: string }).url));
    });
    child!.once('exit', (code) => reject(new Error(`compiled server exited ${code}: ${err}`)));
  });
}

describe('production install (what the Dockerfile does)', () => {
  it('has no build tools: no tsx, TypeScript, Vite or React in node_modules', () => {
    for (const pkg of ['tsx', 'typescript', 'vite', 'react', 'vitest'])
      expect(existsSync(path.join(dir, 'node_modules', pkg)), pkg).toBe(false);
    expect(existsSync(path.join(dir, 'node_modules', 'hono'))).toBe(true);
  });

  it('starts the compiled server in demo mode: /healthz, the SPA and a proxied Atlas route answer', async () => {
    const url = await startCompiled();
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const groups = await fetch(`${url}/api/atlas/v2/groups`);
    expect(groups.status).toBe(200);
    expect(((await groups.json()) as { results: unknown[] }).results.length).toBeGreaterThan(0);
    const page = await fetch(`${url}/projects`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    // The compiled server itself is not served to browsers.
    expect((await fetch(`${url}/server/main.js`)).status).toBe(404);
  }, 30_000);
});
