/**
 * `npx tsx tests/e2e/screenshot-fleet.ts`: the README's fleet picture, from the built app in demo mode (as
 * `npm start` runs it), 1440x900, once every row has its figures. Not part of `npm test`.
 */
import { mkdirSync } from 'node:fs';
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
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: `${OUT}/fleet.png` });
  console.log(`wrote ${OUT}/fleet.png`);
} finally {
  await browser.close();
  await server.close();
}
