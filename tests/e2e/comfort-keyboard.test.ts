/**
 * The dashboard from the keyboard alone: a walk from the start page to a job's details and back with the number
 * of Tab presses it takes, one tab stop per table, the shortcuts and their help.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { simExports, eventually, exportsPath, ids, searchOf, waitForIds, isRefusedProjectNote } from './helpers.ts';
import { useBrowserSuite } from './suite.ts';
import { fleetWatchEnv } from './stack.ts';

// The fleet at / asks every project, and the seeded world has one that refuses this key (403), which the page
// shows as "refused"; Chromium notes that 403 as a console error. Only that note is expected: any other HTTP
// error status still fails the test.
const suite = useBrowserSuite({ seed: 7, speed: 0, env: fleetWatchEnv }, { allowHttpErrors: isRefusedProjectNote });

/** What has focus, in words a failure message can show. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    const row = el.getAttribute('data-row-id');
    return `${el.tagName.toLowerCase()}${row ? `[row ${row}]` : ''}: ${(el.textContent ?? '').trim().slice(0, 60)}`;
  });
}

/** Presses Tab (or Shift+Tab) until `want` matches what has focus; returns how many presses it took. */
async function tabUntil(page: Page, want: (f: string) => boolean, back = false, max = 40): Promise<number> {
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    if (want(await focused(page))) return presses;
  }
  throw new Error(`focus never reached the target in ${max} presses; it is on ${await focused(page)}`);
}

async function headingFocused(page: Page, text: RegExp): Promise<void> {
  await eventually(
    () => focused(page),
    (f) => f.startsWith('h1') && text.test(f),
    5_000,
    `focus on the h1 ${text}`,
  );
}

