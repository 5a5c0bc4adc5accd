/**
 * Web benchmark: the built SPA served by the dashboard server (pointed at a frozen simulator), in headless
 * Chromium. Measures what a user waits for: bytes before anything shows, navigation to first rows, a 500-row
 * page change, and the cost of a refresh that brings nothing new (which should write nothing to the DOM).
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import type { ExportJobPage } from '../../src/atlas/types.ts';
import { launchChromium, openPage } from '../support/browser.ts';
import { startStack, type Stack } from '../e2e/stack.ts';
import type { BenchSection } from './types.ts';

const TARGETS = { initialJsKb: 160, firstRowsMs: 400, render500Ms: 100, refreshScriptMs: 5 };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Gzipped size of what index.html loads up front (scripts, module preloads, stylesheets); lazy chunks apart. */
function initialAssets(): { jsKb: number; cssKb: number; lazyJsKb: number } {
  const html = readFileSync('dist/index.html', 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  const gz = (p: string) => gzipSync(readFileSync(`dist${p}`)).length / 1024;
  const jsKb = refs.filter((r) => r.endsWith('.js')).reduce((s, r) => s + gz(r), 0);
  const cssKb = refs.filter((r) => r.endsWith('.css')).reduce((s, r) => s + gz(r), 0);
  const lazy = readdirSync('dist/assets').filter((f) => f.endsWith('.js') && !refs.includes(`/assets/${f}`));
  return { jsKb, cssKb, lazyJsKb: lazy.reduce((s, f) => s + gz(`/assets/${f}`), 0) };
}

/**
 * Navigation start -> the first frame after table rows exist, observed in the page itself. Cold: a fresh browser
 * profile each time (first visit). Warm: reloading the bookmarked URL (HTTP cache and V8 code cache warm).
 */
async function firstRowsMs(stack: Stack, path: string): Promise<{ cold: number; warm: number }> {
  const browser = await launchChromium();
  const samples: number[] = [];
  const warm: number[] = [];
  try {
    for (let i = 0; i < 7; i++) {
      const { page, context } = await openPage(browser);
      await page.addInitScript(() => {
        const w = window as unknown as { __firstRows?: number };
        new MutationObserver((_, obs) => {
          if (!document.querySelector('tbody tr[data-row-id]')) return;
          obs.disconnect();
          requestAnimationFrame((t) => (w.__firstRows = t));
        }).observe(document, { childList: true, subtree: true });
      });
      await page.goto(stack.url + path);
      await page.waitForFunction(() => (window as unknown as { __firstRows?: number }).__firstRows !== undefined);
      samples.push(await page.evaluate(() => (window as unknown as { __firstRows: number }).__firstRows));
      for (let j = 0; j < 2; j++) {
        await page.reload();
        await page.waitForFunction(() => (window as unknown as { __firstRows?: number }).__firstRows !== undefined);
        warm.push(await page.evaluate(() => (window as unknown as { __firstRows: number }).__firstRows));
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  // The first visit also warms the server's token and the OS page cache: leave it out.
  return { cold: median(samples.slice(1)), warm: median(warm.slice(2)) };
}

/** Click "Next"/"Previous" on a prefetched 500-row page: until the new rows are committed, and the next frame. */
async function pageFlipMs(page: Page, button: string): Promise<{ commit: number; frame: number }> {
  return page.evaluate(
    (label) =>
      new Promise<{ commit: number; frame: number }>((resolve) => {
        const body = document.querySelector('tbody')!;
        const before = body.querySelector('tr')?.getAttribute('data-row-id');
        const t0 = performance.now();
        const obs = new MutationObserver(() => {
          if (body.querySelector('tr')?.getAttribute('data-row-id') === before) return;
          obs.disconnect();
          const commit = performance.now() - t0;
          requestAnimationFrame(() => setTimeout(() => resolve({ commit, frame: performance.now() - t0 }), 0));
        });
        obs.observe(body, { childList: true, subtree: true });
        document.querySelector<HTMLButtonElement>(`button[aria-label="${label}"]`)!.click();
      }),
    button,
  );
}

async function render500(
  stack: Stack,
  path: string,
): Promise<{ commit: number; frame: number; cpu: number; rows: number }> {
  const browser = await launchChromium();
  try {
    const { page, context } = await openPage(browser);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const threadMs = async () =>
      ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime')?.value ?? 0) * 1000;
    await page.goto(`${stack.url}${path}?perPage=500`);
    await page.getByRole('progressbar').first().waitFor();
    const commits: number[] = [];
    const frames: number[] = [];
    const cpus: number[] = [];
    for (const label of ['Next page', 'Previous page', 'Next page', 'Previous page', 'Next page', 'Previous page']) {
      await page.waitForLoadState('networkidle'); // the neighbour page is prefetched: this measures rendering
      await page.waitForTimeout(300);
      const before = await threadMs();
      const r = await pageFlipMs(page, label);
      cpus.push((await threadMs()) - before);
      commits.push(r.commit);
      frames.push(r.frame);
    }
    const rows = await page.locator('tbody tr').count();
    return { commit: median(commits), frame: median(frames), cpu: median(cpus), rows };
  } finally {
    await browser.close();
  }
}

/**
 * Runs in the page: click "Refresh now", resolve once the button is enabled again (the refetch settled) and two
 * frames have passed. All in one evaluate, so no test-driver polling adds script time to the measurement.
 */
function clickAndSettle(): Promise<void> {
  return new Promise((resolve) => {
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Refresh now')!;
    const obs = new MutationObserver(() => {
      if (button.disabled) return;
      obs.disconnect();
      requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
    });
    obs.observe(button, { attributes: true, attributeFilter: ['disabled'] });
    button.click();
  });
}

/** "Refresh now" on a page of finished jobs, frozen simulator: CDP script time and DOM writes in the table. */
async function unchangedRefresh(
  stack: Stack,
  path: string,
): Promise<{ scriptMs: number; tableWrites: number; docWrites: number }> {
  const browser = await launchChromium();
  try {
    const { page, context } = await openPage(browser);
    await page.goto(stack.url + path);
    await page.getByRole('progressbar').first().waitFor();
    await page.waitForLoadState('networkidle');
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const metric = async (name: string) => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
    };
    const script = () => metric('ScriptDuration');
    await page.evaluate(() => {
      const w = window as unknown as { __table: number; __doc: number };
      w.__table = 0;
      w.__doc = 0;
      new MutationObserver((r) => (w.__table += r.length)).observe(document.querySelector('tbody')!, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
      new MutationObserver((r) => (w.__doc += r.length)).observe(document.body, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
    });
    const samples: number[] = [];
    for (let i = 0; i < 16; i++) {
      await page.waitForTimeout(250);
      const before = await script();
      await page.evaluate(clickAndSettle);
      samples.push((await script()) - before);
    }
    const writes = await page.evaluate(() => {
      const w = window as unknown as { __table: number; __doc: number };
      return { table: w.__table, doc: w.__doc };
    });
    return { scriptMs: median(samples), tableWrites: writes.table, docWrites: writes.doc };
  } finally {
    await browser.close();
  }
}

export async function run(): Promise<BenchSection> {
  const assets = initialAssets();
  const stack = await startStack({ seed: 42, speed: 0 });
  try {
    const { groupId, name } = stack.world.bigCluster;
    const base = `/projects/${groupId}/clusters/${name}/exports`;
    const res = await fetch(
      `${stack.url}/api/atlas/v2/groups/${groupId}/clusters/${name}/backup/exports?pageNum=3&itemsPerPage=50`,
    );
    const page3 = (await res.json()) as ExportJobPage;
    if (page3.results.some((j) => j.state === 'Queued' || j.state === 'InProgress'))
      throw new Error('page 3 has active jobs');
    const load = os.loadavg()[0] ?? 0;
    const first = await firstRowsMs(stack, base);
    const big = await render500(stack, base);
    const refresh = await unchangedRefresh(stack, `${base}?page=3`);
    const row = (metric: string, value: number, unit: string, target: string, ok: boolean) => ({
      metric,
      value: round(value),
      unit,
      target,
      ok: ok ? 'yes' : 'NO',
    });
    return {
      name: 'web (built SPA in headless Chromium)',
      rows: [
        row('initial JS (gzip)', assets.jsKb, 'KB', `<= ${TARGETS.initialJsKb}`, assets.jsKb <= TARGETS.initialJsKb),
        row('initial CSS (gzip)', assets.cssKb, 'KB', '-', true),
        row('lazy JS: details route + row virtualizer (gzip)', assets.lazyJsKb, 'KB', '-', true),
        row(
          'navigation -> first rows visible, first visit (median of 6)',
          first.cold,
          'ms',
          `<= ${TARGETS.firstRowsMs}`,
          first.cold <= TARGETS.firstRowsMs,
        ),
        row(
          'navigation -> first rows visible, reload of a bookmark (median of 12)',
          first.warm,
          'ms',
          `<= ${TARGETS.firstRowsMs}`,
          first.warm <= TARGETS.firstRowsMs,
        ),
        row(
          `500-row page change, commit (median of 6; ${big.rows} rows)`,
          big.commit,
          'ms',
          `<= ${TARGETS.render500Ms}`,
          big.commit <= TARGETS.render500Ms,
        ),
        row('500-row page change, to next frame', big.frame, 'ms', '-', true),
        row('500-row page change, main-thread CPU (click to next frame)', big.cpu, 'ms', '-', true),
        row(
          'unchanged refresh: script time (median of 16)',
          refresh.scriptMs,
          'ms',
          `<= ${TARGETS.refreshScriptMs}`,
          refresh.scriptMs <= TARGETS.refreshScriptMs,
        ),
        row(
          'unchanged refresh: DOM writes in the table (16 refreshes)',
          refresh.tableWrites,
          'mutations',
          '0',
          refresh.tableWrites === 0,
        ),
      ],
      notes: [
        `load average at start: ${round(load, 2)} on ${os.cpus().length} cores (wall-clock figures stretch with load; CPU figures less so)`,
        `document-wide mutations over the 16 refreshes: ${refresh.docWrites} (the "Refreshing…" status and "Updated … ago" outside the table)`,
        'server: npm start entry pointed at an in-process simulator frozen in time (speed 0), proxy cache off; 1,250-job cluster; viewport 1440x900',
        'script time = Chrome DevTools Performance.getMetrics ScriptDuration delta from click until the refresh button is enabled again (includes the fetch handling)',
      ],
    };
  } finally {
    await stack.close();
  }
}
