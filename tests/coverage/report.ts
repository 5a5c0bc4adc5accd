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
import { generatedPositionFor, LEAST_UPPER_BOUND, TraceMap } from '@jridgewell/trace-mapping';
import { parseAstAsync } from 'vite';
import { z } from 'zod';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const UNIT = path.join(ROOT, 'coverage/unit/coverage-final.json');
const BROWSER = path.join(ROOT, 'coverage/browser');
/** NODE_V8_COVERAGE of the processes tests spawn (tests/support/child-coverage.ts). */
const CHILDREN = path.join(ROOT, 'coverage/node');

const fileCoverage = z.object({
  statementMap: z.record(z.string(), z.object({ start: z.object({ line: z.number(), column: z.number() }) })),
  s: z.record(z.string(), z.number()),
});
const coverageMap = z.record(z.string(), fileCoverage);
const sourceMap = z.looseObject({
  version: z.literal(3),
  sources: z.array(z.string()),
  names: z.array(z.string()),
  mappings: z.string(),
  sourcesContent: z.array(z.string().nullable()).optional(),
});
const v8Function = z.looseObject({
  ranges: z.array(z.object({ startOffset: z.number(), endOffset: z.number(), count: z.number() })),
});
const childRun = z.object({
  result: z.array(z.object({ url: z.string(), functions: z.array(v8Function) })),
  'source-map-cache': z
    .record(z.string(), z.object({ lineLengths: z.array(z.number()), data: sourceMap.nullable() }))
    .optional(),
});
const browserRun = z.array(z.object({ url: z.string(), functions: z.array(v8Function) }));

type Lines = Map<string, Set<number>>;
type StatementStarts = Map<string, Array<{ line: number; column: number }>>;

function statementStarts(map: z.infer<typeof coverageMap>): StatementStarts {
  return new Map(Object.entries(map).map(([file, fc]) => [file, Object.values(fc.statementMap).map((s) => s.start)]));
}

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

/**
 * Lines of src/ that spawned Node processes executed: the e2e servers run the bundle `npm run build` made
 * (dist/server/, one script holding many modules), others src/ compiled by tsx (one script per module, whitespace
 * minified). Node kept each script's source map and line lengths. So each statement the vitest report lists is
 * looked up at its own position: mapped to the compiled code through every source map that holds its file, then
 * given the count of the innermost V8 block there, after V8's counts are merged over every process.
 */
async function childLines(statements: StatementStarts): Promise<{ lines: Lines; runs: number }> {
  const hit: Lines = new Map();
  if (!existsSync(CHILDREN)) return { lines: hit, runs: 0 };
  const runs = readdirSync(CHILDREN).filter((f) => f.endsWith('.json'));
  const maps = new Map<string, { lineLengths: number[]; data: z.infer<typeof sourceMap> }>();
  const ours = (url: string) =>
    ['src', 'dist/server'].some((dir) => url.startsWith(pathToFileURL(path.join(ROOT, dir)).href + '/'));
  const processes = runs.map((run) => {
    const cov = childRun.parse(JSON.parse(readFileSync(path.join(CHILDREN, run), 'utf8')));
    for (const [url, entry] of Object.entries(cov['source-map-cache'] ?? {}))
      if (entry.data && ours(url)) maps.set(url, { lineLengths: entry.lineLengths, data: entry.data });
    return { result: cov.result.filter((s) => ours(s.url)).map((s) => ({ scriptId: '0', ...s })) };
  });
  for (const script of mergeProcessCovs(processes).result) {
    const map = maps.get(script.url);
    if (!map) continue;
    const trace = new TraceMap(map.data as never);
    const lineOffsets: number[] = [];
    let offset = 0;
    for (const length of map.lineLengths) {
      lineOffsets.push(offset);
      offset += length + 1;
    }
    const ranges = script.functions.flatMap((f) => f.ranges);
    const dir = path.dirname(fileURLToPath(script.url));
    for (const source of map.data.sources) {
      // Node gives the sources it cached as file: URLs; a map may also name them relative to its script.
      const file = source.startsWith('file:') ? fileURLToPath(source) : path.resolve(dir, source);
      const starts = statements.get(file);
      if (!starts) continue;
      const set = hit.get(file) ?? new Set<number>();
      for (const { line, column } of starts) {
        const gen = generatedPositionFor(trace, { source, line, column, bias: LEAST_UPPER_BOUND });
        if (gen.line === null || gen.column === null) continue;
        const at = (lineOffsets[gen.line - 1] ?? Infinity) + gen.column;
        // V8's blocks nest: the innermost one holding the position has its count.
        let best: { startOffset: number; endOffset: number; count: number } | undefined;
        for (const r of ranges)
          if (
            r.startOffset <= at &&
            at < r.endOffset &&
            (!best || r.endOffset - r.startOffset < best.endOffset - best.startOffset)
          )
            best = r;
        if (best && best.count > 0) set.add(line);
      }
      hit.set(file, set);
    }
  }
  return { lines: hit, runs: runs.length };
}

const pct = (n: number, d: number) => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)} %`);

async function main(): Promise<void> {
  if (!existsSync(UNIT)) throw new Error('no coverage/unit/coverage-final.json: run `npm run coverage`');
  const unit = coverageMap.parse(JSON.parse(readFileSync(UNIT, 'utf8')));
  const all = lines(unit, false);
  const unitHit = lines(unit, true);
  const [browser, children] = [await browserLines(), await childLines(statementStarts(unit))];
  // Every top-level part of src/, as the vitest report lists its files (a new part is counted without a change here).
  const folders = [
    ...new Set([...all.keys()].map((f) => path.relative(ROOT, f).split('/').slice(0, 2).join('/'))),
  ].sort();
  const rows = folders.map((folder) => {
    let total = 0;
    let byUnit = 0;
    let byChildren = 0;
    let byAny = 0;
    for (const [file, set] of all) {
      if (!path.relative(ROOT, file).startsWith(`${folder}/`)) continue;
      for (const line of set) {
        total++;
        const u = unitHit.get(file)?.has(line) ?? false;
        const c = u || (children.lines.get(file)?.has(line) ?? false);
        if (u) byUnit++;
        if (c) byChildren++;
        if (c || browser.lines.get(file)?.has(line)) byAny++;
      }
    }
    return {
      folder,
      lines: total,
      'vitest only': pct(byUnit, total),
      '+ spawned servers': pct(byChildren, total),
      '+ browser': pct(byAny, total),
    };
  });
  console.log(
    `\nLine coverage (${children.runs} spawned Node processes and ${browser.runs} browser test pages merged)`,
  );
  console.table(rows);
  writeFileSync(path.join(ROOT, 'coverage/summary.json'), JSON.stringify(rows, null, 2) + '\n');
}

await main();
