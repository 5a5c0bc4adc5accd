/**
 * The fleet while things change, with no reload: the simulator's clock is moved (never waited on) and the watch
 * runs at test speed (active clusters every second, the rest and discovery every 3 s). A job that fails, a
 * cluster created and one deleted, a 429 with Retry-After (counted at the simulator), Atlas failing and back.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { world, type SimCluster } from '../support/sim-client.ts';
import { fleetWatchEnv } from './stack.ts';
import { useBrowserSuite } from './suite.ts';

const suite = useBrowserSuite(
  { seed: 42, speed: 0, env: fleetWatchEnv },
  { allowHttpErrors: true, afterEachTest: (stack) => stack.simDelete('/__sim/faults') },
);
const ACTIVE_MS = Number(fleetWatchEnv.WATCH_ACTIVE_INTERVAL_MS);
const DISCOVERY_MS = Number(fleetWatchEnv.WATCH_DISCOVERY_INTERVAL_MS);
const IDLE_MS = Number(fleetWatchEnv.WATCH_IDLE_INTERVAL_MS);
/** The page polls every second at this cadence; a check's answer may take as long again on a loaded machine. */
const SLACK_MS = 2_500;

async function openFleet(): Promise<Page> {
  const page = await suite.open('/');
  await page.getByTestId('fleet-complete').waitFor({ timeout: 30_000 });
  return page;
}
const row = (page: Page, c: { groupId: string; name: string }) =>
  page.locator(`tr[data-group="${c.groupId}"][data-cluster="${c.name}"]`);
const cluster = async (name: string): Promise<SimCluster> =>
  (await world(suite.stack.sim.url)).clusters.find((c) => c.name === name)!;
const byProject = async (groupId: string): Promise<number> => {
  const s = (await (await fetch(`${suite.stack.sim.url}/__sim/stats`)).json()) as {
    requests: { byProject: Record<string, { total: number }> };
  };
  return s.requests.byProject[groupId]?.total ?? 0;
};

