/**
 * `npm run coverage`'s report: lines covered per source folder, by the vitest run (unit, contract, integration and
 * the Node side of e2e, from @vitest/coverage-v8) and by Chromium running the built SPA in the e2e tests
 * (tests/e2e/browser-coverage.ts), mapped back to src/ through the build's source maps with the same converter
 * vitest uses. The vitest report lists every source file, so its statement lines are the denominator for both.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mergeProcessCovs } from '@bcoe/v8-coverage';
import convert from 'ast-v8-to-istanbul';
import { parseAstAsync } from 'vite';
import { z } from 'zod';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FOLDERS = ['src/web', 'src/server', 'src/simulator', 'src/atlas'];
const UNIT = path.join(ROOT, 'coverage/unit/coverage-final.json');
const BROWSER = path.join(ROOT, 'coverage/browser');

const fileCoverage = z.object({
  statementMap: z.record(z.string(), z.object({ start: z.object({ line: z.number() }) })),
  s: z.record(z.string(), z.number()),
});
const coverageMap = z.record(z.string(), fileCoverage);
const browserRun = z.array(z.object({ url: z.string(), functions: z.array(z.unknown()) }));

type Lines = Map<string, Set<number>>;

/** Statement start lines per file: all of them, or only those executed at least once. */
function lines(map: z.infer<typeof coverageMap>, hitOnly: boolean, into: Lines = new Map()): Lines {
  for (const [file, fc] of Object.entries(map)) {
    const set = into.get(file) ?? new Set<number>();
    for (const [id, loc] of Object.entries(fc.statementMap))
      if (!hitOnly || (fc.s[id] ?? 0) > 0) set.add(loc.start.line);
    into.set(file, set);
  }
  return into;
}

/** Lines of src/ that Chromium executed, over every test page: V8 counts merged first, then one mapping per script. */
async function browserLines(): Promise<{ lines: Lines; runs: number }> {
  const hit: Lines = new Map();
  if (!existsSync(BROWSER)) return { lines: hit, runs: 0 };
  const runs = readdirSync(BROWSER).filter((f) => f.endsWith('.json'));
  const merged = mergeProcessCovs(
    runs.map((run) => ({
      result: browserRun
        .parse(JSON.parse(readFileSync(path.join(BROWSER, run), 'utf8')))
        .map((s) => ({ scriptId: '0', ...s })),
    })),
  );
  for (const script of merged.result) {
    const file = path.join(ROOT, 'dist', script.url);
    if (!existsSync(`${file}.map`)) throw new Error(`${script.url}: no source map in dist/ (npm run build first)`);
    const code = readFileSync(file, 'utf8');
    const data = await convert({
      code,
      ast: parseAstAsync(code),
      sourceMap: JSON.parse(readFileSync(`${file}.map`, 'utf8')) as Parameters<typeof convert>[0]['sourceMap'],
      // The V8 shape as Chromium reports it; the converter reads only ranges and counts.
      coverage: { url: pathToFileURL(file).href, functions: script.functions as never },
    });
    lines(coverageMap.parse(data), true, hit);
  }
  return { lines: hit, runs: runs.length };
}

const pct = (n: number, d: number) => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)} %`);

async function main(): Promise<void> {
  if (!existsSync(UNIT)) throw new Error('no coverage/unit/coverage-final.json: run `npm run coverage`');
  const unit = coverageMap.parse(JSON.parse(readFileSync(UNIT, 'utf8')));
  const all = lines(unit, false);
  const unitHit = lines(unit, true);
  const browser = await browserLines();
  const rows = FOLDERS.map((folder) => {
    let total = 0;
    let byUnit = 0;
    let byEither = 0;
    for (const [file, set] of all) {
      if (!path.relative(ROOT, file).startsWith(`${folder}/`)) continue;
      for (const line of set) {
        total++;
        const u = unitHit.get(file)?.has(line) ?? false;
        if (u) byUnit++;
        if (u || browser.lines.get(file)?.has(line)) byEither++;
      }
    }
    return { folder, lines: total, 'vitest only': pct(byUnit, total), 'vitest + browser': pct(byEither, total) };
  });
  console.log(`\nLine coverage (${browser.runs} browser test pages merged)`);
  console.table(rows);
  writeFileSync(path.join(ROOT, 'coverage/summary.json'), JSON.stringify(rows, null, 2) + '\n');
}

await main();
