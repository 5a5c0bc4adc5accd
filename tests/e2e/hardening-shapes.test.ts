/**
 * Issue 7: a wrong-shape Atlas answer, a hand-edited URL and a 503 with Retry-After, each met inside the app: the
 * header, the breadcrumbs and a way to retry stay; nothing falls back to a bare error page or raw server text.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { exportsPath, ids, simExports, waitForIds } from './helpers.ts';
import { useBrowserSuite } from './suite.ts';

const LIST = 'listGroupClusterBackupExports';
const suite = useBrowserSuite(
  { seed: 42, speed: 0 },
  { allowHttpErrors: true, afterEachTest: (stack) => stack.simDelete('/__sim/faults') },
);

async function simRequests(operationId: string): Promise<number> {
  const stats = (await (await fetch(`${suite.stack.sim.url}/__sim/stats`)).json()) as {
    requests: { byOperation: Record<string, number> };
  };
  return stats.requests.byOperation[operationId] ?? 0;
}

/** The app's frame: header with the home link, and (on project pages) the breadcrumbs. */
async function expectAppFrame(page: Page, breadcrumbs = true): Promise<void> {
  const banner = page.getByRole('banner');
  await expect(banner.getByRole('link', { name: 'Atlas export jobs' }).isVisible()).resolves.toBe(true);
  if (breadcrumbs) await expect(page.getByRole('navigation', { name: 'Breadcrumb' }).isVisible()).resolves.toBe(true);
  await expect(page.getByText('Something went wrong!').count()).resolves.toBe(0);
}

describe('an Atlas answer of the wrong shape', () => {
  it('results not a list: the error panel names the field, inside the app, with a retry', async () => {
    await suite.stack.simPost('/__sim/faults', { match: LIST, body: { results: 'oops' } });
    const { groupId, name } = suite.stack.world.bigCluster;
    const page = await suite.open(exportsPath(groupId, name));
    const panel = page.getByRole('alert');
    await panel.getByRole('heading', { name: /Atlas answered something the dashboard does not understand/ }).waitFor();
    await expect(panel.getByText('results', { exact: false }).first().isVisible()).resolves.toBe(true);
    await expect(panel.getByRole('button', { name: 'Try again' }).isVisible()).resolves.toBe(true);
    await expectAppFrame(page);
    // Atlas heals: the retry button brings the rows.
    await suite.stack.simDelete('/__sim/faults');
    await panel.getByRole('button', { name: 'Try again' }).click();
    await waitForIds(page, ids((await simExports(suite.stack, groupId, name, 1, 50)).results));
  });

  it('customData not a list after rows were shown: the last good rows stay, marked stale', async () => {
    const { groupId, name } = suite.stack.world.bigCluster;
    const data = await simExports(suite.stack, groupId, name, 1, 50);
    const page = await suite.open(exportsPath(groupId, name));
    await waitForIds(page, ids(data.results));
    const bad = { ...data, results: data.results.map((j, i) => (i === 3 ? { ...j, customData: 'team=ops' } : j)) };
    await suite.stack.simPost('/__sim/faults', { match: LIST, body: bad });
    await page.getByRole('button', { name: 'Refresh now' }).click();
    const banner = page.getByRole('alert').filter({ hasText: 'marked stale' });
    await banner.waitFor();
    await expect(banner.getByText(/does not understand/).isVisible()).resolves.toBe(true);
    await expect(banner.getByText(/results\[3\]\.customData/).isVisible()).resolves.toBe(true);
    await waitForIds(page, ids(data.results));
    await expectAppFrame(page);
  });

  it('a job whose exportStatus is a string: the details page explains it inside the app', async () => {
    const { groupId, name } = suite.stack.world.bigCluster;
    const job = (await simExports(suite.stack, groupId, name, 1, 10)).results[0]!;
    await suite.stack.simPost('/__sim/faults', {
      match: 'getGroupClusterBackupExport',
      body: { ...job, exportStatus: 'half done' },
    });
    const page = await suite.open(`${exportsPath(groupId, name)}/${job.id}`);
    const panel = page.getByRole('alert');
    await panel.getByRole('heading', { name: /does not understand/ }).waitFor();
    await expect(panel.getByText('exportStatus', { exact: false }).first().isVisible()).resolves.toBe(true);
    await expect(panel.getByRole('button', { name: 'Try again' }).isVisible()).resolves.toBe(true);
    await expectAppFrame(page);
  });

  it('the projects list of the wrong shape: explained inside the app, with a retry', async () => {
    await suite.stack.simPost('/__sim/faults', { match: 'listGroups', body: { results: [{ name: 42 }] } });
    const page = await suite.open('/projects');
    const panel = page.getByRole('alert');
    await panel.getByRole('heading', { name: /does not understand/ }).waitFor();
    await expect(panel.getByRole('button', { name: 'Try again' }).isVisible()).resolves.toBe(true);
    await expectAppFrame(page, false);
  });
});

