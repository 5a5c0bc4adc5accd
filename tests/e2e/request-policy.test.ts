/**
 * The SPA's retry and refetch policies, counted as requests the page sends (the proxy's own retries and cool-down
 * would hide them from the simulator). Each count is exact: one more request is the bug these tests exist for.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ExportJob } from '../../src/atlas/types.ts';
import { eventually, exportsPath, ids, simExports, waitForIds } from './helpers.ts';
import { countStates, newestFirst, readTruth } from './history-truth.ts';
import { useBrowserSuite } from './suite.ts';

const LIST = 'listGroupClusterBackupExports';
// No proxy retries: one browser request is one simulator request, so a `times` fault fails exactly that many.
const suite = useBrowserSuite(
  { seed: 42, speed: 0, env: { PROXY_MAX_RETRIES: '0' } },
  { allowHttpErrors: true, afterEachTest: (stack) => stack.simDelete('/__sim/faults') },
);

/**
 * The table's first request: the cluster's history, page 1 at 500 rows (the table shows a slice of it). Faults
 * and counts aim at that page, so the walk's later pages neither consume nor inflate them.
 */
const TABLE_PAGE = 'pageNum=1&itemsPerPage=500&';
/** The same page as the proxy asks Atlas for it (query names sorted). */
const TABLE_PAGE_UPSTREAM = 'itemsPerPage=500&pageNum=1';
const STATE_LABELS: Record<string, string> = {
  Queued: 'Queued',
  InProgress: 'In progress',
  Successful: 'Successful',
  Failed: 'Failed',
  Cancelled: 'Cancelled',
};

async function listCalls(): Promise<number> {
  const stats = (await (await fetch(`${suite.stack.sim.url}/__sim/stats`)).json()) as {
    requests: { byOperation: Record<string, number> };
  };
  return stats.requests.byOperation[LIST] ?? 0;
}

/** The state chips' counts as the page shows them, e.g. { Failed: 'Failed: 86', ... }. */
async function chipLabels(page: Page): Promise<string[]> {
  const chips = page.getByRole('group', { name: 'Filter by state' }).getByRole('link');
  return (await chips.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))).sort();
}

function expectedChips(jobs: ExportJob[]): string[] {
  const counts = countStates(jobs);
  return Object.entries(STATE_LABELS)
    .map(([state, label]) => `${label}: ${(counts[state] ?? 0).toLocaleString('en-US')}`)
    .sort();
}

/** Opens the first page of the big cluster's jobs and records every request the page sends for that table page. */
async function openCounting(): Promise<{ page: Page; sent: number[] }> {
  const { groupId, name } = suite.stack.world.bigCluster;
  const sent: number[] = [];
  // A page of the server that is not the app, so the listener is in place before the app's first request.
  const page = await suite.open('/healthz');
  // The table's first page of the history (500 a page); the walk's later pages are not counted.
  page.on('request', (r) => {
    if (r.url().includes(`/clusters/${name}/backup/exports?${TABLE_PAGE}`)) sent.push(Date.now());
  });
  await page.goto(suite.stack.url + exportsPath(groupId, name));
  return { page, sent };
}

describe('retry policy', () => {
  it.each([
    [401, 'Atlas did not accept the dashboard’s credentials'],
    [403, 'Not allowed to view export jobs here'],
    [404, 'Project or cluster not found'],
  ])('a permanent %i is asked exactly once: no retry', async (status, heading) => {
    await suite.stack.simPost('/__sim/faults', { match: LIST, status });
    const { page, sent } = await openCounting();
    await page.getByRole('heading', { name: heading }).waitFor();
    // The first retry of a transient failure would come 0.5–1 s later; give it more than that.
    await page.waitForTimeout(2_500);
    expect(sent).toHaveLength(1);
  });

  it('a transient 5xx is retried until it heals: two failures, then the rows (3 requests)', async () => {
    const { groupId, name } = suite.stack.world.bigCluster;
    const expected = await simExports(suite.stack, groupId, name, 1, 50);
    await suite.stack.simPost('/__sim/faults', { match: TABLE_PAGE_UPSTREAM, status: 500, times: 2 });
    const { page, sent } = await openCounting();
    await waitForIds(page, ids(expected.results), 20_000);
    expect(sent).toHaveLength(3);
  });

  it('a lasting 5xx is retried 3 times, then waits for the 10 s error poll (4 requests)', async () => {
    await suite.stack.simPost('/__sim/faults', { match: LIST, status: 500 });
    const { page, sent } = await openCounting();
    await eventually(
      async () => sent.length,
      (n) => n >= 4,
      15_000,
      'the third retry',
    );
    // Retry delays add up to at most 7 s; the error poll comes only 10 s after the last failure.
    expect(sent[3]! - sent[0]!).toBeLessThan(9_000);
    await page.waitForTimeout(8_500);
    expect(sent).toHaveLength(4);
    await page.getByRole('button', { name: 'Try again' }).waitFor();
  });
});

describe('refetch policy during a 429 cool-down', () => {
  it('returning to the tab (focus, visibilitychange) sends nothing until Retry-After has passed', async () => {
    await suite.stack.simPost('/__sim/faults', { match: LIST, status: 429, retryAfter: 8 });
    const { page, sent } = await openCounting();
    await page
      .getByText(/Atlas is rate limiting requests/)
      .first()
      .waitFor();
    expect(sent).toHaveLength(1);
    // The list has no data yet, so it is stale: only the cool-down stands between a focus event and a refetch.
    for (let i = 0; i < 3; i++) {
      await page.evaluate(() => {
        window.dispatchEvent(new Event('visibilitychange'));
        document.dispatchEvent(new Event('visibilitychange'));
        window.dispatchEvent(new Event('focus'));
      });
      await page.waitForTimeout(500);
    }
    await page.waitForTimeout(1_000);
    expect(sent).toHaveLength(1);
  });
});

describe('one refresh, one read of Atlas', () => {
  it('Refresh now asks Atlas once, and that one answer refreshes the rows and the counts of every job', async () => {
    const { groupId, name } = suite.stack.world.bigCluster;
    const before = await readTruth(suite.stack.sim.url, groupId, name);
    const page = await suite.open(exportsPath(groupId, name));
    await eventually(
      () => chipLabels(page),
      (l) => l.join() === expectedChips(before.jobs).join(),
      20_000,
      'counts',
    );
    await waitForIds(page, ids(newestFirst(before.jobs).slice(0, 50)));
    // Paused: only the click refreshes, so every call counted below is the click's.
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByText('Auto-refresh paused').waitFor();
    await page.waitForLoadState('networkidle');
    // Running jobs move on and end, new ones start: the rows and the counts both change.
    await suite.stack.simPost('/__sim/clock', { advanceMs: 3 * 3_600_000 });
    const after = await readTruth(suite.stack.sim.url, groupId, name);
    expect(expectedChips(after.jobs)).not.toEqual(expectedChips(before.jobs));
    // Three simulated hours also expire the proxy's token: renew it first, so its retry with a fresh one (a second
    // call to Atlas, not the page's) stays out of the count.
    expect((await fetch(`${suite.stack.url}/api/atlas/v2/groups`)).status).toBe(200);
    const calls = await listCalls();
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await eventually(
      () => chipLabels(page),
      (l) => l.join() === expectedChips(after.jobs).join(),
      10_000,
      'counts',
    );
    await waitForIds(page, ids(newestFirst(after.jobs).slice(0, 50)));
    expect((await listCalls()) - calls).toBe(1);
  });
});
