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

const started = new WeakMap<Page, Promise<void>>();

/** Starts recording `page` once, however many times it is asked (a new tab is also announced to its context). */
export function startBrowserCoverage(page: Page): Promise<void> {
  if (!DIR) return Promise.resolve();
  let start = started.get(page);
  if (!start) started.set(page, (start = page.coverage.startJSCoverage({ resetOnNavigation: false })));
  return start;
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
