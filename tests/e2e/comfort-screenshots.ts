/**
 * `npx tsx tests/e2e/comfort-screenshots.ts`: the exports table on a phone (375 px) and in dark mode at 1440 px,
 * from the built app in demo mode (as `npm start` runs it). Not part of `npm test`.
 * `SHOTS_EXTRA=1` also writes 768 and 2560 px views to /tmp for a look.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { launchChromium, openPage } from '../support/browser.ts';
import { simulatorUrl, startDemoServer } from './stack.ts';

const OUT = 'docs/screenshots';

async function settle(page: Page): Promise<void> {
  await page.getByRole('progressbar').first().waitFor();
  await page.waitForLoadState('networkidle');
  const width = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  console.log(`document ${width[0]} px wide in a ${width[1]} px window`);
}

mkdirSync(OUT, { recursive: true });
const server = await startDemoServer();
const browser = await launchChromium();
try {
  const world = (await (await fetch(`${simulatorUrl(server.output)}/__sim/world`)).json()) as {
    bigCluster: { groupId: string; name: string };
  };
  const path = `/projects/${world.bigCluster.groupId}/clusters/${world.bigCluster.name}/exports`;
  type Shot = { file: string; width: number; height: number; dark: boolean };
  const shots: Shot[] = [
    { file: `${OUT}/exports-375.png`, width: 375, height: 812, dark: false },
    { file: `${OUT}/exports-dark-1440.png`, width: 1440, height: 900, dark: true },
  ];
  if (process.env.SHOTS_EXTRA) {
    shots.push(
      { file: '/tmp/h10/exports-768.png', width: 768, height: 1000, dark: false },
      { file: '/tmp/h10/exports-1100.png', width: 1100, height: 900, dark: false },
      { file: '/tmp/h10/exports-2560.png', width: 2560, height: 1200, dark: false },
      { file: '/tmp/h10/exports-dark-375.png', width: 375, height: 812, dark: true },
    );
  }
  for (const shot of shots) await take(shot);
  if (process.env.SHOTS_EXTRA) {
    const list = (await (
      await fetch(
        `${server.url}/api/atlas/v2/groups/${world.bigCluster.groupId}/clusters/${world.bigCluster.name}/backup/exports`,
      )
    ).json()) as { results: Array<{ id: string; state: string }> };
    const failed = list.results.find((j) => j.state === 'Failed');
    await take({ file: '/tmp/h10/details-375.png', width: 375, height: 1400, dark: true }, `${path}/${failed?.id}`);
  }
  async function take(shot: Shot, at = path): Promise<void> {
    const { page, context } = await openPage(browser, { width: shot.width, height: shot.height });
    await context.addInitScript(
      (theme) => localStorage.setItem('atlas-dashboard.theme', JSON.stringify(theme)),
      shot.dark ? 'dark' : 'light',
    );
    await page.goto(server.url + at);
    await settle(page);
    await page.screenshot({ path: shot.file });
    console.log(`wrote ${shot.file}`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
