/**
 * Fleet benchmark, two parts, both with 100 ms of latency injected on every Atlas call.
 *
 * Demo world, watch warm: navigation -> every fleet row on screen (one request to the watch's /api/fleet), and
 * the Atlas calls a second viewer costs (simulator requests minus the watch's own, from its metrics).
 *
 * Large world (`--world large`: 6,301 clusters, Atlas's documented rate limits on in the simulator): the compiled
 * server with the watch, measured from outside: time of the first full pass, Atlas calls per minute in steady
 * state (total and the busiest project, counted at the simulator), the server's RSS with the watch warm against
 * the same server with WATCH=off, /api/fleet server time, navigation to first rows and the per-keystroke
 * filter and sort cost in Chromium over every row.
 */
import os from 'node:os';
import type { Page } from 'playwright-core';
import { startSimulator } from '../../src/simulator/server.ts';
import { SIMULATOR_CREDENTIALS } from '../../src/simulator/credentials.ts';
import { launchChromium, openPage } from '../support/browser.ts';
import { fleetWatchEnv, startStack } from '../e2e/stack.ts';
import { median, round, rssMb, startCompiled } from './procs.ts';
import type { BenchSection } from './types.ts';

const LATENCY_MS = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Stats {
  requests: { total: number; byProject: Record<string, { total: number; maxPerMinute: number }> };
}
const simStats = async (url: string) => (await (await fetch(`${url}/__sim/stats`)).json()) as Stats;
async function watchCalls(dashboard: string): Promise<number> {
  const text = await (await fetch(`${dashboard}/metrics`)).text();
  let n = 0;
  for (const m of text.matchAll(/^atlas_export_watch_calls_total\{[^}]*\} (\d+)/gm)) n += Number(m[1]);
  return n;
}
interface Progress {
  progress: { firstPassDone: boolean; checked: number; clusters: number };
}
const fleet = async (url: string) => (await (await fetch(`${url}/api/fleet`)).json()) as Progress;

/** Navigation start -> the first frame with `count` fleet rows (or every row when omitted) in the table. */
async function navigate(page: Page, url: string, selector: string): Promise<number> {
  await page.addInitScript((sel: string) => {
    const w = window as unknown as { __shown?: number };
    new MutationObserver((_, obs) => {
      if (!document.querySelector(sel)) return;
      obs.disconnect();
      requestAnimationFrame((t) => (w.__shown = t));
    }).observe(document, { childList: true, subtree: true });
  }, selector);
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __shown?: number }).__shown !== undefined, null, {
    timeout: 60_000,
  });
  return page.evaluate(() => (window as unknown as { __shown: number }).__shown);
}

async function demoPart(rows: Record<string, string | number>[], notes: string[]): Promise<void> {
  const stack = await startStack({
    seed: 42,
    speed: 0,
    env: { ...fleetWatchEnv, WATCH_ACTIVE_INTERVAL_MS: '20000', WATCH_IDLE_INTERVAL_MS: '300000' },
  });
  const browser = await launchChromium();
  try {
    while (!(await fleet(stack.url)).progress.firstPassDone) await sleep(200);
    await stack.simPost('/__sim/faults', { match: '*', latencyMs: LATENCY_MS });
    const shown: number[] = [];
    const viewerCalls: number[] = [];
    // "Every row on screen": the status says all clusters are checked and the table holds its rows.
    const complete = '[data-testid="fleet-complete"]';
    const skew: number[] = [];
    for (let i = 0; i < 5; i++) {
      const sim0 = (await simStats(stack.sim.url)).requests.total;
      const watch0 = await watchCalls(stack.url);
      const tab = await openPage(browser);
      // What a viewer can cost Atlas: the page's own reads through the proxy (the fleet is /api/fleet only).
      let atlasReads = 0;
      tab.page.on('request', (r) => {
        if (new URL(r.url()).pathname.startsWith('/api/atlas/')) atlasReads++;
      });
      shown.push(await navigate(tab.page, `${stack.url}/`, complete));
      await tab.page.waitForTimeout(500);
      await tab.context.close();
      viewerCalls.push(atlasReads);
      const sim1 = (await simStats(stack.sim.url)).requests.total;
      skew.push(sim1 - sim0 - ((await watchCalls(stack.url)) - watch0));
    }
    rows.push(
      {
        world: 'demo',
        measure: 'navigation -> every fleet row on screen (ms, median of 5)',
        value: Math.round(median(shown)),
        target: 300,
      },
      {
        world: 'demo',
        measure: 'Atlas reads a viewer sends through the proxy (most of 5)',
        value: Math.max(...viewerCalls),
        target: 0,
      },
    );
    notes.push(
      `demo samples (ms): ${shown.map(Math.round).join(', ')}`,
      `demo: simulator requests minus the watch's counted calls per visit: ${skew.join(', ')} (calls in flight at either reading and token renewals land on one side only)`,
    );
  } finally {
    await browser.close();
    await stack.close();
  }
}

