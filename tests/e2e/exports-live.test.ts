import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ExportJob } from '../../src/atlas/types.ts';
import { simExports, eventually, exportsPath, ids, waitForIds } from './helpers.ts';
import { useBrowserSuite } from './suite.ts';

const suite = useBrowserSuite({ seed: 7, speed: 0 });
const open = (path: string) => suite.open(path);

function rowOf(page: Page, id: string) {
  return page.getByRole('row').filter({ has: page.getByRole('link', { name: `Export ${id}` }) });
}

/** Moves the simulator's clock until the job's exported count grows; returns the job as Atlas now reports it. */
async function advanceUntilProgress(job: ExportJob, groupId: string, cluster: string): Promise<ExportJob> {
  const before = job.exportStatus?.exportedCollections ?? 0;
  for (let i = 0; i < 40; i++) {
    await suite.stack.simPost('/__sim/clock', { advanceMs: 15_000 });
    const now = (await simExports(suite.stack, groupId, cluster, 1, 50)).results.find((j) => j.id === job.id);
    if ((now?.exportStatus?.exportedCollections ?? 0) > before) return now!;
  }
  throw new Error(`job ${job.id} did not progress`);
}

describe('live refresh', () => {
  it('advances a running job’s progress bar on its own as the simulated clock moves', async () => {
    const { groupId, name } = suite.stack.world.bigCluster;
    const data = await simExports(suite.stack, groupId, name, 1, 50);
    const running = data.results.find((j) => j.state === 'InProgress' && (j.exportStatus?.totalCollections ?? 0) > 0);
    expect(running, 'seeded world has a running job on page 1').toBeDefined();
    const page = await open(exportsPath(groupId, name));
    await waitForIds(page, ids(data.results));
    const bar = rowOf(page, running!.id!).getByRole('progressbar');
    expect(await bar.getAttribute('aria-valuenow')).toBe(String(running!.exportStatus!.exportedCollections));
    await page.getByText('Auto-refresh every 5 s').waitFor();

    const later = await advanceUntilProgress(running!, groupId, name);
    // No click: the 5 s poll (a job is active) must pick the change up.
    const shown = await eventually(
      () => bar.getAttribute('aria-valuenow'),
      (v) => v === String(later.exportStatus?.exportedCollections),
      12_000,
      'progress to advance',
    );
    expect(Number(shown)).toBeGreaterThan(running!.exportStatus!.exportedCollections ?? 0);
  });

  it('does not touch the table when a refresh brings nothing new', async () => {
    const { groupId, name } = suite.stack.world.bigCluster;
    // A page far back in time: every job there is finished, so nothing ticks.
    const data = await simExports(suite.stack, groupId, name, 5, 25);
    expect(data.results.every((j) => j.state !== 'Queued' && j.state !== 'InProgress')).toBe(true);
    const page = await open(exportsPath(groupId, name, '?page=5&perPage=25'));
    await waitForIds(page, ids(data.results));
    // Bucket names and snapshot dates arrive after the rows and fill their cells once; let that settle first.
    await page.waitForLoadState('networkidle');
    await page.evaluate(() => {
      const w = window as unknown as { __mutations: number; __statusWrites: number };
      w.__mutations = 0;
      w.__statusWrites = 0;
      // The same kind of observer on the refresh status proves the refresh did reach the screen.
      new MutationObserver((records) => (w.__statusWrites += records.length)).observe(
        document.querySelector('[data-testid="refresh-status"]')!,
        { subtree: true, childList: true, characterData: true },
      );
      new MutationObserver((records) => {
        // <time> elements re-word themselves as minutes pass; that is not the refresh.
        w.__mutations += records.filter(
          (r) => !(r.target.parentElement?.closest('time') || r.target instanceof HTMLTimeElement),
        ).length;
      }).observe(document.querySelector('tbody')!, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
    });
    const requests: string[] = [];
    page.on('requestfinished', (r) => {
      if (r.url().includes('/backup/exports?')) requests.push(r.url());
    });
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await eventually(
      async () => requests.length,
      (n) => n >= 1,
      5_000,
      'the refresh request',
    );
    // The rows here are all finished, but the state chips count every job of the cluster, running ones on page 1
    // included: the one read behind rows and counts refreshes every 5 s, and each of those must leave these rows be.
    await page.getByText('Auto-refresh every 5 s').waitFor();
    const writes = await page.evaluate(() => {
      const w = window as unknown as { __mutations: number; __statusWrites: number };
      return { table: w.__mutations, status: w.__statusWrites };
    });
    expect(writes.status).toBeGreaterThan(0);
    expect(writes.table).toBe(0);
  });

  it('pauses and resumes polling', async () => {
    const { groupId, name } = suite.stack.world.bigCluster;
    const data = await simExports(suite.stack, groupId, name, 1, 50);
    const page = await open(exportsPath(groupId, name));
    await waitForIds(page, ids(data.results));
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByText('Auto-refresh paused').waitFor();
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/backup/exports?pageNum=1&')) requests.push(r.url());
    });
    await page.waitForTimeout(6_500);
    expect(requests).toEqual([]);
    await page.getByRole('button', { name: 'Resume' }).click();
    await eventually(
      async () => requests.length,
      (n) => n >= 1,
      8_000,
      'polling to resume',
    );
  });
});
