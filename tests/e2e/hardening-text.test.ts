/**
 * Issue 7: Atlas strings as an attacker or a careless operator writes them. Bidirectional overrides stay inside
 * their own text, a 10,000-character string wraps instead of widening the page, an absurd count is clamped with
 * the raw value on hover, and Atlas's links lead to the dashboard's own pages, never to the upstream.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ExportJob, ExportJobPage } from '../../src/atlas/types.ts';
import { simExports, exportsPath } from './helpers.ts';
import { useBrowserSuite } from './suite.ts';

const LIST = 'listGroupClusterBackupExports';
const DETAIL = 'getGroupClusterBackupExport';
const RLO = '\u202E';
const suite = useBrowserSuite({ seed: 42, speed: 0 }, { afterEachTest: (stack) => stack.simDelete('/__sim/faults') });

/** The first job of the big cluster, changed by `edit`, served by the simulator as both its list and itself. */
async function serveOddJob(edit: (job: ExportJob) => ExportJob): Promise<{ page: ExportJobPage; job: ExportJob }> {
  const { groupId, name } = suite.stack.world.bigCluster;
  const real = await simExports(suite.stack, groupId, name, 1, 10);
  const job = edit(real.results.find((j) => j.state === 'Failed') ?? real.results[0]!);
  const page = { ...real, results: [job, ...real.results.slice(1)] };
  await suite.stack.simPost('/__sim/faults', { match: LIST, body: page });
  await suite.stack.simPost('/__sim/faults', { match: DETAIL, body: job });
  return { page, job };
}

/** Where `needle` (first occurrence in the element's text) is drawn: the box of its characters, in page px. */
function boxOf(page: Page, selector: string, needle: string) {
  return page
    .locator(selector)
    .first()
    .evaluate((el, text) => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = (node.textContent ?? '').indexOf(text);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + text.length);
        const r = range.getBoundingClientRect();
        return { left: r.left, right: r.right };
      }
      throw new Error(`"${text}" not found`);
    }, needle);
}

/** The left edge, in page px, of the first occurrence of `needle` in the element's text (case-sensitive). */
function charLeft(el: Element, needle: string): number {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = (node.textContent ?? '').indexOf(needle);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + needle.length);
    return range.getBoundingClientRect().left;
  }
  throw new Error(`"${needle}" not found`);
}

async function documentOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

