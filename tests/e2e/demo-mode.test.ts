import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage } from '../support/browser.ts';
import { unexpectedProblems } from './helpers.ts';
import { startDemoServer } from './stack.ts';

let server: Awaited<ReturnType<typeof startDemoServer>>;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startDemoServer(), launchChromium({ shell: true })]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('npm start without credentials (demo mode)', () => {
  it('says the data is simulated and gets from the projects to a cluster’s export jobs by clicking', async () => {
    const { page, problems, context } = await openPage(browser);
    await page.goto(server.url + '/projects');
    await page.getByText('Demo data (simulated Atlas)').waitFor();
    await page.getByRole('table', { name: 'Projects' }).getByRole('link').first().click();
    await page.getByRole('heading', { name: /^Clusters/ }).waitFor();
    const clusters = page.getByRole('table', { name: /^Clusters/ });
    // Export health per cluster: the newest job and the estimated job count.
    await clusters
      .getByText(/~[\d,]+ jobs/)
      .first()
      .waitFor();
    await clusters.getByRole('link').first().click();
    await page.getByRole('heading', { name: /^Export jobs/ }).waitFor();
    await page.waitForURL(/\/projects\/[a-f0-9]{24}\/clusters\/[A-Za-z0-9-]+\/exports$/);
    const nav = page.getByRole('navigation', { name: 'Breadcrumb' });
    await expect(nav.getByRole('link', { name: 'Projects' }).isVisible()).resolves.toBe(true);
    await expect(nav.getByRole('link', { name: 'Exports' }).getAttribute('aria-current')).resolves.toBe('page');
    expect(unexpectedProblems(problems)).toEqual([]);
    await context.close();
  });
});
