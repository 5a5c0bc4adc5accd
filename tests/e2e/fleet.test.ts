/**
 * The fleet view (/), served from the server's watch, against what the simulator itself holds, read from
 * /__sim/world (its own records, not the dashboard's code): failures in 24 h, last success, running counts per
 * cluster, the auto-export setting and the freshness it implies, the needs-attention order, refused projects on
 * their rows, id search, drill-down links, the URL round trip and its validation, and the table's tab stop.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { world, type SimCluster } from '../support/sim-client.ts';
import type { FleetSnapshot } from '../../src/export-health/index.ts';
import { eventually, searchOf, waitForIds } from './helpers.ts';
import { useBrowserSuite } from './suite.ts';
import { fleetWatchEnv } from './stack.ts';

const HOUR = 3_600_000;
// speed 0: simulated time stands still, so the simulator's jobs do not change state while a test runs.
const suite = useBrowserSuite(
  { seed: 42, speed: 0, env: fleetWatchEnv },
  { allowHttpErrors: true, afterEachTest: (stack) => stack.simDelete('/__sim/faults') },
);

async function simClusters(): Promise<SimCluster[]> {
  return (await world(suite.stack.sim.url)).clusters;
}

async function openFleet(path = '/'): Promise<Page> {
  const page = await suite.open(path);
  await page.getByTestId('fleet-complete').waitFor({ timeout: 30_000 });
  // Schedules are read after every cluster's jobs: wait until the watch has them all.
  await eventually(
    async () => (await (await fetch(`${suite.stack.url}/api/fleet`)).json()) as FleetSnapshot,
    (f) => f.clusters.every((c) => !c.backupEnabled || !c.jobs || c.schedule || c.error),
    30_000,
    'every schedule read',
  );
  return page;
}

const row = (page: Page, c: { groupId: string; name: string }) =>
  page.locator(`tr[data-group="${c.groupId}"][data-cluster="${c.name}"]`);

/** Failures the simulator holds for a cluster, created in the last `hours` as the browser's clock sees it. */
function failuresWithin(c: SimCluster, hours: number, now: number): number {
  return c.failures.filter((f) => Date.parse(f.createdAt) >= now - hours * HOUR).length;
}

/** How far from the test's clock the page's may be when it counts a window. */
const EDGE = 60_000;

const readable = (c: SimCluster) => c.access === 'full' && c.backupEnabled;

