/**
 * `npm run bench`: every benchmark section, one after the other on this machine, printed as tables and written to
 * bench/results/latest.json. Sections measure side by side within themselves (ratios, not absolute numbers, are
 * what to compare across runs: these machines are shared and noisy).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import type { BenchSection } from './types.ts';

const SECTIONS: Record<string, () => Promise<{ run(): Promise<BenchSection> }>> = {
  simulator: () => import('./simulator.ts'),
  proxy: () => import('./proxy.ts'),
  web: () => import('./web.ts'),
  soak: () => import('./soak.ts'),
  'web-shapes': () => import('./web-shapes.ts'),
  history: () => import('./history.ts'),
  nginx: () => import('./nginx.ts'),
  fleet: () => import('./fleet.ts'),
};

function printSection(section: BenchSection): void {
  console.log(`\n## ${section.name}`);
  if (section.rows.length > 0) console.table(section.rows);
  for (const note of section.notes ?? []) console.log(`- ${note}`);
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const names = only.length > 0 ? only : Object.keys(SECTIONS);
  const results: BenchSection[] = [];
  let failed = false;
  for (const name of names) {
    const load = SECTIONS[name];
    if (!load) throw new Error(`unknown bench section ${name}; known: ${Object.keys(SECTIONS).join(', ')}`);
    try {
      const section = await (await load()).run();
      printSection(section);
      results.push(section);
    } catch (err) {
      failed = true;
      console.error(`bench section ${name} failed:`, err);
    }
  }
  mkdirSync('bench/results', { recursive: true });
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
  };
  writeFileSync('bench/results/latest.json', JSON.stringify({ meta, sections: results }, null, 2) + '\n');
  console.log('\nwrote bench/results/latest.json');
  if (failed) process.exitCode = 1;
}

await main();
