/**
 * `npx tsx tests/e2e/screenshots.ts`: the README's pictures, from the built app in demo mode (as `npm start`
 * runs it), 1440x900. Not part of `npm test`. The 403 comes from the demo simulator's own /__sim/faults.
 */
import { mkdirSync } from 'node:fs';
import type { ExportJobPage } from '../../src/atlas/types.ts';
import { launchChromium, openPage } from '../support/browser.ts';
import { simulatorUrl, startDemoServer } from './stack.ts';

const OUT = 'docs/screenshots';

mkdirSync(OUT, { recursive: true });
const server = await startDemoServer();
const browser = await launchChromium();
try {
  const sim = simulatorUrl(server.output);
  const world = (await (await fetch(`${sim}/__sim/world`)).json()) as { bigCluster: { groupId: string; name: string } };
  const { groupId, name } = world.bigCluster;
  const base = `${server.url}/projects/${groupId}/clusters/${name}/exports`;
  const { page } = await openPage(browser);

  await page.goto(base);
  await page.getByRole('progressbar').first().waitFor();
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: `${OUT}/exports-table.png` });

  await page.goto(`${base}?state=Failed&since=7d`);
  await page.getByTestId('history-summary').getByText('all pages loaded', { exact: false }).waitFor();
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: `${OUT}/exports-filtered.png` });

  const list = (await (
    await fetch(`${server.url}/api/atlas/v2/groups/${groupId}/clusters/${name}/backup/exports?itemsPerPage=100`)
  ).json()) as ExportJobPage;
  const failed =
    list.results.find((j) => j.state === 'Failed' && (j.customData?.length ?? 0) > 0) ??
    list.results.find((j) => j.state === 'Failed');
  await page.goto(`${base}/${failed?.id ?? list.results[0]?.id}`);
  await page.getByRole('region', { name: 'Snapshot' }).getByText(/UTC/).first().waitFor();
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: `${OUT}/export-details.png` });

  await fetch(`${sim}/__sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ match: 'listGroupClusterBackupExports', status: 403 }),
  });
  await page.goto(base);
  await page.getByRole('heading', { name: 'Not allowed to view export jobs here' }).waitFor();
  await page.screenshot({ path: `${OUT}/error-403.png` });
  console.log(`wrote ${OUT}/exports-table.png, exports-filtered.png, export-details.png, error-403.png`);
} finally {
  await browser.close();
  await server.close();
}
