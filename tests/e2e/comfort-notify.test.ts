/**
 * "Tell me when this job finishes": a watched job keeps being polled in a hidden tab (slowly), nothing else
 * polls there, and its end raises a desktop notification. Chromium's Notification permission is granted by the
 * test; an init script wraps window.Notification to record what the page shows. Headless Chromium keeps every
 * tab visible, so the test hides the page through the Page Visibility API the app listens to.
 */
import type { Page } from 'playwright-core';
import type { ExportJob } from '../../src/atlas/types.ts';
import { describe, expect, it } from 'vitest';
import { eventually, exportsPath, ids, simExports, simGet, waitForIds } from './helpers.ts';
import { useBrowserSuite } from './suite.ts';

// The full Chromium: the headless shell has no desktop notifications (their permission stays "denied").
const suite = useBrowserSuite({ seed: 7, speed: 0 }, { fullChromium: true });

async function instrument(page: Page, origin: string): Promise<void> {
  await page.context().grantPermissions(['notifications'], { origin });
  await page.addInitScript(() => {
    const w = window as unknown as { __shown: Array<{ title: string; body?: string }>; __setHidden(h: boolean): void };
    w.__shown = [];
    const Real = window.Notification;
    class Recorded extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        w.__shown.push({ title, body: options?.body });
      }
      static override get permission() {
        return Real.permission;
      }
      static override requestPermission = () => Real.requestPermission();
    }
    window.Notification = Recorded;
    let hidden = false;
    Object.defineProperty(Document.prototype, 'visibilityState', { get: () => (hidden ? 'hidden' : 'visible') });
    Object.defineProperty(Document.prototype, 'hidden', { get: () => hidden });
    w.__setHidden = (h) => {
      hidden = h;
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    };
  });
}

describe('watching a job', () => {
  it('notifies from a hidden tab when the watched job ends, polling only that job meanwhile', async () => {
    const { groupId, name } = suite.stack.world.bigCluster;
    const jobs = (await simExports(suite.stack, groupId, name, 1, 50)).results;
    const running = jobs.find((j) => j.state === 'InProgress')!;
    const page = await suite.open(exportsPath(groupId, name, `/${running.id}`), {
      beforeGoto: (p) => instrument(p, suite.stack.url),
    });
    await page.getByRole('button', { name: 'Notify me when it ends' }).click();
    await page.getByRole('button', { name: 'Watching: notify when it ends' }).waitFor();
    // Back on the table (which polls every 5 s while visible), then the tab goes to the background.
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Exports' }).click();
    await waitForIds(page, ids(jobs));
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname + new URL(r.url()).search));
    await page.evaluate(() => (window as unknown as { __setHidden(h: boolean): void }).__setHidden(true));
    const hiddenAt = Date.now();
    // Longer than the table's 5 s cadence: a visible table would have polled by now.
    await page.waitForTimeout(7_000);
    expect(requests.filter((r) => r.includes('/backup/exports?'))).toEqual([]);
    // Let the job run to its end in the simulated world.
    await suite.stack.simPost('/__sim/clock', { advanceMs: 12 * 3_600_000 });
    const ended = await simGet<ExportJob>(
      suite.stack,
      `/groups/${groupId}/clusters/${name}/backup/exports/${running.id}`,
    );
    expect(['Successful', 'Failed', 'Cancelled']).toContain(ended?.state);

    const shown = await eventually(
      () => page.evaluate(() => (window as unknown as { __shown: Array<{ title: string }> }).__shown),
      (s) => s.length > 0,
      25_000,
      'a notification',
    );
    console.log(`notification after ${Date.now() - hiddenAt} ms hidden: ${JSON.stringify(shown)}`);
    expect(shown[0]?.title).toMatch(new RegExp(`^Export …${running.id!.slice(-8)} (finished|failed|cancelled)$`));
    // While hidden, only the watched job was fetched: the table's own 5 s poll stood still.
    expect(requests.filter((r) => r.includes('/backup/exports?'))).toEqual([]);
    expect(requests.filter((r) => r.endsWith(`/backup/exports/${running.id}`)).length).toBeGreaterThan(0);
  });
});
