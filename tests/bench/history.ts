/**
 * History benchmark (demo mode, as `npm start` runs it): opening `?state=Failed` on orders-prod until the exact
 * totals are on screen; re-filtering and re-sorting per keystroke in Chromium over orders-prod's 1,250 jobs and
 * over the 20,000 of `--world history`'s events-archive (to the DOM and to the next frame, with a Chromium trace
 * of where the main thread spent it), and the pure functions alone; and how many list calls reach the simulator
 * for one viewer and for ten opening the same view at once (the proxy's coalescing cache).
 */
import os from 'node:os';
import type { Browser, Page } from 'playwright-core';
import type { ExportJob, ExportJobPage } from '../../src/atlas/types.ts';
import { computeHistoryView } from '../../src/web/features/exports/components/history-view.ts';
import { resolveQuery } from '../../src/web/features/exports/api/history-search.ts';
import { launchChromium, openPage } from '../support/browser.ts';
import { traced, type TraceSummary } from './trace-summary.ts';
import { simulatorUrl, startDemoServer } from '../e2e/stack.ts';
import type { BenchSection } from './types.ts';

const TARGETS = { totalsMs: 1000, keystroke1250Ms: 16, keystroke20kMs: 50, calls: 3 };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const TYPED = 'ops-12';

async function listCalls(sim: string): Promise<number> {
  const stats = (await (await fetch(`${sim}/__sim/stats`)).json()) as {
    requests: { byOperation: Record<string, number> };
  };
  return stats.requests.byOperation.listGroupClusterBackupExports ?? 0;
}

