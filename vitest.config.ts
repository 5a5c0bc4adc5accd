import { defineConfig } from 'vitest/config';
import LongestFirst from './tests/support/sequencer.ts';

/**
 * Files from both projects share one pool of four workers (TEST_WORKERS overrides). Vitest's default on 2 cores
 * is one worker, and a project with `fileParallelism: false` ran every browser file after every other file: the
 * whole suite ran one file at a time. Each file starts its own simulator, server (port 0, own DATA_DIR) and
 * Chromium, so files do not share state. With the headless shell the browser files leave CPU idle while they wait
 * on timers: on 2 cores, `npm test` took 227 s with three workers and 198 s with four, at the same 355 CPU-s.
 */
const workers = Number(process.env.TEST_WORKERS ?? 4);
const ALONE = ['tests/integration/sign-in-availability.test.ts'];

export default defineConfig({
  test: {
    // `npm run coverage`: every source file counts, tested or not; tests/coverage/report.ts merges in the browser.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.{ts,tsx}'],
      exclude: ['src/**/*.test.ts', 'src/**/*.d.ts'],
      reporter: ['json'],
      reportsDirectory: 'coverage/unit',
      reportOnFailure: true,
    },
    maxWorkers: workers,
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'tests/contract/**/*.test.ts', 'tests/integration/**/*.test.ts'],
          exclude: [...ALONE],
          environment: 'node',
          // One module graph per worker, not one per file: these files start no browser and mock no module, and a
          // fresh graph per file cost a third of this project's CPU (84 CPU-s against 52 without).
          isolate: false,
          testTimeout: 20_000,
        },
      },
      {
        // After the others, one at a time: these assert what the server sustains under a flood they make
        // themselves, and a browser test beside them on 2 cores takes the CPU they measure.
        test: {
          name: 'alone',
          include: [...ALONE],
          environment: 'node',
          testTimeout: 20_000,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
