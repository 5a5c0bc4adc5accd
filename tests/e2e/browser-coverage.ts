/**
 * V8 coverage of the SPA as Chromium runs it, when E2E_COVERAGE_DIR is set (`npm run coverage` sets it): one JSON
 * file per test with the function ranges of each script the app loaded from the server's /assets/. The sources
 * are not written; the report reads them and their source maps from dist/ (tests/coverage/report.ts).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

const DIR = process.env.E2E_COVERAGE_DIR;

export async function startBrowserCoverage(page: Page): Promise<void> {
  if (DIR) await page.coverage.startJSCoverage({ resetOnNavigation: false });
}

export async function saveBrowserCoverage(page: Page): Promise<void> {
  if (!DIR) return;
  const entries = await page.coverage.stopJSCoverage();
  const scripts = entries
    .filter((e) => /^http:\/\/127\.0\.0\.1:\d+\/assets\/[^/]+\.js$/.test(e.url))
    .map((e) => ({ url: new URL(e.url).pathname, functions: e.functions }));
  mkdirSync(DIR, { recursive: true });
  writeFileSync(path.join(DIR, `${randomUUID()}.json`), JSON.stringify(scripts));
}
