/**
 * SECURITY.md E.54: the SPA bundle (JS and source maps) never carries server secrets. Builds the real app into a
 * temporary directory with canary credentials in the environment; only VITE_* variables may reach a bundle.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

it('case 54 a build with canary credentials in the environment contains none of them', { timeout: 180_000 }, () => {
  const canary = `CANARY${randomBytes(8).toString('hex')}`;
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'dist-canary-'));
  try {
    const result = spawnSync(
      process.execPath,
      [`${ROOT}node_modules/vite/bin/vite.js`, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          MONGODB_ATLAS_CLIENT_ID: `mdb_sa_id_${canary}`,
          MONGODB_ATLAS_CLIENT_SECRET: `secret-${canary}`,
          MONGODB_ATLAS_PUBLIC_API_KEY: `pub-${canary}`,
          MONGODB_ATLAS_PRIVATE_API_KEY: `private-${canary}`,
          DASHBOARD_BASIC_AUTH: `ops:password-${canary}`,
        },
        encoding: 'utf8',
      },
    );
    expect(result.status, result.stderr).toBe(0);
    const built = files(outDir);
    expect(built.some((f) => f.endsWith('.js'))).toBe(true);
    for (const f of built) expect(readFileSync(f, 'utf8').includes(canary), f).toBe(false);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});
