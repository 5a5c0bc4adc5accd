/**
 * `npm start`: runs the compiled server (dist/server/main.js), building first (`npm run build`: the SPA
 * and the server) when a source is newer than the build. Plain JavaScript so it needs neither tsx nor
 * TypeScript; the server is imported into this same process, so there is no wrapper process holding memory.
 * In a deployment (no src/ beside dist/) nothing is checked. SPA_BUILD=never skips the check.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ENTRY = path.join(ROOT, 'dist', 'server', 'main.js');
const OUTPUTS = [path.join(ROOT, 'dist', 'index.html'), ENTRY];
const SOURCES = ['src', 'public', 'index.html', 'vite.config.ts', 'tsconfig.json', 'package-lock.json'];

function newestMtime(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(p).map((name) => newestMtime(path.join(p, name))));
}

function stale() {
  if (!existsSync(path.join(ROOT, 'src'))) return false;
  const builtAt = Math.min(...OUTPUTS.map((p) => (existsSync(p) ? statSync(p).mtimeMs : 0)));
  return builtAt < Math.max(...SOURCES.map((p) => newestMtime(path.join(ROOT, p))));
}

if (process.env.SPA_BUILD !== 'never' && stale()) {
  // Build output goes to stderr so stdout stays one JSON log object per line.
  process.stderr.write('sources changed since the last build: npm run build\n');
  const npm = process.env.npm_execpath;
  const result = npm
    ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] })
    : spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    if (!existsSync(ENTRY)) {
      process.stderr.write('build failed; see the output above\n');
      process.exit(1);
    }
    process.stderr.write('build failed; starting the previous build\n');
  }
}
if (!existsSync(ENTRY)) {
  process.stderr.write(`${path.relative(ROOT, ENTRY)} is missing: run npm run build\n`);
  process.exit(1);
}
await import(pathToFileURL(ENTRY).href);
