/**
 * Issue 21: every view says when Atlas fails, nothing stops refreshing for good, a refresh that meets a 429 keeps
 * what was loaded, and the URL is the whole view. Expected rows come from the simulator itself (history-truth.ts).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { eventually, exportsPath, ids, searchOf, waitForIds } from './helpers.ts';
import { countStates, newestFirst, readTruth } from './history-truth.ts';
import { useBrowserSuite } from './suite.ts';

const LIST = 'listGroupClusterBackupExports';
// speed 0: simulated time stands still, so what the simulator says stays what the UI shows.
const suite = useBrowserSuite(
  { seed: 42, speed: 0 },
  { allowHttpErrors: true, afterEachTest: (stack) => stack.simDelete('/__sim/faults') },
);
const big = () => suite.stack.world.bigCluster;
const truth = () => readTruth(suite.stack.sim.url, big().groupId, big().name);
const fmt = (n: number) => n.toLocaleString('en-US');

async function listCalls(): Promise<number> {
  const stats = (await (await fetch(`${suite.stack.sim.url}/__sim/stats`)).json()) as {
    requests: { byOperation: Record<string, number> };
  };
  return stats.requests.byOperation[LIST] ?? 0;
}

async function openLoaded(search: string): Promise<Page> {
  const page = await suite.open(exportsPath(big().groupId, big().name, search));
  await page.getByTestId('history-summary').getByText('all pages loaded', { exact: false }).waitFor();
  return page;
}

const troubleBanner = (page: Page) => page.getByTestId('atlas-trouble');

describe('every view says when Atlas fails, and recovers by itself', () => {
  it('the filtered view shows the trouble banner within 10 s of Atlas answering 503, and drops it on recovery', async () => {
    const { jobs } = await truth();
    const weekAgo = Date.now() - 7 * 86_400_000;
    const failed = newestFirst(jobs.filter((j) => j.state === 'Failed' && Date.parse(j.createdAt!) >= weekAgo));
    const page = await openLoaded('?state=Failed&since=7d');
    await waitForIds(page, ids(failed.slice(0, 50)));
    await suite.stack.simPost('/__sim/faults', { match: LIST, status: 503 });
    const banner = troubleBanner(page);
    await banner.waitFor({ timeout: 10_000 });
    const text = (await banner.textContent()) ?? '';
    // Atlas's own status, which side failed, and how old the rows are.
    expect(text).toContain('Atlas is unavailable');
    expect(text).toContain('Atlas answered 503');
    expect(text).toMatch(/Showing data from .* marked stale/);
    // The rows stay, marked stale.
    await waitForIds(page, ids(failed.slice(0, 50)));
    await suite.stack.simDelete('/__sim/faults');
    await banner.waitFor({ state: 'detached', timeout: 30_000 });
  });

  it('after a 401 spell, follows the server’s readiness and recovers without a reload, checking slowly', async () => {
    const { jobs } = await truth();
    const newest = newestFirst(jobs).slice(0, 50);
    const page = await suite.open(exportsPath(big().groupId, big().name));
    await waitForIds(page, ids(newest));
    await page.waitForLoadState('networkidle');
    await suite.stack.simPost('/__sim/faults', { match: LIST, status: 401 });
    const before = await listCalls();
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await troubleBanner(page).getByText('Atlas did not accept the dashboard’s credentials').waitFor();
    await page.waitForTimeout(20_000);
    const duringSpell = (await listCalls()) - before;
    await suite.stack.simDelete('/__sim/faults');
    // Recovery without a reload: the banner goes and the rows are fresh again.
    await troubleBanner(page).waitFor({ state: 'detached', timeout: 45_000 });
    await waitForIds(page, ids(newest));
    // Slowly: the refresh, the proxy's one retry with a fresh token, then at most one check per 15 s.
    expect(duringSpell).toBeGreaterThanOrEqual(1);
    expect(duringSpell).toBeLessThanOrEqual(6);
    expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
  });

  it('a 429 during Refresh now keeps the whole history and its exact counts, and counts down', async () => {
    const { jobs } = await truth();
    const counts = countStates(jobs);
    const page = await suite.open(exportsPath(big().groupId, big().name));
    const failedChip = page.getByRole('link', { name: /^Failed: / });
    await eventually(
      () => failedChip.getAttribute('aria-label'),
      (label) => label === `Failed: ${fmt(counts.Failed ?? 0)}`,
      20_000,
      'the exact Failed count',
    );
    await page.waitForLoadState('networkidle');
    await suite.stack.simPost('/__sim/faults', { match: LIST, status: 429, retryAfter: 8 });
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await page.getByText(/Rate limited: refresh resumes in [1-8] s/).waitFor({ timeout: 5_000 });
    await troubleBanner(page).getByText('Atlas is rate limiting requests').waitFor();
    // Counted over three seconds of the cool-down: the history stays whole and exact.
    for (let i = 0; i < 6; i++) {
      expect(await failedChip.getAttribute('aria-label')).toBe(`Failed: ${fmt(counts.Failed ?? 0)}`);
      await page.waitForTimeout(500);
    }
    await suite.stack.simDelete('/__sim/faults');
    await troubleBanner(page).waitFor({ state: 'detached', timeout: 20_000 });
    expect(await failedChip.getAttribute('aria-label')).toBe(`Failed: ${fmt(counts.Failed ?? 0)}`);
  });

  it('a 429 on the history behind the table: counts stay exact, the banner says so, the bar counts down', async () => {
    const { jobs } = await truth();
    const counts = countStates(jobs);
    const page = await suite.open(exportsPath(big().groupId, big().name));
    const failedChip = page.getByRole('link', { name: /^Failed: / });
    await eventually(
      () => failedChip.getAttribute('aria-label'),
      (label) => label === `Failed: ${fmt(counts.Failed ?? 0)}`,
      20_000,
      'the exact Failed count',
    );
    // Only the history's 500-row pages meet the limit; the table's own 50-row page would pass.
    await suite.stack.simPost('/__sim/faults', { match: 'itemsPerPage=500', status: 429, retryAfter: 8 });
    const banner = troubleBanner(page);
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.textContent()).toContain('Atlas answered 429 Too Many Requests');
    await page.getByText(/Rate limited: refresh resumes in [1-8] s/).waitFor({ timeout: 3_000 });
    expect(await failedChip.getAttribute('aria-label')).toBe(`Failed: ${fmt(counts.Failed ?? 0)}`);
    await suite.stack.simDelete('/__sim/faults');
    await banner.waitFor({ state: 'detached', timeout: 25_000 });
    expect(await failedChip.getAttribute('aria-label')).toBe(`Failed: ${fmt(counts.Failed ?? 0)}`);
  });
});

describe('the URL is the whole view', () => {
  it('the same bookmark shows the same rows in a browser that remembers another page size', async () => {
    const { jobs } = await truth();
    const failed = newestFirst(jobs.filter((j) => j.state === 'Failed'));
    const page = await suite.open(exportsPath(big().groupId, big().name, '?state=Failed&page=2'), {
      beforeGoto: async (p) => {
        await p.addInitScript(() => localStorage.setItem('atlas-dashboard.perPage', '10'));
      },
    });
    await waitForIds(page, ids(failed.slice(50, 100)));
    expect(searchOf(page)).toEqual({ state: 'Failed', page: '2' });
    await expect(page.getByTestId('page-range').textContent()).resolves.toBe(
      `51–${Math.min(100, failed.length)} of ${fmt(failed.length)} matching`,
    );
  });

  it('Back and Forward restore earlier views exactly, never rewritten by a remembered page size', async () => {
    const { jobs } = await truth();
    const failed = newestFirst(jobs.filter((j) => j.state === 'Failed'));
    const page = await openLoaded('?state=Failed');
    await waitForIds(page, ids(failed.slice(0, 50)));
    await page.getByRole('button', { name: 'Next page' }).click();
    await waitForIds(page, ids(failed.slice(50, 100)));
    await page.getByRole('combobox', { name: /rows per page/i }).selectOption('10');
    await waitForIds(page, ids(failed.slice(0, 10)));
    expect(searchOf(page)).toEqual({ state: 'Failed', perPage: '10' });
    await page.goBack();
    await waitForIds(page, ids(failed.slice(50, 100)));
    expect(searchOf(page)).toEqual({ state: 'Failed', page: '2' });
    await page.goBack();
    await waitForIds(page, ids(failed.slice(0, 50)));
    expect(searchOf(page)).toEqual({ state: 'Failed' });
    await page.goForward();
    await waitForIds(page, ids(failed.slice(50, 100)));
    expect(searchOf(page)).toEqual({ state: 'Failed', page: '2' });
    await page.goForward();
    await waitForIds(page, ids(failed.slice(0, 10)));
    expect(searchOf(page)).toEqual({ state: 'Failed', perPage: '10' });
  });

  it('Back to a cluster opened without a page size shows it as it was, not with the size chosen since', async () => {
    const { jobs } = await truth();
    const newest = newestFirst(jobs);
    const page = await suite.open(exportsPath(big().groupId, big().name));
    await waitForIds(page, ids(newest.slice(0, 50)));
    await page.getByRole('combobox', { name: /rows per page/i }).selectOption('10');
    await waitForIds(page, ids(newest.slice(0, 10)));
    expect(searchOf(page)).toEqual({ perPage: '10' });
    await page.goBack();
    await waitForIds(page, ids(newest.slice(0, 50)));
    expect(searchOf(page)).toEqual({});
    // A new visit to the bare address takes the remembered size, replacing its own entry.
    await page.goto(suite.stack.url + exportsPath(big().groupId, big().name));
    await waitForIds(page, ids(newest.slice(0, 10)));
    expect(searchOf(page)).toEqual({ perPage: '10' });
  });

  it('a page past the end is corrected in the URL too, replacing the entry', async () => {
    const { jobs } = await truth();
    const failed = newestFirst(jobs.filter((j) => j.state === 'Failed'));
    const last = Math.ceil(failed.length / 50);
    const page = await openLoaded('?state=Failed&page=99999');
    await waitForIds(page, ids(failed.slice((last - 1) * 50, last * 50)));
    await eventually(
      async () => searchOf(page),
      (s) => s.page === String(last),
      5_000,
      'the corrected page in the URL',
    );
    // The notice still says which page was asked for; Back leaves the cluster instead of returning to page 99999.
    await page.getByText(`There is no page 99999 of these results: showing page ${last}, the last.`).waitFor();
    await page.goBack();
    await eventually(
      async () => page.url(),
      (url) => !url.includes('page='),
      5_000,
      'Back to the entry before',
    );
  });
});

describe('smaller things an operator notices', () => {
  it('Esc in the shortcuts help returns focus where it was, not to the page body', async () => {
    const { jobs } = await truth();
    const page = await suite.open(exportsPath(big().groupId, big().name));
    await waitForIds(page, ids(newestFirst(jobs).slice(0, 50)));
    await page
      .getByRole('link', { name: /^Export [a-f0-9]{24}$/ })
      .nth(2)
      .focus();
    const before = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120));
    expect(before).not.toMatch(/^<body/);
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120))).toBe(before);
    // Opened from the Display menu, which closes as the dialog opens: focus returns to the Display button.
    const display = page.getByRole('button', { name: 'Display', exact: true });
    await display.click();
    await page.getByRole('button', { name: /Keyboard shortcuts/ }).click();
    await help.waitFor();
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    expect(await display.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('a finished job’s page stops refreshing and says why', async () => {
    const { jobs } = await truth();
    const done = jobs.find((j) => j.state === 'Successful')!;
    const page = await suite.open(`${exportsPath(big().groupId, big().name)}/${done.id}`);
    await page.getByText('Job finished: nothing left to refresh').waitFor();
  });

  it('the clusters page at 375 px never breaks a word across lines', async () => {
    const page = await suite.open(`/projects/${big().groupId}`, { viewport: { width: 375, height: 800 } });
    await page.getByRole('link', { name: big().name }).waitFor();
    // Every text cell: as wide as its longest word at least, so no word is split (the table scrolls instead).
    const split = await page.evaluate(() =>
      [...document.querySelectorAll('tbody td bdi')].flatMap((el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        const words = (el.textContent ?? '').trim().split(/\s+/).length;
        return lines.size > words ? [el.textContent] : [];
      }),
    );
    expect(split).toEqual([]);
  });
});
