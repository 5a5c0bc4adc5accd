import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { simExports, eventually, exportsPath, ids, waitForIds } from './helpers.ts';
import { useBrowserSuite } from './suite.ts';

const LIST = 'listGroupClusterBackupExports';
const suite = useBrowserSuite(
  { seed: 42, speed: 0 },
  {
    allowHttpErrors: true,
    afterEachTest: (stack) => stack.simDelete('/__sim/faults'),
  },
);
const open = (path: string) => suite.open(path);

async function exportListRequests(): Promise<number> {
  const stats = (await (await fetch(`${suite.stack.sim.url}/__sim/stats`)).json()) as {
    requests: { byOperation: Record<string, number> };
  };
  return stats.requests.byOperation[LIST] ?? 0;
}

describe('what users see when things go wrong', () => {
  it('401 from Atlas: explains the server credentials', async () => {
    await suite.stack.simPost('/__sim/faults', { match: LIST, status: 401 });
    const { groupId, name } = suite.stack.world.bigCluster;
    const page = await open(exportsPath(groupId, name));
    await page.getByRole('heading', { name: 'Atlas did not accept the dashboard’s credentials' }).waitFor();
    await expect(page.getByText('MONGODB_ATLAS_CLIENT_ID', { exact: false }).isVisible()).resolves.toBe(true);
  });

  it('403: names the role that is missing', async () => {
    await suite.stack.simPost('/__sim/faults', { match: LIST, status: 403 });
    const { groupId, name } = suite.stack.world.bigCluster;
    const page = await open(exportsPath(groupId, name));
    await page.getByRole('heading', { name: 'Not allowed to view export jobs here' }).waitFor();
    await expect(page.getByText('Project Backup Manager', { exact: false }).isVisible()).resolves.toBe(true);
  });

  it('404: a cluster that does not exist', async () => {
    const { groupId } = suite.stack.world.bigCluster;
    const page = await open(exportsPath(groupId, 'no-such-cluster'));
    await page.getByRole('heading', { name: 'Project or cluster not found' }).waitFor();
    await expect(page.getByRole('link', { name: 'Choose another project' }).isVisible()).resolves.toBe(true);
  });

  it('429: keeps the rows, says when it retries, and sends nothing until Retry-After has passed', async () => {
    const { groupId, name } = suite.stack.world.bigCluster;
    const data = await simExports(suite.stack, groupId, name, 1, 50);
    const page = await open(exportsPath(groupId, name));
    await waitForIds(page, ids(data.results));
    await page.waitForLoadState('networkidle');
    await suite.stack.simPost('/__sim/faults', { match: LIST, status: 429, retryAfter: 4 });
    const before = await exportListRequests();
    // Counted in the browser: the proxy's own cool-down would hide extra requests from the simulator.
    const sent: number[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/backup/exports?')) sent.push(Date.now());
    });
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await page
      .getByText(/Atlas is rate limiting requests/)
      .first()
      .waitFor();
    await page.getByText(/Rate limited: refresh resumes in [1-4] s/).waitFor();
    expect(await page.getByRole('button', { name: 'Refresh now' }).isDisabled()).toBe(true);
    expect(await idsOnScreenCount(page)).toBe(data.results.length);
    await page.waitForTimeout(2_000);
    // One request met the 429; none followed inside the 4 s window (no retry, no poll, no prefetch). Judged by
    // when each request left the browser, so a slow machine that reaches this line after the window still passes.
    const first = sent[0]!;
    expect(sent.filter((t) => t - first < 3_500)).toHaveLength(1);
    // Every request the browser sent reached Atlas once: the proxy neither retried the 429 nor added calls.
    expect((await exportListRequests()) - before).toBe(sent.length);
    await suite.stack.simDelete('/__sim/faults');
    await page
      .getByText(/Atlas is rate limiting requests/)
      .first()
      .waitFor({ state: 'detached', timeout: 10_000 });
    expect(await exportListRequests()).toBeGreaterThan(before + 1);
  });

  it('5xx after data was shown: the last good rows stay, marked stale, until Atlas recovers', async () => {
    const { groupId, name } = suite.stack.world.bigCluster;
    const data = await simExports(suite.stack, groupId, name, 1, 50);
    const page = await open(exportsPath(groupId, name));
    await waitForIds(page, ids(data.results));
    await suite.stack.simPost('/__sim/faults', { match: LIST, status: 500 });
    await page.getByRole('button', { name: 'Refresh now' }).click();
    const banner = page.getByRole('alert').filter({ hasText: 'marked stale' });
    await banner.waitFor();
    await expect(banner.getByText('Atlas is having trouble', { exact: false }).isVisible()).resolves.toBe(true);
    expect(await idsOnScreenCount(page)).toBe(data.results.length);
    await suite.stack.simDelete('/__sim/faults');
    await banner.waitFor({ state: 'detached', timeout: 20_000 });
  });

  it('network failure before any data: says it is retrying, then shows the rows', async () => {
    const { groupId, name } = suite.stack.world.bigCluster;
    const data = await simExports(suite.stack, groupId, name, 1, 25);
    await suite.stack.simPost('/__sim/faults', { match: LIST, kind: 'reset' });
    const page = await open(exportsPath(groupId, name, '?perPage=25'));
    const panel = page.getByRole('alert');
    await panel.getByText('Retrying automatically', { exact: false }).waitFor();
    await suite.stack.simDelete('/__sim/faults');
    await waitForIds(page, ids(data.results), 20_000);
  });
});

async function idsOnScreenCount(page: Page): Promise<number> {
  return eventually(
    () => page.getByRole('link', { name: /^Export [a-f0-9]{24}$/ }).count(),
    () => true,
    1000,
  );
}
