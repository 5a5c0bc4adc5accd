import { describe, expect, it } from 'vitest';
import { simExports, eventually, exportsPath, ids, idsOnScreen, searchOf, waitForIds } from './helpers.ts';
import { useBrowserSuite } from './suite.ts';

// speed 0: simulated time stands still unless a test moves it, so what the API says stays what the UI shows.
const suite = useBrowserSuite({ seed: 42, speed: 0 });
const open = (path: string) => suite.open(path);

describe('export jobs table', () => {
  it('opens a bookmarked page and shows exactly that Atlas page; the total is exact once every job is in', async () => {
    const { groupId, name } = suite.stack.world.bigCluster;
    const expected = await simExports(suite.stack, groupId, name, 3, 25);
    const page = await open(exportsPath(groupId, name, '?page=3&perPage=25'));
    await waitForIds(page, ids(expected.results));
    const total = (expected.totalCount ?? 0).toLocaleString('en-US');
    // Atlas's totalCount is an estimate ("~") until the whole history is loaded; then the pager and the state
    // chips beside it give the same exact count.
    await eventually(
      () => page.getByTestId('page-range').textContent(),
      (text) => text === `51–75 of ${total}`,
      15_000,
      `"51–75 of ${total}", not "~${total}"`,
    );
    const chips = await page
      .getByRole('link', { name: /^(Queued|In progress|Successful|Failed|Cancelled): [\d,]+$/ })
      .evaluateAll((links) =>
        links.map((l) => Number(l.getAttribute('aria-label')?.split(': ')[1]?.replace(/,/g, ''))),
      );
    expect(chips.reduce((sum, n) => sum + n, 0)).toBe(expected.totalCount);
    await expect(page.getByRole('combobox', { name: 'Rows per page' }).inputValue()).resolves.toBe('25');
    expect(await page.getByRole('row').count()).toBe(25 + 1);
  });

  it('pages forward and back through the URL and the browser history; defaults stay out of the URL', async () => {
    const { groupId, name } = suite.stack.world.bigCluster;
    const [p1, p2, p3] = await Promise.all([1, 2, 3].map((n) => simExports(suite.stack, groupId, name, n, 50)));
    const page = await open(exportsPath(groupId, name));
    await waitForIds(page, ids(p1!.results));
    expect(searchOf(page)).toEqual({});

    await page.getByRole('button', { name: 'Next page' }).click();
    await waitForIds(page, ids(p2!.results));
    expect(searchOf(page)).toEqual({ page: '2' });
    await page.getByRole('button', { name: 'Next page' }).click();
    await waitForIds(page, ids(p3!.results));
    expect(searchOf(page)).toEqual({ page: '3' });

    await page.goBack();
    await waitForIds(page, ids(p2!.results));
    expect(searchOf(page)).toEqual({ page: '2' });
    await page.goForward();
    await waitForIds(page, ids(p3!.results));
    await page.reload();
    await waitForIds(page, ids(p3!.results));

    await page.getByRole('button', { name: 'First page' }).click();
    await waitForIds(page, ids(p1!.results));
    expect(searchOf(page)).toEqual({});

    // A new page size starts again at page 1.
    await page.getByRole('button', { name: 'Next page' }).click();
    await waitForIds(page, ids(p2!.results));
    const p1of10 = await simExports(suite.stack, groupId, name, 1, 10);
    await page.getByRole('combobox', { name: 'Rows per page' }).selectOption('10');
    await waitForIds(page, ids(p1of10.results));
    expect(searchOf(page)).toEqual({ perPage: '10' });
  });

  it('goes to the last page from the estimated total', async () => {
    const { groupId, name } = suite.stack.world.bigCluster;
    const first = await simExports(suite.stack, groupId, name, 1, 100);
    const lastPage = Math.ceil((first.totalCount ?? 0) / 100);
    const expected = await simExports(suite.stack, groupId, name, lastPage, 100);
    const page = await open(exportsPath(groupId, name, '?perPage=100'));
    await waitForIds(page, ids(first.results));
    await page.getByRole('button', { name: 'Last page' }).click();
    await waitForIds(page, ids(expected.results));
    expect(searchOf(page)).toEqual({ page: String(lastPage), perPage: '100' });
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
  });

  it('shows why a failed job failed, inline', async () => {
    const { groupId, name } = suite.stack.world.bigCluster;
    const data = await simExports(suite.stack, groupId, name, 1, 100);
    const failed = data.results.find((j) => j.state === 'Failed' && j.stateReason?.message);
    expect(failed, 'the seeded world has a failed job on page 1').toBeDefined();
    const page = await open(exportsPath(groupId, name, '?perPage=100'));
    await waitForIds(page, ids(data.results));
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: `Export ${failed!.id}` }) });
    await expect(row.getByText('Failed', { exact: true }).isVisible()).resolves.toBe(true);
    const reason = await row.getByText(failed!.stateReason!.message!, { exact: false }).textContent();
    expect(reason).toContain(failed!.stateReason!.errorCode ?? '');
  });

  it('shows progress as role=progressbar with Atlas counts, and a successful 0 of 0 job as complete', async () => {
    const { groupId, name } = suite.stack.world.bigCluster;
    const data = await simExports(suite.stack, groupId, name, 1, 100);
    const page = await open(exportsPath(groupId, name, '?perPage=100'));
    await waitForIds(page, ids(data.results));
    const running = data.results.find((j) => j.state === 'InProgress' && j.exportStatus?.totalCollections);
    expect(running).toBeDefined();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: `Export ${running!.id}` }) });
    const bar = row.getByRole('progressbar');
    expect(await bar.getAttribute('aria-valuenow')).toBe(String(running!.exportStatus!.exportedCollections));
    expect(await bar.getAttribute('aria-valuemax')).toBe(String(running!.exportStatus!.totalCollections));
    await expect(
      row
        .getByText(
          `${running!.exportStatus!.exportedCollections} / ${running!.exportStatus!.totalCollections} collections`,
        )
        .isVisible(),
    ).resolves.toBe(true);
    const zero = data.results.find((j) => j.state === 'Successful' && j.exportStatus?.totalCollections === 0);
    expect(zero, 'seeded world has a successful 0 of 0 job on page 1').toBeDefined();
    const zeroBar = page
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name: `Export ${zero!.id}` }) })
      .getByRole('progressbar');
    expect(await zeroBar.getAttribute('aria-valuetext')).toBe('Complete, 0 of 0 collections');
    // A queued job says how long it has waited, and is never called running.
    const queued = data.results.find((j) => j.state === 'Queued');
    expect(queued, 'seeded world has a queued job on page 1').toBeDefined();
    const queuedRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: `Export ${queued!.id}` }) });
    expect(await queuedRow.getByText(/^queued \d/).count()).toBe(1);
    expect(await queuedRow.getByText(/elapsed|running/).count()).toBe(0);
    expect(await page.getByText('NaN').count()).toBe(0);
    // The per-state line counts exactly the rows Atlas returned for this page.
    const summary = await page.getByLabel('Jobs on this page by state').innerText();
    const labels: Record<string, string> = { InProgress: 'in progress' };
    for (const state of ['Queued', 'InProgress', 'Successful', 'Failed', 'Cancelled']) {
      const n = data.results.filter((j) => j.state === state).length;
      const text = new RegExp(`(^|\\D)${n} ${labels[state] ?? state.toLowerCase()}`);
      if (n > 0) expect(summary).toMatch(text);
      else expect(summary).not.toContain(labels[state] ?? state.toLowerCase());
    }
  });

  it('shows a 500-row page as a window of rows that scrolls through all 500', async () => {
    const { groupId, name } = suite.stack.world.bigCluster;
    const expected = await simExports(suite.stack, groupId, name, 1, 500);
    expect(expected.results).toHaveLength(500);
    const page = await open(exportsPath(groupId, name, '?perPage=500'));
    const table = page.getByRole('table', { name: /^Export jobs of cluster/ });
    await eventually(
      () => table.getAttribute('aria-rowcount'),
      (v) => v === '501',
      15_000,
      'aria-rowcount',
    );
    // The virtualizer loads lazily (a plain first screen shows meanwhile); its rows carry aria-rowindex.
    await table.locator('tbody tr[aria-rowindex="2"]').waitFor();
    const firstIds = await idsOnScreen(page);
    expect(firstIds.length).toBeGreaterThan(0);
    expect(firstIds.length).toBeLessThan(100);
    expect(firstIds).toEqual(ids(expected.results).slice(0, firstIds.length));
    const lastId = expected.results[499]!.id!;
    // Rows are measured as they render, so the page's height settles while scrolling: scroll until the end shows.
    await eventually(
      async () => {
        await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
        return page.getByRole('link', { name: `Export ${lastId}` }).count();
      },
      (n) => n === 1,
      15_000,
      'the last row after scrolling to the end',
    );
    expect(
      await page
        .getByRole('link', { name: `Export ${lastId}` })
        .locator('xpath=ancestor::tr')
        .getAttribute('aria-rowindex'),
    ).toBe('501');
  });

  it('says when a cluster has no export jobs, and how they are created', async () => {
    const { groupId, name } = suite.stack.world.noExportsCluster;
    const page = await open(exportsPath(groupId, name));
    await page.getByRole('heading', { name: 'No export jobs yet' }).waitFor();
    expect(await page.getByText('atlas backups exports jobs create', { exact: false }).count()).toBe(1);
    // Nothing to page through: no "0–0 of ~0" and no page buttons.
    expect(await page.getByRole('button', { name: /next page/i }).count()).toBe(0);
    expect(await page.getByText('0–0', { exact: false }).count()).toBe(0);
  });

  it('ids on screen are read from the rendered rows (guards the helper)', async () => {
    const { groupId, name } = suite.stack.world.bigCluster;
    const page = await open(exportsPath(groupId, name, '?perPage=10'));
    await page.getByRole('progressbar').first().waitFor();
    expect(await idsOnScreen(page)).toHaveLength(10);
  });
});
