/**
 * `npm test`: every check, in the least wall time on a small machine. The type check, ESLint, Prettier and the
 * build do not depend on each other, and each is mostly one thread: they run at once, each one's output held and
 * printed whole (a failure's output in full). Then the one Vitest run with coverage (unit, contract,
 * integration and browser tests, which need the build) and the coverage report. Each phase's time is printed at
 * the end, so a slower suite shows where.
 */
import { spawn } from 'node:child_process';

const started = performance.now();
const times = [];

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
        if (code !== 0) process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
      }
      resolve(code ?? 1);
    });
  });
}

function summary() {
  const total = (performance.now() - started) / 1000;
  process.stdout.write(
    `\nnpm test phases: ${times.map(([n, s]) => `${n} ${s.toFixed(1)} s`).join(', ')}; wall ${total.toFixed(1)} s\n`,
  );
}

const checks = await Promise.all([
  run('typecheck', 'typecheck', { quiet: true }),
  run('lint', 'lint', { quiet: true }),
  run('format', 'format:check', { quiet: true }),
  run('build', 'build', { quiet: true }),
]);
if (checks.some((code) => code !== 0)) {
  summary();
  process.exit(1);
}
const code = await run('vitest + coverage report', 'coverage', { quiet: false });
summary();
process.exit(code);
