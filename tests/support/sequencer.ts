/**
 * The order files start in: longest first, across both projects, so the last files to finish are short ones and
 * the wall-clock-bound integration files (alerts, the watch) run beside the CPU-bound browser files instead of
 * after them. Vitest's own sequencer runs one project after the other and, on a fresh clone with no timings
 * cached, orders by file size. The durations below were measured (`npm test`, 2 cores, one worker per file,
 * December 2026) and only order the start: a stale figure costs time, never a result. Vitest's cached timings
 * take over when a run has left them.
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const SECONDS: Record<string, number> = {
  'tests/e2e/stay-honest.test.ts': 73,
  'tests/e2e/a11y.test.ts': 50,
  'tests/integration/alerts.test.ts': 43,
  'tests/e2e/request-policy.test.ts': 38,
  'tests/e2e/fleet-watch.test.ts': 35,
  'tests/e2e/comfort.test.ts': 31,
  'tests/e2e/hardening-shapes.test.ts': 28,
  'tests/integration/watch.test.ts': 27,
  'tests/e2e/comfort-notify.test.ts': 22,
  'tests/e2e/exports-live.test.ts': 21,
  'tests/e2e/exports-history.test.ts': 18,
  'tests/e2e/fleet.test.ts': 16,
  'tests/integration/lifecycle.test.ts': 14,
  'tests/e2e/exports-errors.test.ts': 14,
  'tests/e2e/exports-table.test.ts': 14,
  'tests/e2e/write-exports.test.ts': 14,
  'tests/e2e/hardening-text.test.ts': 10,
  'tests/e2e/alerts-page.test.ts': 9,
  'tests/integration/upstream-limits.test.ts': 9,
  'tests/e2e/comfort-keyboard.test.ts': 9,
  'tests/integration/coalescing-cache.test.ts': 8,
  'tests/e2e/oidc-sign-in.test.ts': 7,
  'tests/integration/sign-in-availability.test.ts': 7,
  'tests/integration/upstream-failures.test.ts': 7,
  'tests/integration/oidc-sign-in.test.ts': 7,
};

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = this.ctx.cache;
    const expected = (spec: TestSpecification): number => {
      const file = relative(this.ctx.config.root, spec.moduleId);
      const cached = cache.getFileTestResults(`${spec.project.name}:${file}`)?.duration;
      if (cached !== undefined) return cached / 1000;
      return SECONDS[file] ?? 1;
    };
    return [...files].sort((a, b) => expected(b) - expected(a));
  }
}
