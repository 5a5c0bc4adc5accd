/**
 * `npm run build` (second half): the server and the simulator as plain JavaScript in dist/server/, bundled with
 * their dependencies by esbuild. One file instead of hundreds of modules is what makes the server start in tens
 * of milliseconds: resolving and compiling undici, zod and prom-client file by file cost more than everything
 * else at start. Demo mode's simulator is a separate chunk, loaded only when there are no Atlas credentials.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUT = `${ROOT}dist/server`;

rmSync(OUT, { recursive: true, force: true });
await build({
  absWorkingDir: ROOT,
  entryPoints: { main: 'src/server/main.ts', simulator: 'src/simulator/main.ts' },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Bundled CommonJS dependencies (undici, prom-client) call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
  chunkNames: 'chunks/[name]-[hash]',
  // Only the parts of undici and prom-client the server uses (see scripts/undici-slim.mjs and
  // scripts/prom-client-slim.mjs): the rest is code, and Node modules, loaded at every start for nothing.
  plugins: [
    {
      name: 'slim-dependencies',
      setup(b) {
        b.onResolve({ filter: /^undici$/ }, () => ({ path: `${ROOT}scripts/undici-slim.mjs` }));
        b.onResolve({ filter: /^prom-client$/ }, () => ({ path: `${ROOT}scripts/prom-client-slim.mjs` }));
      },
    },
  ],
  legalComments: 'linked',
  // Smaller source to parse and keep in memory (about 3 MB less RSS); the source map stays beside it on disk.
  minify: true,
  sourcemap: 'linked',
  logLevel: 'warning',
});