describe('the fleet follows the simulator through the watch, without a reload', () => {
  it('a job that fails shows within one active interval', async () => {
    const c = await cluster('tracking-db');
    const page = await openFleet();
    const failures = async () => Number(await row(page, c).getByTestId('failures').textContent());
    const before = await failures();
    await suite.stack.simPost('/__sim/jobs', { groupId: c.groupId, clusterName: c.name, outcome: 'Failed' });
    // Queued/running now: the cluster is active, so the watch comes back every second.
    await row(page, c)
      .getByTestId('running')
      .waitFor({ timeout: IDLE_MS + SLACK_MS });
    await suite.stack.simPost('/__sim/clock', { advanceMs: 5 * 60_000 });
    const moved = Date.now();
    await page.waitForFunction(
      ({ sel, n }) => Number(document.querySelector(sel)?.textContent) === n,
      { sel: `tr[data-cluster="${c.name}"] [data-testid="failures"]`, n: before + 1 },
      { timeout: ACTIVE_MS + SLACK_MS },
    );
    expect(Date.now() - moved).toBeLessThan(ACTIVE_MS + SLACK_MS);
    const sim = await cluster('tracking-db');
    await expect(
      row(page, c)
        .getByRole('link', { name: /^Newest failure/ })
        .getAttribute('href'),
    ).resolves.toContain(sim.failures[0]!.id);
  });

  it('a new cluster appears and a deleted one disappears within one discovery interval', async () => {
    const c = await cluster('tracking-db');
    const page = await openFleet();
    await suite.stack.simPost('/__sim/clusters', { groupId: c.groupId, name: 'brand-new-db' });
    let at = Date.now();
    await row(page, { groupId: c.groupId, name: 'brand-new-db' }).waitFor({ timeout: DISCOVERY_MS + SLACK_MS });
    expect(Date.now() - at).toBeLessThan(DISCOVERY_MS + SLACK_MS);
    await suite.stack.simDelete(`/__sim/clusters/${c.groupId}/brand-new-db`);
    at = Date.now();
    await row(page, { groupId: c.groupId, name: 'brand-new-db' }).waitFor({
      state: 'detached',
      timeout: DISCOVERY_MS + SLACK_MS,
    });
    expect(Date.now() - at).toBeLessThan(DISCOVERY_MS + SLACK_MS);
  });

  it('after a 429 with Retry-After the watch leaves that project alone until it has passed (counted at the simulator)', async () => {
    const c = await cluster('pager-rs');
    await openFleet();
    await suite.stack.simPost('/__sim/faults', {
      match: `/groups/${c.groupId}/clusters/${c.name}/backup/exports`,
      status: 429,
      retryAfter: 4,
      times: 1,
    });
    // pager-rs runs jobs: the watch asks within a second and meets the 429.
    const faults = async () =>
      ((await (await fetch(`${suite.stack.sim.url}/__sim/faults`)).json()) as { faults: unknown[] }).faults.length;
    const deadline = Date.now() + 5_000;
    while ((await faults()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(await faults()).toBe(0);
    const hit = Date.now();
    // A call to the project's other clusters already on its way when the 429 came back may still land: counted
    // from half a second on, the project then gets nothing until its Retry-After (4 s) has passed.
    await new Promise((r) => setTimeout(r, 500));
    const during = await byProject(c.groupId);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await byProject(c.groupId)).toBe(during);
    // Then the project is read again.
    const resumed = Date.now() + 6_000;
    while ((await byProject(c.groupId)) === during && Date.now() < resumed)
      await new Promise((r) => setTimeout(r, 100));
    expect(await byProject(c.groupId)).toBeGreaterThan(during);
    expect(Date.now() - hit).toBeGreaterThanOrEqual(3_900);
  });

  it('with every export call failing, the banner and stale marks appear within one interval and go when Atlas recovers', async () => {
    const page = await openFleet();
    // The previous test's 429 shows until its Retry-After has passed.
    await page.getByTestId('atlas-banner').waitFor({ state: 'detached', timeout: IDLE_MS + SLACK_MS });
    await suite.stack.simPost('/__sim/faults', { match: 'listGroupClusterBackupExports', status: 503 });
    const at = Date.now();
    const banner = page.getByTestId('atlas-banner');
    await banner.waitFor({ timeout: IDLE_MS + SLACK_MS });
    expect(Date.now() - at).toBeLessThan(IDLE_MS + SLACK_MS);
    await expect(banner.textContent()).resolves.toMatch(/Atlas is failing \(503\) since/);
    await page.locator('tr[data-outdated="true"]').first().waitFor();
    const outdated = await page.locator('tr[data-outdated="true"]').count();
    expect(outdated).toBeGreaterThan(30);
    // "All checked" no longer reads as "all is well": the rows say their figures are stale.
    await expect(
      page.locator('tr[data-outdated="true"] [data-testid="checked"]').first().textContent(),
    ).resolves.toContain('stale data');
    await suite.stack.simDelete('/__sim/faults');
    await banner.waitFor({ state: 'detached', timeout: IDLE_MS + SLACK_MS });
    await page.waitForFunction(() => document.querySelectorAll('tr[data-outdated="true"]').length === 0, undefined, {
      timeout: 2 * IDLE_MS + SLACK_MS,
    });
  });

  it('shows how far the watch is while clusters are still unchecked, with the rows it has', async () => {
    const c = await cluster('tracking-db');
    const page = await openFleet();
    // Three new clusters whose first check Atlas answers slowly: the watch is on a pass again until they are read.
    for (const name of ['slow-a', 'slow-b', 'slow-c']) {
      await suite.stack.simPost('/__sim/faults', { match: `/clusters/${name}/backup/exports`, latencyMs: 4_000 });
      await suite.stack.simPost('/__sim/clusters', { groupId: c.groupId, name });
    }
    const progress = page.getByTestId('fleet-progress');
    await progress.waitFor({ timeout: DISCOVERY_MS + SLACK_MS });
    await expect(progress.textContent()).resolves.toMatch(/Checking new clusters: \d+ of \d+ clusters checked/);
    // The rows it has stay on screen meanwhile, and the new ones say they are not checked yet.
    await expect(row(page, c).getByTestId('total').count()).resolves.toBe(1);
    await expect(row(page, { groupId: c.groupId, name: 'slow-a' }).getAttribute('data-loading')).resolves.toBe('true');
    await page.getByTestId('fleet-complete').waitFor({ timeout: 4_000 + IDLE_MS + SLACK_MS });
    for (const name of ['slow-a', 'slow-b', 'slow-c'])
      await suite.stack.simDelete(`/__sim/clusters/${c.groupId}/${name}`);
  });
});