describe('keyboard', () => {
  it('walks from the start page to a job and back with a handful of Tab presses', async () => {
    const { groupId, name } = suite.stack.world.bigCluster;
    const jobs = (await simExports(suite.stack, groupId, name, 1, 50)).results;
    const page = await suite.open('/');
    // The start page is the fleet: each row's cluster name links straight to that cluster's export jobs.
    await page.getByRole('table').first().waitFor();
    await page.waitForLoadState('networkidle');
    // The fleet is long: the operator Tabs to its search box and types the cluster's name. The fleet table is one
    // tab stop too: the next Tab reaches a row, ↓ walks to the cluster, Enter opens its jobs.
    const searchBox = page.getByRole('searchbox', { name: 'Search clusters' });
    const inSearch = () => searchBox.evaluate((el) => el === document.activeElement);
    let tabs = 0;
    while (!(await inSearch()) && tabs < 40) {
      await page.keyboard.press('Tab');
      tabs++;
    }
    await page.keyboard.type(name);
    await eventually(
      () => page.locator('tbody tr[data-row-id]').count(),
      (n) => n > 0 && n < 10,
      5_000,
      'the fleet filtered to the cluster',
    );
    tabs += await tabUntil(page, (f) => f.startsWith('tr[row '));
    const fleetTabs = tabs;
    let arrows = 0;
    while (!(await focused(page)).startsWith(`tr[row ${groupId}/${name}]`) && arrows < 20) {
      await page.keyboard.press('ArrowDown');
      arrows++;
    }
    expect(await focused(page)).toMatch(`tr[row ${groupId}/${name}]`);
    await page.keyboard.press('Enter');
    await headingFocused(page, /Export jobs/);
    await waitForIds(page, ids(jobs));
    // The whole table is one stop: the first Tab into it lands on a row, the next one leaves it.
    tabs += await tabUntil(page, (f) => f.startsWith(`tr[row ${jobs[0]!.id}]`));
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toMatch(`tr[row ${jobs[1]!.id}]`);
    await page.keyboard.press('Enter');
    await headingFocused(page, new RegExp(`Export ${jobs[1]!.id}`));
    expect(page.url()).toContain(`/exports/${jobs[1]!.id}`);
    const back = await tabUntil(page, (f) => f === 'a: Exports', true);
    await page.keyboard.press('Enter');
    await headingFocused(page, /Export jobs/);
    console.log(
      `keyboard walk: ${tabs} Tab presses (${fleetTabs} on the fleet) and ${arrows} arrow presses from the start page to a job, ${back} Shift+Tab back`,
    );
    expect(tabs).toBeLessThanOrEqual(20);
    expect(arrows).toBeLessThanOrEqual(20);
    expect(back).toBeLessThanOrEqual(3);
    expect(await page.getByTestId('route-announcer').textContent()).toMatch(/Export jobs/);
  });

  it('gives each table one tab stop, with nothing inside rows in the Tab order', async () => {
    const { groupId, name } = suite.stack.world.bigCluster;
    const jobs = (await simExports(suite.stack, groupId, name, 1, 50)).results;
    const page = await suite.open(exportsPath(groupId, name));
    await waitForIds(page, ids(jobs));
    const stops = await page.evaluate(() => {
      const rows = [...document.querySelectorAll<HTMLElement>('tr[data-row-id]')];
      const inside = [...document.querySelectorAll<HTMLElement>('tr[data-row-id] :is(a, button, time, [tabindex])')];
      return {
        rows: rows.filter((r) => r.tabIndex === 0).length,
        inside: inside.filter((e) => e.tabIndex >= 0).length,
      };
    });
    expect(stops).toEqual({ rows: 1, inside: 0 });
    // Inside a row, → reaches its link and ← returns to the row.
    await page.keyboard.press('j');
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toMatch(/^a: …[a-f0-9]{8}Export [a-f0-9]{24}$/);
    await page.keyboard.press('ArrowLeft');
    expect(await focused(page)).toMatch(`tr[row ${jobs[0]!.id}]`);
  });

  it('makes each group of controls one Tab stop, arrow keys inside: summary tiles, filters, sort headers, pages', async () => {
    const page = await suite.open('/');
    await page.getByRole('table').first().waitFor();
    await page.waitForLoadState('networkidle');
    /** How many of the group's links, buttons and checkboxes are in the Tab order. */
    const stopsIn = (selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate(
          (group) =>
            [...group.querySelectorAll<HTMLElement>('a[href], button:not([disabled]), input[type="checkbox"]')].filter(
              (el) => el.tabIndex >= 0,
            ).length,
        );
    expect(await stopsIn('[role="toolbar"][aria-label="Summary"]')).toBe(1);
    expect(await stopsIn('[role="toolbar"][aria-label="Fleet filters"]')).toBe(1);
    expect(await stopsIn('thead tr')).toBe(1);

    // Into the headers with Tab, across them with →, and Enter sorts by the one reached.
    await page.getByRole('searchbox', { name: 'Search clusters' }).focus();
    await tabUntil(page, (f) => f.startsWith('button: Organization'));
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toMatch(/^button: Project/);
    await page.keyboard.press('End');
    expect(await focused(page)).toMatch(/^button: Checked/);
    await page.keyboard.press('ArrowLeft');
    expect(await focused(page)).toMatch(/^button: Jobs/);
    await page.keyboard.press('Enter');
    await eventually(
      async () => searchOf(page).sort,
      (s) => s === '-total',
      5_000,
      'the fleet sorted by jobs',
    );
    // The sort button that was used keeps the stop, so Shift+Tab and Tab come back to it.
    expect(await stopsIn('thead tr')).toBe(1);
    expect(await focused(page)).toMatch(/^button: Jobs/);

    // In the filters, → walks from the window to the switches; Space ticks one.
    await page.getByRole('button', { name: '24h', exact: true }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toMatch(/^button: 7d/);
    await page.keyboard.press('End');
    await page.keyboard.press('Space');
    expect(await page.getByRole('checkbox', { name: 'Stale only' }).isChecked()).toBe(true);
    expect(searchOf(page).show).toBe('stale');

    // The export jobs page: the refresh buttons and the page buttons are one stop each.
    const { groupId, name } = suite.stack.world.bigCluster;
    await page.goto(suite.stack.url + exportsPath(groupId, name));
    await page.locator('tbody tr[data-row-id]').first().waitFor();
    expect(await stopsIn('[role="toolbar"][aria-label="Refresh"]')).toBe(1);
    expect(await stopsIn('[role="toolbar"][aria-label="Pages"]')).toBe(1);
    expect(await stopsIn('thead tr')).toBe(1);
  });

  it('answers the shortcuts: ? help, j/k rows, Enter, n/p pages, r refresh, g f home', async () => {
    const { groupId, name } = suite.stack.world.bigCluster;
    const jobs = (await simExports(suite.stack, groupId, name, 1, 50)).results;
    const page = await suite.open(exportsPath(groupId, name));
    await waitForIds(page, ids(jobs));

    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    expect(await help.getByText('Next page').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    // `/` lands in the history search box of the toolbar.
    await page.keyboard.press('/');
    expect(
      await page.evaluate(() => {
        const el = document.activeElement;
        return el instanceof HTMLInputElement ? `${el.type} ${el.dataset.shortcut} ${el.value}` : el?.tagName;
      }),
    ).toBe('search search ');
    expect(
      await page.getByRole('searchbox', { name: 'Search jobs' }).evaluate((el) => el === document.activeElement),
    ).toBe(true);
    await page.evaluate(() => {
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    });

    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    expect(await focused(page)).toMatch(`tr[row ${jobs[0]!.id}]`);

    await page.keyboard.press('n');
    await eventually(
      async () => searchOf(page).page,
      (p) => p === '2',
      5_000,
      'page 2',
    );
    await page.keyboard.press('p');
    await eventually(
      async () => searchOf(page).page,
      (p) => p === undefined,
      5_000,
      'page 1',
    );

    const requests: string[] = [];
    page.on('request', (r) => r.url().includes('/backup/exports?') && requests.push(r.url()));
    await page.keyboard.press('r');
    await eventually(
      async () => requests.length,
      (n) => n >= 1,
      5_000,
      'a refresh',
    );

    await page.keyboard.press('j');
    const row = await page.evaluate(() => document.activeElement?.getAttribute('data-row-id'));
    expect(row).toMatch(/^[a-f0-9]{24}$/);
    await page.keyboard.press('Enter');
    await eventually(
      async () => page.url(),
      (u) => u.includes(`/exports/${row}`),
      5_000,
      'the job page',
    );

    await page.keyboard.press('g');
    await page.keyboard.press('f');
    await eventually(
      async () => new URL(page.url()).pathname,
      (p) => p === '/',
      5_000,
      'the start page',
    );
  });

  it('offers paging at the foot of a long page', async () => {
    const { groupId, name } = suite.stack.world.bigCluster;
    const jobs = (await simExports(suite.stack, groupId, name, 1, 50)).results;
    const page = await suite.open(exportsPath(groupId, name));
    await waitForIds(page, ids(jobs));
    await page
      .getByRole('navigation', { name: 'Pagination at the end of the table' })
      .getByRole('button', { name: 'Next' })
      .click();
    await eventually(
      async () => searchOf(page).page,
      (p) => p === '2',
      5_000,
      'page 2',
    );
  });
});