/** Navigation start -> the frame after "… · all pages loaded" is in the DOM, measured in the page. */
async function openToTotals(page: Page, url: string): Promise<number> {
  await page.addInitScript(() => {
    const w = window as unknown as { __totals?: number };
    new MutationObserver((_, obs) => {
      if (!document.querySelector('[data-testid="history-summary"]')?.textContent?.includes('all pages loaded')) return;
      obs.disconnect();
      requestAnimationFrame((t) => (w.__totals = t));
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
  await page.goto(url, { timeout: 60_000 });
  await page.waitForFunction(() => (window as unknown as { __totals?: number }).__totals !== undefined, undefined, {
    timeout: 60_000,
  });
  return page.evaluate(() => (window as unknown as { __totals: number }).__totals);
}

/** Per character typed into the search box, ms from its input event. */
interface Typed {
  /** The summary line changed: counts and rows are in the DOM (they render in one commit). */
  dom: number[];
  /** The frame after that commit was drawn (a task after the next animation frame: its style, layout, paint). */
  frame: number[];
}

/** Types into the search box one character at a time, then clears it (a keystroke too: Backspace over it all). */
async function keystrokes(page: Page, rounds = 1): Promise<Typed> {
  return page.evaluate(
    async ({ typed, rounds }) => {
      const input = document.querySelector<HTMLInputElement>('input[type="search"]')!;
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      // No named inner functions: tsx would wrap them in a helper that does not exist inside the page.
      const out = { dom: [] as number[], frame: [] as number[] };
      for (let round = 0; round < rounds; round++)
        for (let i = 1; i <= typed.length + 1; i++) {
          await new Promise((r) => setTimeout(r, 120));
          const before = document.querySelector('[data-testid="history-summary"]')?.textContent;
          const t0 = performance.now();
          let dom = 0;
          const done = new Promise<void>((resolve) => {
            const obs = new MutationObserver(() => {
              if (document.querySelector('[data-testid="history-summary"]')?.textContent === before) return;
              obs.disconnect();
              dom = performance.now() - t0;
              requestAnimationFrame(() => {
                const channel = new MessageChannel();
                channel.port1.onmessage = () => resolve();
                channel.port2.postMessage(0);
              });
            });
            obs.observe(document.body, { childList: true, subtree: true, characterData: true });
          });
          setValue.call(input, i > typed.length ? '' : typed.slice(0, i));
          input.dispatchEvent(new Event('input', { bubbles: true }));
          await done;
          out.dom.push(dom);
          out.frame.push(performance.now() - t0);
        }
      return out;
    },
    { typed: TYPED, rounds },
  );
}

/** The pure part of a keystroke: filter, count, sort, in Node's V8, per prefix of the typed text. */
function pureKeystrokeMs(jobs: ExportJob[]): number {
  const samples: number[] = [];
  const now = Date.now();
  for (let round = 0; round < 5; round++)
    for (let i = 1; i <= TYPED.length; i++) {
      const { query, sort } = resolveQuery({ q: TYPED.slice(0, i), sort: '-duration' });
      const t0 = performance.now();
      computeHistoryView(jobs, query, sort, now);
      samples.push(performance.now() - t0);
    }
  return median(samples.slice(TYPED.length)); // the first round warms the JIT
}

/** Every page of the history is in: the filtered view says so; the table's Failed chip shows an exact count. */
async function allLoaded(page: Page, filtered: boolean): Promise<void> {
  const done = filtered
    ? page.getByTestId('history-summary').getByText('all pages loaded', { exact: false })
    : page.getByRole('link', { name: /^Failed: [\d,]+$/ });
  await done.waitFor({ timeout: 120_000 });
}

async function tenViewers(browser: Browser, url: string, filtered: boolean): Promise<void> {
  const tabs = await Promise.all(Array.from({ length: 10 }, () => openPage(browser)));
  // Generous timeouts: ten tabs at once on a shared 2-core machine; this measures calls, not time.
  await Promise.all(tabs.map((t) => t.page.goto(url, { waitUntil: 'commit', timeout: 120_000 })));
  await Promise.all(tabs.map((t) => allLoaded(t.page, filtered)));
  await Promise.all(tabs.map((t) => t.context.close()));
}

/** Every job of a cluster, read through the dashboard's proxy as the page reads them. */
async function allJobs(base: string, groupId: string, name: string): Promise<ExportJob[]> {
  const path = `${base}/api/atlas/v2/groups/${groupId}/clusters/${name}/backup/exports?itemsPerPage=500`;
  const first = (await (await fetch(path)).json()) as ExportJobPage;
  const all: ExportJob[] = [...first.results];
  for (let p = 2; all.length < (first.totalCount ?? 0); p++)
    all.push(...((await (await fetch(`${path}&pageNum=${p}`)).json()) as ExportJobPage).results);
  return all;
}

/** Opens the cluster's history sorted by duration, types (three rounds), then types one more round traced. */
async function typing(browser: Browser, url: string): Promise<{ typed: Typed; trace: TraceSummary }> {
  const { page, context } = await openPage(browser);
  try {
    await openToTotals(page, `${url}?sort=-duration`);
    const typed = await keystrokes(page, 3);
    const trace = await traced(browser, page, async () => void (await keystrokes(page, 1)));
    return { typed, trace };
  } finally {
    await context.close();
  }
}

function describeTrace(what: string, t: TraceSummary): string {
  const per = (ms: number) => round(ms / (TYPED.length + 1), 1);
  return (
    `${what}, Chromium trace of one round (${TYPED.length + 1} changes), main-thread self time per change: ` +
    `script ${per(t.selfMs.script)} ms, style ${per(t.selfMs.style)} ms (${t.styleRecalcs} passes, median ` +
    `${t.styleElements} elements), layout ${per(t.selfMs.layout)} ms (${t.layouts} passes, ${t.forcedLayouts} ` +
    `forced by script, median ${t.layoutObjects.dirty} of ${t.layoutObjects.total} objects dirty), paint ` +
    `${per(t.selfMs.paint)} ms, GC ${per(t.selfMs.gc)} ms`
  );
}

interface DemoPart {
  totals: number[];
  calls: number;
  tenCalls: number;
  tableCalls: number;
  tenTableCalls: number;
  typing: { typed: Typed; trace: TraceSummary };
  jobs: ExportJob[];
}

/**
 * The default demo world (orders-prod, 1,250 jobs) as `npm start` runs it, with the proxy's default 3 s cache (the
 * e2e stack's servers run with it off, so a fault shows at once) and without the watch: its own checks of every
 * cluster would be counted in the same operation counter as the viewers' calls, and they are not a viewer's cost
 * (with the watch on, its check of this cluster shares the viewers' page 1: tests/integration/coalescing-cache.test.ts).
 */
async function demoPart(browser: Browser): Promise<DemoPart> {
  const server = await startDemoServer({ PROXY_CACHE_TTL_MS: '3000', WATCH: 'off' });
  try {
    const sim = simulatorUrl(server.output);
    const world = (await (await fetch(`${sim}/__sim/world`)).json()) as {
      bigCluster: { groupId: string; name: string };
    };
    const { groupId, name } = world.bigCluster;
    const url = `${server.url}/projects/${groupId}/clusters/${name}/exports`;
    const totals: number[] = [];
    let calls = NaN;
    for (let i = 0; i < 6; i++) {
      // Past the proxy's 3 s cache, so every open reaches the simulator as a first visit would.
      await new Promise((r) => setTimeout(r, 3500));
      const before = await listCalls(sim);
      const { page, context } = await openPage(browser);
      totals.push(await openToTotals(page, `${url}?state=Failed`));
      if (i === 1) calls = (await listCalls(sim)) - before;
      await context.close();
    }
    await new Promise((r) => setTimeout(r, 3500));
    const beforeTen = await listCalls(sim);
    await tenViewers(browser, `${url}?state=Failed`, true);
    const tenCalls = (await listCalls(sim)) - beforeTen;
    // The table without a filter: its page and the counts of every job behind it.
    await new Promise((r) => setTimeout(r, 3500));
    const beforeTable = await listCalls(sim);
    {
      const { page, context } = await openPage(browser);
      await page.goto(url, { timeout: 60_000 });
      await allLoaded(page, false);
      await context.close();
    }
    const tableCalls = (await listCalls(sim)) - beforeTable;
    await new Promise((r) => setTimeout(r, 3500));
    const beforeTenTable = await listCalls(sim);
    await tenViewers(browser, url, false);
    const tenTableCalls = (await listCalls(sim)) - beforeTenTable;
    return {
      totals,
      calls,
      tenCalls,
      tableCalls,
      tenTableCalls,
      typing: await typing(browser, url),
      jobs: await allJobs(server.url, groupId, name),
    };
  } finally {
    await server.close();
  }
}

/** `--world history`: the same demo plus events-archive, 20,000 jobs; the watch off (it is not measured here). */
async function hugePart(browser: Browser): Promise<{ totals: number; typing: DemoPart['typing']; jobs: ExportJob[] }> {
  const server = await startDemoServer({ SIMULATOR_WORLD: 'history', WATCH: 'off', PROXY_CACHE_TTL_MS: '3000' });
  try {
    const sim = simulatorUrl(server.output);
    const world = (await (await fetch(`${sim}/__sim/world`)).json()) as {
      hugeCluster?: { groupId: string; name: string; jobs: number };
    };
    if (world.hugeCluster?.jobs !== 20_000) throw new Error('the history world has no 20,000-job cluster');
    const { groupId, name } = world.hugeCluster;
    const url = `${server.url}/projects/${groupId}/clusters/${name}/exports`;
    const { page, context } = await openPage(browser);
    const totals = await openToTotals(page, `${url}?state=Failed`);
    await context.close();
    return { totals, typing: await typing(browser, url), jobs: await allJobs(server.url, groupId, name) };
  } finally {
    await server.close();
  }
}

export async function run(): Promise<BenchSection> {
  const load = os.loadavg()[0] ?? 0;
  const browser = await launchChromium();
  try {
    const demo = await demoPart(browser);
    const huge = await hugePart(browser);
    if (huge.jobs.length !== 20_000) throw new Error(`read ${huge.jobs.length} jobs of the 20,000-job cluster`);
    const loadAfter = os.loadavg()[0] ?? 0;
    const row = (metric: string, value: number, unit: string, target: string, ok: boolean) => ({
      metric,
      value: round(value, 2),
      unit,
      target,
      ok: ok ? 'yes' : 'NO',
    });
    const timed = (metric: string, value: number, target?: number) =>
      row(metric, value, 'ms', target === undefined ? '-' : `<= ${target}`, target === undefined || value <= target);
    const open = median(demo.totals.slice(1));
    const d = demo.typing.typed;
    const h = huge.typing.typed;
    return {
      name: 'history (whole-cluster filter/sort, demo mode, headless Chromium)',
      rows: [
        timed('open ?state=Failed -> exact totals on screen, 1,250 jobs (median of 5)', open, TARGETS.totalsMs),
        timed(
          'keystroke -> rows and counts in the DOM, 1,250 jobs (median of 21)',
          median(d.dom),
          TARGETS.keystroke1250Ms,
        ),
        timed('keystroke -> next frame drawn, 1,250 jobs (median)', median(d.frame)),
        timed('same, slowest keystroke to the DOM, 1,250 jobs', Math.max(...d.dom)),
        timed(
          'keystroke -> rows and counts in the DOM, 20,000 jobs (median of 21)',
          median(h.dom),
          TARGETS.keystroke20kMs,
        ),
        timed('keystroke -> next frame drawn, 20,000 jobs (median)', median(h.frame)),
        timed('same, slowest keystroke to the DOM, 20,000 jobs', Math.max(...h.dom)),
        timed('pure functions per keystroke, 1,250 jobs (Node V8, median)', pureKeystrokeMs(demo.jobs)),
        timed('pure functions per keystroke, 20,000 jobs (Node V8, median)', pureKeystrokeMs(huge.jobs)),
        timed('open ?state=Failed -> exact totals on screen, 20,000 jobs (one open)', huge.totals),
        row(
          'list calls reaching Atlas: one viewer loads 1,250 jobs',
          demo.calls,
          'calls',
          `${TARGETS.calls}`,
          demo.calls === TARGETS.calls,
        ),
        row(
          'list calls reaching Atlas: ten viewers open it at once',
          demo.tenCalls,
          'calls',
          `${TARGETS.calls}`,
          demo.tenCalls === TARGETS.calls,
        ),
        row(
          'list calls reaching Atlas: one viewer opens the table (no filter) to exact counts',
          demo.tableCalls,
          'calls',
          `${TARGETS.calls}`,
          demo.tableCalls === TARGETS.calls,
        ),
        row(
          'list calls reaching Atlas: ten viewers open the table (no filter) at once',
          demo.tenTableCalls,
          'calls',
          `<= ${TARGETS.calls}`,
          demo.tenTableCalls <= TARGETS.calls,
        ),
      ],
      notes: [
        `load average: ${round(load, 2)} at start, ${round(loadAfter, 2)} after the browser parts, on ${os.cpus().length} cores`,
        `typed "${TYPED}" into the search box with sort=-duration, one character per 120 ms, then cleared it; three rounds (21 changes). DOM = input event until the summary line changed (rows and counts render in the same commit); frame = until a task after the next animation frame (that commit's style, layout and paint included)`,
        ...(['dom', 'frame'] as const).flatMap((k) => [
          `1,250 jobs, ${k} per change (ms): ${d[k].map((v) => Math.round(v)).join(' ')}`,
          `20,000 jobs, ${k} per change (ms): ${h[k].map((v) => Math.round(v)).join(' ')}`,
        ]),
        describeTrace('1,250 jobs', demo.typing.trace),
        describeTrace('20,000 jobs', huge.typing.trace),
        'the 20,000 jobs are a real cluster: `--world history` (events-archive), loaded page by page through the proxy as for any cluster, the watch off',
        'calls counted by the simulator (/__sim/stats, listGroupClusterBackupExports), demo mode with the default 3 s proxy cache and the watch off; each open waits 3.5 s so it is a cold one',
      ],
    };
  } finally {
    await browser.close();
  }
}