describe('fleet view', () => {
  it('shows, per cluster, the failures in 24 h, last success, running count and total the simulator holds', async () => {
    const clusters = await simClusters();
    const page = await openFleet();
    const now = Date.now();
    let checked = 0;
    for (const c of clusters.filter(readable)) {
      const r = row(page, c);
      const failures = Number(await r.getByTestId('failures').textContent());
      // A failure within a minute of the window's edge may be in or out, by when the page computed it: the count
      // is then between the two, never skipped.
      expect(failures, `${c.project}/${c.name} failures`).toBeGreaterThanOrEqual(failuresWithin(c, 24, now + EDGE));
      expect(failures, `${c.project}/${c.name} failures`).toBeLessThanOrEqual(failuresWithin(c, 24, now - EDGE));
      expect(Number((await r.getByTestId('total').textContent())?.replace(/,/g, '')), `${c.name} total`).toBe(c.jobs);
      if (c.inProgress + c.queued > 0)
        expect(Number(await r.getByTestId('running').textContent()), `${c.name} running`).toBe(c.inProgress);
      // An idle cluster shows no running figure at all, not a zero.
      else await expect(r.getByTestId('running').count(), `${c.name} running`).resolves.toBe(0);
      if (c.lastSuccess) {
        const shown = await r.getByTestId('last-success').getAttribute('datetime');
        // Atlas gives whole seconds; the simulator keeps milliseconds.
        expect(Math.abs(Date.parse(shown ?? '') - Date.parse(c.lastSuccess.finishedAt)), c.name).toBeLessThan(1000);
      } else {
        await expect(r.getByTestId('last-success').count()).resolves.toBe(0);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(35);
    // Backup-off clusters say so and cost no export call (checked in the bench); refused ones name the role.
    for (const c of clusters.filter((x) => !x.backupEnabled && x.access === 'full'))
      await expect(row(page, c).textContent()).resolves.toContain('Backup off');
    for (const c of clusters.filter((x) => x.access === 'readOnly'))
      await expect(row(page, c).textContent()).resolves.toContain('needs the Project Backup Manager role');
    const noRole = clusters.find((x) => x.access === 'none')!;
    await expect(row(page, { groupId: noRole.groupId, name: '' }).textContent()).resolves.toContain(
      'needs the Project Read Only role',
    );
    // The tiles count the same clusters.
    const tile = async (id: string) => Number(await page.getByTestId(`tile-${id}`).textContent());
    const visible = clusters.filter((c) => c.access !== 'none');
    await expect(tile('watched')).resolves.toBe(visible.length);
    await expect(tile('running')).resolves.toBe(
      visible.filter((c) => readable(c) && c.inProgress + c.queued > 0).length,
    );
    await expect(tile('backup-off')).resolves.toBe(visible.filter((c) => !c.backupEnabled).length);
    await expect(tile('failing')).resolves.toBe(
      visible.filter((c) => readable(c) && failuresWithin(c, 24, now) > 0).length,
    );
  });

  it('puts clusters that need attention first: failures (most first), refused, stale (oldest first), running, healthy', async () => {
    const clusters = await simClusters();
    const page = await openFleet();
    const now = Date.now();
    const byKey = new Map(clusters.map((c) => [`${c.groupId}/${c.name}`, c]));
    const keys = await page
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-group')}/${r.getAttribute('data-cluster')}`));
    const rank = (key: string): [number, number] => {
      const c = byKey.get(key);
      if (!c) return [1, 0]; // a project whose clusters Atlas would not list
      if (!c.backupEnabled) return [6, 0];
      const failures = failuresWithin(c, 24, now);
      if (c.access === 'full' && failures > 0) return [0, -failures];
      if (c.access !== 'full') return [1, 0];
      const success = c.lastSuccess ? Date.parse(c.lastSuccess.finishedAt) : undefined;
      // An auto-export cluster is stale after one missed export (plus 2 days), the rest after 26 h.
      const staleH = c.autoExport === 'monthly' ? 33 * 24 : c.autoExport === 'yearly' ? 368 * 24 : 26;
      if (c.jobs > 0 && (success === undefined || now - success > staleH * HOUR)) return [2, success ?? 0];
      if (c.inProgress + c.queued > 0) return [3, 0];
      return [4, 0];
    };
    const ranks = keys.map(rank);
    for (let i = 1; i < ranks.length; i++) {
      const [a, b] = [ranks[i - 1]!, ranks[i]!];
      expect(a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]), `${keys[i - 1]} before ${keys[i]}`).toBe(true);
    }
    expect(ranks[0]![0]).toBe(0);
  });

  it('judges a monthly auto-export cluster by its cadence: not stale at 3 days; a yearly one not at 100', async () => {
    const clusters = await simClusters();
    const monthly = clusters.find((c) => c.autoExport === 'monthly')!;
    const yearly = clusters.find((c) => c.autoExport === 'yearly')!;
    const page = await openFleet();
    for (const [c, word] of [
      [monthly, 'monthly'],
      [yearly, 'yearly'],
    ] as const) {
      await expect(row(page, c).getByTestId('auto-export').textContent()).resolves.toBe(word);
      const link = row(page, c).getByRole('link', { name: /^Last successful export/ });
      await expect(link.getAttribute('aria-label')).resolves.toContain('(fresh)');
    }
    // The same age without an auto-export policy is stale: the fleet's 26 h.
    expect(Date.now() - Date.parse(monthly.lastSuccess!.finishedAt)).toBeGreaterThan(70 * HOUR);
    await page.getByRole('button', { name: /^Stale/ }).click();
    await page.waitForURL(/show=stale/);
    await expect(row(page, monthly).count()).resolves.toBe(0);
    await expect(row(page, yearly).count()).resolves.toBe(0);
  });

  it('keeps a project Atlas starts refusing (403) on its rows, marked with the reason', async () => {
    const clusters = await simClusters();
    const ops = clusters.filter((c) => c.project === 'ops-tools');
    const page = await openFleet();
    await expect(row(page, ops[0]!).getByTestId('total').count()).resolves.toBe(1);
    await suite.stack.simPost('/__sim/faults', { match: `/groups/${ops[0]!.groupId}/clusters?`, status: 403 });
    // Within one discovery interval every row of the project says why, and none disappears.
    for (const c of ops.filter((x) => x.backupEnabled))
      await row(page, c).getByTestId('row-problem').waitFor({ timeout: 10_000 });
    await expect(row(page, ops[0]!).textContent()).resolves.toContain('No access: needs the Project Read Only role');
    await expect(page.locator(`tr[data-group="${ops[0]!.groupId}"]`).count()).resolves.toBe(ops.length);
    await suite.stack.simDelete('/__sim/faults');
    await row(page, ops[0]!).getByTestId('total').waitFor({ timeout: 10_000 });
  });

  it('finds the cluster and the job that hold a snapshot id or a job id typed into the search', async () => {
    const clusters = await simClusters();
    const routing = clusters.find((c) => c.name === 'routing-prod')!;
    const failure = routing.failures[0]!;
    const page = await openFleet();
    const search = page.getByRole('searchbox', { name: /Search clusters/ });
    for (const id of [failure.snapshotId, failure.id]) {
      await search.fill(id);
      await page.getByTestId('id-found').waitFor();
      await expect(page.getByTestId('id-found').textContent()).resolves.toContain('routing-prod');
      const shown = await page
        .locator('tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-cluster')));
      expect(shown).toEqual(['routing-prod']);
    }
    // The newest failure in that row is the job: one click away.
    await row(page, routing)
      .getByRole('link', { name: /^Newest failure/ })
      .click();
    await page.waitForURL(new RegExp(`/exports/${failure.id}$`));
  });

  it('the first Tab into the table lands on its first row, also after the rows re-sort', async () => {
    const page = await openFleet();
    await page.getByRole('button', { name: 'Cluster', exact: true }).click();
    await page.waitForURL(/sort=cluster/);
    // Focus is on the header's sort button (the header row is one Tab stop); the next Tab enters the rows.
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-row-id'));
    const first = await page.locator('tbody tr').first().getAttribute('data-row-id');
    expect(focused).toBe(first);
    await page.keyboard.press('Enter');
    const name = first!.split('/')[1]!;
    await page.waitForURL(new RegExp(`/clusters/${name}/exports$`));
  });

  it('says which address values it ignored instead of silently using defaults', async () => {
    const page = await openFleet('/?staleAfter=xyz&window=2y');
    const notes = page.getByTestId('fleet-notices');
    await expect(notes.textContent()).resolves.toContain('Ignored staleAfter=“xyz”');
    await expect(notes.textContent()).resolves.toContain('Ignored window=“2y”');
    // The view is the default one, and says so.
    expect(await page.getByTestId('fleet-status').textContent()).toContain('stale after 26h');
    await expect(page.getByRole('button', { name: '24h', exact: true }).getAttribute('aria-pressed')).resolves.toBe(
      'true',
    );
  });

  it('drills down from a figure to the cluster table filtered to it', async () => {
    const clusters = await simClusters();
    const routing = clusters.find((c) => c.name === 'routing-prod')!;
    const page = await openFleet();
    await row(page, routing).getByTestId('failures').click();
    await page.waitForURL(/\/clusters\/routing-prod\/exports\?/);
    expect(new URL(page.url()).pathname).toBe(`/projects/${routing.groupId}/clusters/routing-prod/exports`);
    expect(searchOf(page)).toEqual({ state: 'Failed', since: '24h' });
    await page.getByRole('heading', { name: /^Export jobs/ }).waitFor();
    // The table lists exactly the failures the simulator holds for that day, newest first.
    const now = Date.now();
    await waitForIds(
      page,
      routing.failures.filter((f) => Date.parse(f.createdAt) >= now - 24 * HOUR).map((f) => f.id),
    );
    await page.goBack();
    await page.getByTestId('fleet-complete').waitFor();
    // The newest failure's reason opens that very job.
    const newest = routing.failures[0]!;
    await row(page, routing)
      .getByRole('link', { name: /^Newest failure/ })
      .click();
    await page.waitForURL(new RegExp(`/exports/${newest.id}$`));
  });

  it('keeps window, filters and sort in the URL, and restores them from it', async () => {
    const clusters = await simClusters();
    const org = (await world(suite.stack.sim.url)).orgs.find((o) => o.name === 'Initech-Logistics')!;
    const page = await openFleet(`/?window=7d&org=${org.id}&show=failing&sort=-failures`);
    const now = Date.now();
    await expect(page.getByRole('button', { name: '7d', exact: true }).getAttribute('aria-pressed')).resolves.toBe(
      'true',
    );
    await expect(page.getByRole('checkbox', { name: 'Failures only' }).isChecked()).resolves.toBe(true);
    await expect(page.getByRole('combobox', { name: 'Organization' }).inputValue()).resolves.toBe(org.id);
    const shown = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-cluster')));
    const expected = clusters
      .filter((c) => c.orgId === org.id && readable(c) && failuresWithin(c, 24 * 7, now) > 0)
      .sort((a, b) => failuresWithin(b, 168, now) - failuresWithin(a, 168, now) || a.name.localeCompare(b.name));
    expect(shown).toEqual(expected.map((c) => c.name));
    // Changing the window keeps the rest; the browser's back button returns to the bookmarked view.
    await page.getByRole('button', { name: '30d', exact: true }).click();
    await page.waitForURL(/window=30d/);
    expect(searchOf(page)).toEqual({ window: '30d', org: org.id, show: 'failing', sort: '-failures' });
    await page.getByRole('checkbox', { name: 'Failures only' }).uncheck();
    await page.waitForURL((url) => !url.searchParams.has('show'));
    await page.goBack();
    await page.waitForURL(/show=failing/);
    await page.goBack();
    await page.waitForURL(/window=7d/);
    await expect(page.getByRole('button', { name: '7d', exact: true }).getAttribute('aria-pressed')).resolves.toBe(
      'true',
    );
    // A tile is a filter too.
    await page.goto(`${suite.stack.url}/`);
    await page.getByTestId('fleet-complete').waitFor();
    await page.getByRole('button', { name: /^Stale/ }).click();
    await page.waitForURL(/show=stale/);
  });

  it('on a phone each row is a card, failures and their reason first, with no sideways scrolling', async () => {
    const clusters = await simClusters();
    const routing = clusters.find((c) => c.name === 'routing-prod')!;
    const page = await suite.open('/', { viewport: { width: 375, height: 812 } });
    await page.getByTestId('fleet-complete').waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    const card = row(page, routing);
    const box = await card.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(375);
    // Under the name: the failures, then the newest one's reason, above the last success.
    const y = async (testId: string) => (await card.getByTestId(testId).boundingBox())!.y;
    const reason = (await card.getByRole('link', { name: /^Newest failure/ }).boundingBox())!.y;
    expect(await y('failures')).toBeLessThan(reason);
    expect(reason).toBeLessThan(await y('last-success'));
    await expect(card.getByRole('link', { name: /^Newest failure/ }).isVisible()).resolves.toBe(true);
  });
});