describe('Atlas strings on screen', () => {
  it('an RTL override in custom data stays inside its key: the chip reads key, =, value in order', async () => {
    const { job } = await serveOddJob((j) => ({ ...j, customData: [{ key: `team${RLO}abc`, value: 'ops' }] }));
    const { groupId, name } = suite.stack.world.bigCluster;
    for (const path of [exportsPath(groupId, name), `${exportsPath(groupId, name)}/${job.id}`]) {
      const page = await suite.open(path);
      const chip = 'ul[aria-label="Custom data"] li';
      await page.locator(chip).first().waitFor();
      const equals = await boxOf(page, chip, '=');
      const value = await boxOf(page, chip, 'ops');
      // Without isolation the override runs on through "=ops" and draws it reversed, left of the "=".
      expect(value.left).toBeGreaterThanOrEqual(equals.right - 0.5);
      // The override is shown as its code point, not applied: no element holds the character itself.
      const chipText = (await page.locator(chip).first().textContent()) ?? '';
      expect(chipText).toContain('U+202E');
      expect(chipText).not.toContain(RLO);
      await suite.tab.context.close();
    }
  });

  it('issue 16 item 9: bidi controls inside one value are shown as code points, and the value reads in order', async () => {
    const prefix = `exports/${RLO}fdp.exe/AAAA`;
    const { job } = await serveOddJob((j) => ({ ...j, prefix, customData: [{ key: `${RLO}evil`, value: 'ok' }] }));
    const { groupId, name } = suite.stack.world.bigCluster;
    const page = await suite.open(`${exportsPath(groupId, name)}/${job.id}`);
    const summary = page.getByRole('region', { name: 'Job' });
    const prefixField = summary.locator('dd').filter({ hasText: 'fdp.exe' }).first();
    await prefixField.waitFor();
    // Drawn left to right as stored: "fdp" before ".exe" before "AAAA" (with the override: "AAAA/exe.pdf").
    const fdp = await prefixField.evaluate(charLeft, 'fdp');
    const exe = await prefixField.evaluate(charLeft, 'exe');
    const tail = await prefixField.evaluate(charLeft, 'AAAA');
    expect(fdp).toBeLessThan(exe);
    expect(exe).toBeLessThan(tail);
    const shown = (await prefixField.textContent()) ?? '';
    expect(shown).toContain('exports/U+202Efdp.exe/AAAA');
    expect(shown).not.toContain(RLO);
    // The flag says what it is on hover.
    await expect(prefixField.locator('[data-bidi-control="U+202E"]').first().getAttribute('title')).resolves.toContain(
      'RIGHT-TO-LEFT OVERRIDE',
    );
    // The custom data key reads "evil" (it showed as "live"): e left of v left of i left of l.
    const chip = summary.locator('ul[aria-label="Custom data"] li').first();
    const xs = await Promise.all(['e', 'v', 'i', 'l'].map((c) => chip.evaluate(charLeft, c)));
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect((await chip.textContent()) ?? '').toContain('U+202Eevil=ok');
    expect(await chip.getAttribute('title')).toBe('<U+202E>evil=ok');
  });

  it('a 10,000-character failure message and bucket name wrap: the page is no wider than the window', async () => {
    const long = 'x'.repeat(10_000);
    const { job } = await serveOddJob((j) => ({
      ...j,
      state: 'Failed',
      stateReason: { errorCode: 'E', message: long },
    }));
    const { groupId, name } = suite.stack.world.bigCluster;
    const buckets = (await (
      await fetch(`${suite.stack.url}/api/atlas/v2/groups/${groupId}/backup/exportBuckets?itemsPerPage=500`)
    ).json()) as { results: Array<{ _id: string; bucketName: string }> };
    const results = buckets.results.map((b) => (b._id === job.exportBucketId ? { ...b, bucketName: `b${long}` } : b));
    await suite.stack.simPost('/__sim/faults', {
      match: 'listGroupBackupExportBuckets',
      body: { ...buckets, results },
    });
    for (const path of [exportsPath(groupId, name), `${exportsPath(groupId, name)}/${job.id}`]) {
      const page = await suite.open(path);
      await page
        .getByText(/xxxxxxxxxx/)
        .first()
        .waitFor();
      await page.waitForLoadState('networkidle');
      expect(await documentOverflow(page), path).toBe(0);
      await suite.tab.context.close();
    }
  });

  it('1e308 collections: a clamped figure, the raw value on hover', async () => {
    const { job } = await serveOddJob((j) => ({
      ...j,
      state: 'InProgress',
      exportStatus: { exportedCollections: 1e308, totalCollections: 1e308 },
    }));
    const { groupId, name } = suite.stack.world.bigCluster;
    const page = await suite.open(`${exportsPath(groupId, name)}/${job.id}`);
    const summary = page.getByRole('region', { name: 'Job' });
    const text = summary.getByText(/collections/).first();
    await text.waitFor();
    const shown = (await text.textContent()) ?? '';
    expect(shown.length).toBeLessThan(60);
    expect(shown).toContain('>999,999,999');
    await expect(summary.locator('[title="1e+308"]').count()).resolves.toBeGreaterThan(0);
  });
});

describe('Atlas links on a job page', () => {
  it('lead to the dashboard’s own pages, never to the upstream', async () => {
    const { groupId, name } = suite.stack.world.bigCluster;
    const upstream = suite.stack.sim.url;
    const { job } = await serveOddJob((j) => ({
      ...j,
      links: [
        ...(j.links ?? []),
        { rel: 'cluster', href: `${upstream}/api/atlas/v2/groups/${groupId}/clusters/${name}` },
        { rel: 'project', href: `${upstream}/api/atlas/v2/groups/${groupId}` },
        { rel: 'elsewhere', href: 'https://example.invalid/somewhere' },
      ],
    }));
    const jobPath = `${exportsPath(groupId, name)}/${job.id}`;
    const page = await suite.open(jobPath);
    const card = page.getByRole('region', { name: /^Links/ });
    await card.waitFor();
    const hrefs = await card.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs).toEqual([jobPath, exportsPath(groupId, name), `/projects/${groupId}`]);
    expect(await card.textContent()).not.toContain(new URL(upstream).host);
    const everyHref = await page.locator('a[href]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(everyHref.filter((h) => !h.startsWith(suite.stack.url))).toEqual([]);
  });
});