describe('hand-edited addresses', () => {
  it.each([
    ['a cluster name with a dot', (g: string) => exportsPath(g, 'bad.name'), /cluster name/i],
    ['an encoded slash in the cluster name', (g: string) => exportsPath(g, 'a%2Fb'), /cluster name/i],
    ['a cluster name over 64 characters', (g: string) => exportsPath(g, 'c'.repeat(65)), /cluster name/i],
    ['a project id that is not 24 hex digits', () => '/projects/not-a-project', /project id/i],
    ['an export id that is not 24 hex digits', (g: string) => `${exportsPath(g, 'Cluster0')}/xyz`, /export id/i],
  ])('%s shows the app with a clear message', async (_what, path, message) => {
    const page = await suite.open(path(suite.stack.world.bigCluster.groupId));
    const panel = page.getByRole('alert');
    await panel.getByRole('heading', { name: 'This address is not valid' }).waitFor();
    await expect(panel.getByText(message).first().isVisible()).resolves.toBe(true);
    await expect(panel.getByRole('link', { name: /projects/i }).isVisible()).resolves.toBe(true);
    await expectAppFrame(page, false);
  });
});

describe('503 with Retry-After', () => {
  it('pauses polling until Retry-After has passed, as after a 429', async () => {
    const { groupId, name } = suite.stack.world.bigCluster;
    const data = await simExports(suite.stack, groupId, name, 1, 50);
    const page = await suite.open(exportsPath(groupId, name));
    await waitForIds(page, ids(data.results));
    await page.waitForLoadState('networkidle');
    await suite.stack.simPost('/__sim/faults', { match: LIST, status: 503, retryAfter: 6 });
    // Every list request and answer, by URL: the table's page and the whole-history loader's pages each keep
    // their own cadence, so the rule is per URL: after a 503 with Retry-After, that URL is not asked again
    // before Retry-After has passed (no query retry, no poll, no prefetch).
    const log: Array<{ url: string; at: number; status?: number; retryAfterS?: number }> = [];
    page.on('request', (r) => {
      if (r.url().includes('/backup/exports?')) log.push({ url: r.url(), at: Date.now() });
    });
    page.on('response', (r) => {
      if (!r.url().includes('/backup/exports?')) return;
      log.push({ url: r.url(), at: Date.now(), status: r.status(), retryAfterS: Number(r.headers()['retry-after']) });
    });
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await page.getByText(/Atlas unavailable: refresh resumes in [1-6] s/).waitFor();
    await expect(page.getByText('Atlas is temporarily unavailable').first().isVisible()).resolves.toBe(true);
    expect(await page.getByRole('button', { name: 'Refresh now' }).isDisabled()).toBe(true);
    await page.waitForTimeout(4_000);
    const answered503 = log.filter((e) => e.status === 503);
    expect(answered503.length).toBeGreaterThan(0);
    expect(answered503.every((e) => (e.retryAfterS ?? 0) >= 1)).toBe(true);
    const before = await simRequests(LIST);
    await waitForIds(page, ids(data.results));
    await suite.stack.simDelete('/__sim/faults');
    await page.getByText(/refresh resumes in/).waitFor({ state: 'detached', timeout: 10_000 });
    await page.getByRole('alert').filter({ hasText: 'marked stale' }).waitFor({ state: 'detached', timeout: 10_000 });
    // Now that polling has resumed, each URL answered 503 has been asked again: never before its Retry-After.
    const all503 = log.filter((e) => e.status === 503);
    const reasked = log.flatMap((asked) => {
      if (asked.status !== undefined) return [];
      const last503 = all503.filter((e) => e.url === asked.url && e.at <= asked.at).at(-1);
      return last503
        ? [{ url: asked.url, waitedMs: asked.at - last503.at, retryAfterMs: last503.retryAfterS! * 1000 }]
        : [];
    });
    expect(reasked.length).toBeGreaterThan(0);
    for (const r of reasked) expect(r.waitedMs, r.url).toBeGreaterThanOrEqual(r.retryAfterMs - 250);
    expect(await simRequests(LIST)).toBeGreaterThan(before);
  });
});