async function largePart(rows: Record<string, string | number>[], notes: string[]): Promise<void> {
  const sim = await startSimulator({ port: 0, world: 'large', speed: 1 });
  const cr = SIMULATOR_CREDENTIALS;
  const base = {
    MONGODB_ATLAS_BASE_URL: sim.url,
    MONGODB_ATLAS_CLIENT_ID: cr.clientId,
    MONGODB_ATLAS_CLIENT_SECRET: cr.clientSecret,
    LOG_LEVEL: 'warn',
    DATA_DIR: `${os.tmpdir()}/bench-fleet-${process.pid}`,
  };
  // The ceiling and the proxy's inbound bucket raised together for a fleet this size (README, "The watch").
  const watchEnv = {
    ...base,
    WATCH: 'on',
    WATCH_MAX_CALLS_PER_MIN: '3000',
    WATCH_CONCURRENCY: '8',
    PROXY_UPSTREAM_RATE_PER_SEC: '100',
    PROXY_UPSTREAM_BURST: '100',
  };
  await fetch(`${sim.url}/__sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ match: '*', latencyMs: LATENCY_MS }),
  });
  const off = await startCompiled({ ...base, WATCH: 'off' }, '/dev/null');
  await fetch(`${off.url}/api/info`);
  await sleep(3_000);
  const rssOff = rssMb(off.pid);
  await off.close();
  const server = await startCompiled(watchEnv, '/dev/null');
  const browser = await launchChromium();
  try {
    const t0 = Date.now();
    let p = await fleet(server.url);
    while (!p.progress.firstPassDone) {
      await sleep(1_000);
      p = await fleet(server.url);
      if (Date.now() - t0 > 20 * 60_000)
        throw new Error(`first pass not done in 20 min: ${JSON.stringify(p.progress)}`);
    }
    const passS = (Date.now() - t0) / 1000;
    // Steady state: one minute after the first pass, counted at the simulator.
    const s0 = await simStats(sim.url);
    await sleep(60_000);
    const s1 = await simStats(sim.url);
    const perMin = s1.requests.total - s0.requests.total;
    let busiest = 0;
    for (const [id, v] of Object.entries(s1.requests.byProject))
      busiest = Math.max(busiest, v.total - (s0.requests.byProject[id]?.total ?? 0));
    const peakProject = Math.max(...Object.values(s1.requests.byProject).map((v) => v.maxPerMinute));
    const rssOn = rssMb(server.pid);
    // /api/fleet: a rebuilt body (the watch changes every few seconds) and a 304.
    const times: number[] = [];
    const notModified: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      const res = await fetch(`${server.url}/api/fleet`, { headers: { 'accept-encoding': 'gzip' } });
      const body = await res.arrayBuffer();
      times.push(performance.now() - t);
      bytes = body.byteLength;
      const etag = res.headers.get('etag') ?? '';
      const t2 = performance.now();
      await (await fetch(`${server.url}/api/fleet`, { headers: { 'if-none-match': etag } })).arrayBuffer();
      notModified.push(performance.now() - t2);
      await sleep(200);
    }
    const tab = await openPage(browser);
    const first = await navigate(tab.page, `${server.url}/`, 'tbody tr[data-row-id] [data-testid="total"]');
    const page = tab.page;
    const count = await page.evaluate(() => document.querySelectorAll('tbody tr[data-row-id]').length);
    // Per keystroke: the input event to the next painted frame, typing a cluster-name prefix one letter at a time.
    const keystrokes = await page.evaluate(async () => {
      const input = document.querySelector<HTMLInputElement>('input[type="search"]')!;
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      const out: number[] = [];
      for (const text of ['f', 'fr', 'fra', 'frau', 'fraud', 'frau', 'fra', 'fr', 'f', '']) {
        const t = performance.now();
        setter.call(input, text);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        out.push(performance.now() - t);
      }
      return out;
    });
    const sorts = await page.evaluate(async () => {
      const out: number[] = [];
      for (const name of ['Cluster', 'Jobs', 'Last success', 'Cluster']) {
        const button = [...document.querySelectorAll('thead button')].find((b) =>
          b.textContent?.startsWith(name),
        ) as HTMLButtonElement;
        const t = performance.now();
        button.click();
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        out.push(performance.now() - t);
      }
      return out;
    });
    const clusters = p.progress.clusters;
    rows.push(
      { world: 'large', measure: `first full pass over ${clusters} clusters (s)`, value: round(passS, 0), target: '-' },
      { world: 'large', measure: 'Atlas calls per minute, steady state (all projects)', value: perMin, target: '-' },
      { world: 'large', measure: 'Atlas calls in that minute, busiest project', value: busiest, target: 50 },
      {
        world: 'large',
        measure: 'most calls of one project in any minute (whole run)',
        value: peakProject,
        target: 50,
      },
      {
        world: 'large',
        measure: 'server RSS, watch warm minus WATCH=off (MB)',
        value: round(rssOn - rssOff, 0),
        target: 150,
      },
      { world: 'large', measure: '/api/fleet 200, gzip (ms, p50)', value: round(median(times), 1), target: 50 },
      { world: 'large', measure: '/api/fleet 304 (ms, p50)', value: round(median(notModified), 1), target: '-' },
      { world: 'large', measure: 'navigation -> first rows (ms)', value: Math.round(first), target: 1000 },
      {
        world: 'large',
        measure: 'filter keystroke -> frame (ms, median)',
        value: round(median(keystrokes), 1),
        target: 50,
      },
      { world: 'large', measure: 'sort click -> frame (ms, median)', value: round(median(sorts), 1), target: 50 },
    );
    notes.push(
      `large: RSS ${round(rssOn, 0)} MB with the watch warm, ${round(rssOff, 0)} MB with WATCH=off; /api/fleet ${Math.round(bytes / 1024)} KB of JSON (sent gzip); ${count} rows rendered of ${clusters}+ (windowed)`,
      `large: keystrokes (ms) ${keystrokes.map((x) => Math.round(x)).join(', ')}; sorts (ms) ${sorts.map((x) => Math.round(x)).join(', ')}`,
      `large settings: WATCH_MAX_CALLS_PER_MIN=3000, WATCH_CONCURRENCY=8, PROXY_UPSTREAM_RATE_PER_SEC=100, per-project budget 50/min (default), simulator rate limits on`,
    );
    await tab.context.close();
  } finally {
    await browser.close();
    await server.close();
    await sim.close();
  }
}

export async function run(): Promise<BenchSection> {
  const rows: Record<string, string | number>[] = [];
  const notes: string[] = [
    `load average at start: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  ];
  await demoPart(rows, notes);
  if (process.env.BENCH_FLEET_LARGE !== 'off') await largePart(rows, notes);
  notes.push(
    `load average at end: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  return { name: `fleet (the watch; ${LATENCY_MS} ms upstream latency per call)`, rows, notes };
}
