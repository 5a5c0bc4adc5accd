/**
 * The set-up every end-to-end file shares: one stack (simulator + spawned server) and one Chromium per file, a
 * fresh browser context per test, and after each test the check that the page logged no console error, threw
 * nothing and hit no CSP violation.
 */
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { SimulatorOptions } from '../../src/simulator/options.ts';
import { launchChromium, openPage, type InstrumentedPage } from '../support/browser.ts';
import { saveBrowserCoverage, startBrowserCoverage } from './browser-coverage.ts';
import { unexpectedProblems } from './helpers.ts';
import { startStack, type Stack } from './stack.ts';

export interface BrowserSuite {
  readonly stack: Stack;
  readonly tab: InstrumentedPage;
  /** Opens `path` of the dashboard in a new browser context (1440x900, UTC, reduced motion unless `options` say). */
  open(path: string, options?: BrowserContextOptions & { beforeGoto?: (page: Page) => Promise<void> }): Promise<Page>;
}

export function useBrowserSuite(
  options: SimulatorOptions & { env?: Record<string, string> },
  {
    allowHttpErrors = false,
    afterEachTest,
  }: {
    /** `true`: any HTTP error status Chrome notes is expected; a function: only those it accepts. */
    allowHttpErrors?: boolean | ((consoleError: string, stack: Stack) => boolean);
    afterEachTest?: (stack: Stack) => Promise<void>;
  } = {},
): BrowserSuite {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  let tab: InstrumentedPage | undefined;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(options), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
  afterEach(async () => {
    if (stack && afterEachTest) await afterEachTest(stack);
    if (!tab) return;
    // A test may close its own page (to open a fresh one); its coverage went with it.
    if (!tab.page.isClosed()) await saveBrowserCoverage(tab.page);
    // Chrome logs each provoked HTTP error status when allowed; anything else (exceptions, CSP) is a failure.
    const allow = allowHttpErrors;
    const current = stack;
    const expected = typeof allow === 'function' ? (t: string) => !!current && allow(t, current) : allow;
    expect(unexpectedProblems(tab.problems, expected)).toEqual([]);
    await tab.context.close();
    tab = undefined;
  });

  return {
    get stack() {
      if (!stack) throw new Error('the stack starts in beforeAll');
      return stack;
    },
    get tab() {
      if (!tab) throw new Error('no page is open: call open() first');
      return tab;
    },
    async open(path, { beforeGoto, viewport, ...options } = {}) {
      if (!browser || !stack) throw new Error('the suite starts in beforeAll');
      tab = await openPage(browser, viewport ?? undefined, options);
      await startBrowserCoverage(tab.page);
      await beforeGoto?.(tab.page);
      await tab.page.goto(stack.url + path);
      return tab.page;
    },
  };
}
