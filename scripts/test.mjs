/**
 * `npm test`: every check, in the least wall time on a small machine. The build goes first, and Vitest with
 * coverage (unit, contract, integration and browser tests; the browser tests need the build) starts the moment it
 * is done, while the type check, ESLint and Prettier run beside it: each of those is mostly one thread, and the
 * test files spend much of their time waiting on timers and the browser. Their output is held and printed whole
 * (a failure's in full); any failure fails the run once everything has finished. Each phase's time is printed at
 * the end, so a slower suite shows where.
 */
import { spawn } from 'node:child_process';

const started = performance.now();
const times = [];
/** What a failed quiet phase printed, shown at the end, below the test output. */
const failures = [];

function run(name, script, { quiet }) {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    child.on('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      times.push([name, seconds]);
      if (quiet) {
        process.stdout.write(`${code === 0 ? 'ok  ' : 'FAIL'} ${name} (${seconds.toFixed(1)} s)\n`);
        if (code !== 0) failures.push([name, output.endsWith('\n') ? output : `${output}\n`]);
      }
      resolve(code ?? 1);
    });
  });
}

function summary() {
  for (const [name, output] of failures) process.stdout.write(`\n${name} failed:\n${output}`);
  const total = (performance.now() - started) / 1000;
  process.stdout.write(
    `\nnpm test phases: ${times.map(([n, s]) => `${n} ${s.toFixed(1)} s`).join(', ')}; wall ${total.toFixed(1)} s\n`,
  );
}

const build = await run('build', 'build', { quiet: true });
if (build !== 0) {
  summary();
  process.exit(1);
}
const codes = await Promise.all([
  run('typecheck', 'typecheck', { quiet: true }),
  run('lint', 'lint', { quiet: true }),
  run('format', 'format:check', { quiet: true }),
  run('vitest + coverage report', 'coverage', { quiet: false }),
]);
summary();
process.exit(codes.some((code) => code !== 0) ? 1 : 0);
