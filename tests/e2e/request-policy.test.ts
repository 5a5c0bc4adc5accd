/**
 * The SPA's retry and refetch policies, counted as requests the page sends (the proxy's own retries and cool-down
 * would hide them from the simulator). Each count is exact: one more request is the bug these tests exist for.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { eventually, exportsPath, ids, simExports, waitForIds } from './helpers.ts';
import { useBrowserSuite } from './suite.ts';

const LIST = 'listGroupClusterBackupExports';
// No proxy retries: one browser request is one simulator request, so a `times` fault fails exactly that many.
const suite = useBrowserSuite(
  { seed: 42, speed: 0, env: { PROXY_MAX_RETRIES: '0' } },
  { allowHttpErrors: true, afterEachTest: (stack) => stack.simDelete('/__sim/faults') },
);

/**
 * The table's own request (page 1 of 50). The whole-history loader reads the same list 500 at a time beside it;
 * faults and counts aim at the table's page size so the history's calls neither consume nor inflate them.
 */
const TABLE_PAGE = 'pageNum=1&itemsPerPage=50&';
/** The same page as the proxy asks Atlas for it (query names sorted). */
const TABLE_PAGE_UPSTREAM = 'itemsPerPage=50&pageNum=1';

/** Opens the first page of the big cluster's jobs and records every request the page sends for that table page. */
async function openCounting(): Promise<{ page: Page; sent: number[] }> {
  const { groupId, name } = suite.stack.world.bigCluster;
  const sent: number[] = [];
  // A page of the server that is not the app, so the listener is in place before the app's first request.
  const page = await suite.open('/healthz');
  // The table's own list (50 a page); the whole-history loader that starts once it has rows asks for 500 a page.
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
