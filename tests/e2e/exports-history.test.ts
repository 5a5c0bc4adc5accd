/**
 * The whole history of a cluster in the table: every expectation is computed from what the simulator itself
 * returns for the cluster (tests/e2e/history-truth.ts reads it with the simulator's own credentials), never
 * through the dashboard's proxy or the SPA's code.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ExportJob } from '../../src/atlas/types.ts';
import { eventually, exportsPath, ids, idsOnScreen, searchOf, waitForIds } from './helpers.ts';
import { countStates, durationMs, matchesText, newestFirst, parseCsv, readTruth } from './history-truth.ts';
import { useBrowserSuite } from './suite.ts';

// speed 0: simulated time stands still, so what the simulator says stays what the UI shows.
const suite = useBrowserSuite({ seed: 42, speed: 0 });
const big = () => suite.stack.world.bigCluster;
const truth = () => readTruth(suite.stack.sim.url, big().groupId, big().name);
const fmt = (n: number) => n.toLocaleString('en-US');

async function openLoaded(search: string): Promise<Page> {
  const page = await suite.open(exportsPath(big().groupId, big().name, search));
  await page.getByTestId('history-summary').getByText('all pages loaded', { exact: false }).waitFor();
  return page;
}

async function chipNames(page: Page): Promise<string[]> {
  return page
    .getByRole('group', { name: 'Filter by state' })
    .getByRole('link')
    .evaluateAll((links) => links.map((l) => l.getAttribute('aria-label') ?? ''));
}

describe('the whole history: filter, search, sort, totals', () => {
  it('filters by state over every page and says how many of how many', async () => {
    const { jobs } = await truth();
    const failed = newestFirst(jobs.filter((j) => j.state === 'Failed'));
    expect(failed.length).toBeGreaterThan(50); // more than one page of results
    const page = await openLoaded('?state=Failed');
    await waitForIds(page, ids(failed.slice(0, 50)));
    await expect(page.getByTestId('history-summary').textContent()).resolves.toBe(
      `${fmt(failed.length)} failed of ${fmt(jobs.length)} jobs · all pages loaded`,
    );
    await expect(page.getByTestId('page-range').textContent()).resolves.toBe(`1–50 of ${fmt(failed.length)} matching`);
    // Pages of the filtered set, in the browser.
    await page.getByRole('button', { name: 'Next page' }).click();
    await waitForIds(page, ids(failed.slice(50, 100)));
    expect(searchOf(page)).toEqual({ state: 'Failed', page: '2' });
    // Another state chip adds to the filter and starts again at page 1.
    await page.getByRole('link', { name: /^Cancelled: / }).click();
    const either = newestFirst(jobs.filter((j) => j.state === 'Failed' || j.state === 'Cancelled'));
    await waitForIds(page, ids(either.slice(0, 50)));
    expect(searchOf(page)).toEqual({ state: 'Failed,Cancelled' });
  });

  it('shows exact per-state totals once every page is in, each a link to its filter', async () => {
    const { jobs } = await truth();
    const counts = countStates(jobs);
    const page = await suite.open(exportsPath(big().groupId, big().name));
    await eventually(
      () => chipNames(page),
      (names) => names.length === 5 && names.every((n) => !/not counted|or more/.test(n)),
      15_000,
      'exact counts on the chips',
    );
    expect(await chipNames(page)).toEqual(
      ['Queued', 'InProgress', 'Successful', 'Failed', 'Cancelled'].map(
        (s) => `${s === 'InProgress' ? 'In progress' : s}: ${fmt(counts[s] ?? 0)}`,
      ),
    );
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(jobs.length);
    const failedChip = page.getByRole('link', { name: /^Failed: / });
    expect(new URL(await failedChip.evaluate((a) => (a as HTMLAnchorElement).href)).search).toBe('?state=Failed');
  });

  it('searches custom data values, case-insensitively, and marks the match', async () => {
    const { jobs, bucketNames } = await truth();
    const ticket = jobs.flatMap((j) => j.customData ?? []).find((l) => l.key === 'ticket')?.value;
    expect(ticket, 'the seeded world has ticket labels').toBeDefined();
    const q = ticket!.toLowerCase();
    const expected = newestFirst(jobs.filter((j) => matchesText(j, q, bucketNames)));
    expect(expected.length).toBeGreaterThan(0);
    const page = await openLoaded(`?q=${encodeURIComponent(q)}`);
    await waitForIds(page, ids(expected.slice(0, 50)));
    expect(await page.locator('tbody mark').first().textContent()).toBe(ticket);
    await expect(page.getByTestId('history-summary').textContent()).resolves.toBe(
      `${expected.length} matching “${q}” of ${fmt(jobs.length)} jobs · all pages loaded`,
    );
  });

  it('finds a job from part of its snapshot id, and offers the direct link', async () => {
    const { jobs, bucketNames } = await truth();
    const target = jobs[700]!;
    const tail = target.snapshotId!.slice(-8);
    const expected = jobs.filter((j) => matchesText(j, tail, bucketNames));
    expect(expected.map((j) => j.id)).toEqual([target.id]);
    const page = await openLoaded(`?q=${tail}`);
    await waitForIds(page, [target.id!]);
    const link = page.getByRole('link', { name: /^open export/ });
    expect(await link.getAttribute('href')).toBe(
      `/projects/${big().groupId}/clusters/${big().name}/exports/${target.id}?q=${tail}`,
    );
    await link.click();
    await page
      .getByRole('heading', { name: /Export/ })
      .first()
      .waitFor();
    expect(new URL(page.url()).pathname.endsWith(`/exports/${target.id}`)).toBe(true);
  });

  it('limits the creation time to a range', async () => {
    const { jobs } = await truth();
    const sorted = newestFirst(jobs);
    const since = sorted[120]!.createdAt!.slice(0, 10);
    const until = sorted[40]!.createdAt!.slice(0, 10);
    const from = Date.parse(`${since}T00:00:00Z`);
    const to = Date.parse(`${until}T00:00:00Z`) + 86_400_000;
    const expected = sorted.filter((j) => Date.parse(j.createdAt!) >= from && Date.parse(j.createdAt!) < to);
    const page = await openLoaded(`?since=${since}&until=${until}&perPage=100`);
    await waitForIds(page, ids(expected.slice(0, 100)));
    await expect(page.getByTestId('history-summary').textContent()).resolves.toContain(
      `${expected.length} matching created since ${since} and before ${until}`,
    );
  });

  it('sorts by duration from the column header, with aria-sort', async () => {
    const { jobs } = await truth();
    const withDuration = jobs.filter((j) => durationMs(j) !== undefined);
    const byDuration = newestFirst(withDuration).sort((a, b) => durationMs(b)! - durationMs(a)!);
    const page = await openLoaded('?state=Successful,Failed,Cancelled');
    await page.getByRole('button', { name: /^Duration/ }).click();
    await waitForIds(page, ids(byDuration.slice(0, 50)));
    expect(searchOf(page)).toEqual({ state: 'Successful,Failed,Cancelled', sort: '-duration' });
    const header = page.getByRole('columnheader', { name: /^Duration/ });
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    expect(await page.getByRole('columnheader', { name: /^Created/ }).getAttribute('aria-sort')).toBe('none');
    await page.getByRole('button', { name: /^Duration/ }).click();
    const shortest = [...withDuration].sort(
      (a, b) => durationMs(a)! - durationMs(b)! || Date.parse(b.createdAt!) - Date.parse(a.createdAt!),
    );
    await waitForIds(page, ids(shortest.slice(0, 50)));
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
  });

  it('round-trips the view through the URL: reload, back and forward', async () => {
    const { jobs } = await truth();
    const failed = newestFirst(jobs.filter((j) => j.state === 'Failed'));
    const page = await openLoaded('?state=Failed');
    await waitForIds(page, ids(failed.slice(0, 50)));
    await page.getByRole('link', { name: /^Created last 7d/ }).click();
    const weekAgo = Date.now() - 7 * 86_400_000;
    const recent = failed.filter((j) => Date.parse(j.createdAt!) >= weekAgo);
    await waitForIds(page, ids(recent));
    expect(searchOf(page)).toEqual({ state: 'Failed', since: '7d' });
    await page.getByRole('searchbox', { name: 'Search jobs' }).fill('EXPORT_TIMEOUT');
    const timeouts = recent.filter((j) => j.stateReason?.errorCode === 'EXPORT_TIMEOUT');
    await waitForIds(page, ids(timeouts));
    // The rows follow each keystroke; the URL follows once typing pauses.
    await eventually(
      async () => searchOf(page).q,
      (q) => q === 'EXPORT_TIMEOUT',
      5_000,
      'q in the URL',
    );
    await page.reload();
    await waitForIds(page, ids(timeouts));
    expect(await page.getByRole('searchbox', { name: 'Search jobs' }).inputValue()).toBe('EXPORT_TIMEOUT');
    await page.goBack();
    await waitForIds(page, ids(recent));
    expect(await page.getByRole('searchbox', { name: 'Search jobs' }).inputValue()).toBe('');
    await page.goBack();
    await waitForIds(page, ids(failed.slice(0, 50)));
    expect(searchOf(page)).toEqual({ state: 'Failed' });
    await page.goForward();
    await waitForIds(page, ids(recent));
  });

  it('a keystroke re-renders only the rows that changed: a row still shown keeps its element and its cells', async () => {
    const { jobs, bucketNames } = await truth();
    const byDuration = newestFirst(jobs.filter((j) => durationMs(j) !== undefined)).sort(
      (a, b) => durationMs(b)! - durationMs(a)!,
    );
    const top = (q: string) => ids(byDuration.filter((j) => matchesText(j, q, bucketNames)).slice(0, 50));
    const before = top('ops-');
    const after = top('ops-1');
    const stayed = after.filter((id) => before.includes(id));
    // What makes the test bite: rows that stay but move up, past rows that left.
    expect(stayed.filter((id) => before.indexOf(id) !== after.indexOf(id)).length).toBeGreaterThan(5);
    const page = await openLoaded('?sort=-duration&q=ops-');
    await waitForIds(page, before);
    // The snapshots' times arrive after the rows (a lookup of their own): on a busy machine, during the keystroke.
    await page.waitForLoadState('networkidle');
    // Each row element remembers the job it showed; an observer notes every change inside the rows that stay,
    // until the table shows the new rows (the URL, and the row links with it, follow 300 ms later: not measured).
    await page.evaluate(
      ({ after, stayed }) => {
        type Tr = HTMLTableRowElement & { __shown?: string | null };
        const rows = () => [...document.querySelectorAll<Tr>('tbody tr[data-row-id]')];
        for (const tr of rows()) tr.__shown = tr.getAttribute('data-row-id');
        const w = window as unknown as { __outside: string[]; __done: boolean };
        w.__outside = [];
        w.__done = false;
        const observer = new MutationObserver((records) => {
          for (const r of records) {
            const el = r.target instanceof Element ? r.target : r.target.parentElement;
            const tr = el?.closest<Tr>('tr[data-row-id]');
            // The searched text is marked inside each <bdi> of Atlas's text: that may change, nothing else may.
            // Clocks change on their own, keystroke or not: a <time>'s age (every 15 s) and a running job's
            // "elapsed 3m 12s" (every second).
            const clock = !!el?.closest('time') || /^(queued|elapsed|waiting) \d/.test(el?.textContent ?? '');
            if (tr && stayed.includes(tr.__shown ?? '') && !el?.closest('bdi') && !clock)
              w.__outside.push(
                `${tr.__shown}: ${r.type} on ${el?.tagName} in ${el?.closest('td')?.dataset.col ?? '?'}` +
                  ` (added “${[...r.addedNodes].map((n) => n.textContent).join('|')}”)`,
              );
          }
          if (
            rows()
              .map((tr) => tr.getAttribute('data-row-id'))
              .join() !== after.join()
          )
            return;
          observer.disconnect();
          w.__done = true;
        });
        observer.observe(document.querySelector('tbody')!, {
          subtree: true,
          childList: true,
          attributes: true,
          characterData: true,
        });
      },
      { after, stayed },
    );
    const box = page.getByRole('searchbox', { name: 'Search jobs' });
    await box.press('End');
    await box.press('1');
    await page.waitForFunction(() => (window as unknown as { __done: boolean }).__done, undefined, { timeout: 10_000 });
    const seen = await page.evaluate(() => ({
      outside: (window as unknown as { __outside: string[] }).__outside,
      shownBy: [...document.querySelectorAll('tbody tr[data-row-id]')].map((tr) => [
        tr.getAttribute('data-row-id'),
        (tr as HTMLTableRowElement & { __shown?: string }).__shown,
      ]),
    }));
    // Every row that stayed is the element that showed it before (a moved row, not another row rewritten).
    expect(seen.shownBy.filter(([id]) => stayed.includes(id!)).filter(([id, shown]) => id !== shown)).toEqual([]);
    expect(seen.outside).toEqual([]);
  });
});

describe('download', () => {
  async function download(page: Page, label: 'CSV' | 'JSON'): Promise<{ name: string; text: string }> {
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: label }).click(),
    ]);
    return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
  }

  it('writes every matching job as CSV (not just the page) and as Atlas JSON', async () => {
    const { jobs, bucketNames } = await truth();
    const failed = newestFirst(jobs.filter((j) => j.state === 'Failed'));
    const page = await openLoaded('?state=Failed');
    const csv = await download(page, 'CSV');
    const project = suite.stack.world.projects.find((p) => p.id === big().groupId)!.name;
    expect(csv.name).toMatch(new RegExp(`^${project}-${big().name}-exports-\\d{8}T\\d{6}Z\\.csv$`));
    const rows = parseCsv(csv.text);
    expect(rows[0]).toEqual([
      'id',
      'state',
      'created',
      'finished',
      'duration s',
      'exported',
      'total',
      'snapshot id',
      'bucket id',
      'bucket name',
      'provider',
      'prefix',
      'custom data',
      'error code',
      'error message',
    ]);
    expect(rows).toHaveLength(failed.length + 1);
    const first = failed[0]!;
    expect(rows[1]!.slice(0, 4)).toEqual([first.id, 'Failed', first.createdAt, first.finishedAt]);
    expect(rows[1]![9]).toBe(bucketNames.get(first.exportBucketId));
    expect(rows[1]![14]).toBe(first.stateReason?.message);
    const json = await download(page, 'JSON');
    expect(json.name.endsWith('.json')).toBe(true);
    expect(JSON.parse(json.text)).toEqual(failed);
  });

  it('neutralises a cell that a spreadsheet would run as a formula', async () => {
    const { groupId, name } = big();
    const { simClient } = await import('./history-truth.ts');
    const get = await simClient(suite.stack.sim.url);
    const base = `/api/atlas/v2/groups/${groupId}`;
    const snapshots = (await (await get(`${base}/clusters/${name}/backup/snapshots?itemsPerPage=500`)).json()) as {
      results: { id: string }[];
    };
    // A snapshot nobody is exporting right now (Atlas refuses a second export of one in progress).
    const { jobs } = await truth();
    const busy = new Set(jobs.filter((j) => j.state === 'Queued' || j.state === 'InProgress').map((j) => j.snapshotId));
    const snapshot = snapshots.results.find((s) => !busy.has(s.id))!;
    const buckets = (await (await get(`${base}/backup/exportBuckets`)).json()) as { results: { _id: string }[] };
    const created = await get(`${base}/clusters/${name}/backup/exports`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.atlas.2023-01-01+json' },
      body: JSON.stringify({
        snapshotId: snapshot.id,
        exportBucketId: buckets.results[0]!._id,
        customData: [{ key: '=HYPERLINK("http://evil.example")', value: 'x' }],
      }),
    });
    expect(created.status).toBe(200);
    const job = (await created.json()) as ExportJob;
    try {
      const page = await openLoaded('?q=HYPERLINK');
      await waitForIds(page, [job.id!]);
      const rows = parseCsv((await download(page, 'CSV')).text);
      expect(rows).toHaveLength(2);
      expect(rows[1]![0]).toBe(job.id);
      expect(rows[1]![12]).toBe(`'=HYPERLINK("http://evil.example")=x`);
    } finally {
      await suite.stack.simPost('/__sim/reset');
    }
  });
});

describe('bad input in the URL', () => {
  const notices = (page: Page) => page.getByTestId('url-notices').innerText();

  it('drops unknown states and says so', async () => {
    const { jobs } = await truth();
    const page = await openLoaded('?state=Failed,Exploded');
    await waitForIds(page, ids(newestFirst(jobs.filter((j) => j.state === 'Failed')).slice(0, 50)));
    expect(await notices(page)).toContain('Ignored unknown state “Exploded”');
    expect(searchOf(page)).toEqual({ state: 'Failed' });
  });

  it('ignores an unreadable since, and cuts q at 200 characters', async () => {
    const { jobs } = await truth();
    const page = await openLoaded(`?since=yesterday&q=${'9'.repeat(250)}`);
    expect(await notices(page)).toMatch(/Ignored since=“yesterday”[\s\S]*first 200 characters/);
    expect(await page.getByRole('searchbox', { name: 'Search jobs' }).inputValue()).toBe('9'.repeat(200));
    await page.getByRole('heading', { name: 'No job matches' }).waitFor();
    await expect(page.getByTestId('history-summary').textContent()).resolves.toContain(`of ${fmt(jobs.length)} jobs`);
  });

  it('shows the last page for a page past the end, page 1 for page 0 or below', async () => {
    const { jobs } = await truth();
    const all = newestFirst(jobs);
    const last = Math.ceil(all.length / 50);
    let page = await suite.open(exportsPath(big().groupId, big().name, '?page=999'));
    await waitForIds(page, ids(all.slice((last - 1) * 50)));
    expect(await notices(page)).toContain(`Page 999 is past the end: showing page ${last}, the last.`);
    await page.context().close();
    for (const bad of ['0', '-3']) {
      page = await suite.open(exportsPath(big().groupId, big().name, `?page=${bad}`));
      await waitForIds(page, ids(all.slice(0, 50)));
      expect(await notices(page)).toContain(`There is no page “${bad}”: showing page 1.`);
      expect(await page.getByRole('alert').count()).toBe(0);
      await page.context().close();
    }
    page = await openLoaded('?state=Failed&page=99');
    const failed = newestFirst(jobs.filter((j) => j.state === 'Failed'));
    const lastFailed = Math.ceil(failed.length / 50);
    await waitForIds(page, ids(failed.slice((lastFailed - 1) * 50)));
    expect(await notices(page)).toContain(`showing page ${lastFailed}, the last`);
  });

  it('snaps an odd page size to the nearest offered one, and the menu shows it', async () => {
    const { jobs } = await truth();
    const page = await suite.open(exportsPath(big().groupId, big().name, '?perPage=37'));
    await waitForIds(page, ids(newestFirst(jobs).slice(0, 25)));
    expect(await page.getByRole('combobox', { name: 'Rows per page' }).inputValue()).toBe('25');
    expect(await notices(page)).toContain('“37” rows per page is not offered: showing 25');
    expect(await idsOnScreen(page)).toHaveLength(25);
  });
});
