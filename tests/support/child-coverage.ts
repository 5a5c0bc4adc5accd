/**
 * Coverage of the Node processes tests spawn (the e2e server, `main.ts` in the lifecycle and start-up tests, the
 * simulator's entry): `npm run coverage` sets CHILD_COVERAGE_DIR, and each spawned process gets it as
 * NODE_V8_COVERAGE, so V8 writes its coverage (and tsx's source maps) there when it exits;
 * tests/coverage/report.ts merges it. Without CHILD_COVERAGE_DIR this adds nothing.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function childCoverageEnv(): { NODE_V8_COVERAGE?: string } {
  const dir = process.env.CHILD_COVERAGE_DIR;
  if (!dir) return {};
  const abs = path.resolve(ROOT, dir);
  mkdirSync(abs, { recursive: true });
  // One test runs its server as an unprivileged user: it must be able to write here too.
  chmodSync(abs, 0o1777);
  return { NODE_V8_COVERAGE: abs };
}
