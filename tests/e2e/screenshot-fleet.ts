/**
 * `npx tsx tests/e2e/screenshot-fleet.ts`: the README's fleet pictures, from the built app in demo mode (as
 * `npm start` runs it), at 1440x900 and on a 375 px phone, once the watch has checked every cluster and read
 * the schedules. Not part of `npm test`.
 */
import { mkdirSync } from 'node:fs';
import type { FleetSnapshot } from '../../src/export-health/index.ts';
import { launchChromium, openPage } from '../support/browser.ts';
import { startDemoServer } from './stack.ts';

const OUT = 'docs/screenshots';

mkdirSync(OUT, { recursive: true });
const server = await startDemoServer();
const browser = await launchChromium();
try {
  const { page } = await openPage(browser);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`${server.url}/`);
  await page.getByTestId('fleet-complete').waitFor({ timeout: 60_000 });
  // Schedules are read after every cluster's jobs, within each project's budget: wait until the watch has them.
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; await page.waitForTimeout(1_000)) {
    const f = (await (await fetch(`${server.url}/api/fleet`)).json()) as FleetSnapshot;
    if (f.clusters.every((c) => !c.backupEnabled || !c.jobs || c.schedule || c.error)) break;
  }
  await page.waitForTimeout(6_000);
  await page.screenshot({ path: `${OUT}/fleet.png` });
  console.log(`wrote ${OUT}/fleet.png`);
  await page.setViewportSize({ width: 375, height: 812 });
  await page.waitForTimeout(500);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  await page.screenshot({ path: `${OUT}/fleet-phone.png`, fullPage: false });
  console.log(`wrote ${OUT}/fleet-phone.png (page ${width} px wide at 375)`);
} finally {
  await browser.close();
  await server.close();
}
