/**
 * The set-up every end-to-end file shares: one stack (simulator + spawned server) and one Chromium per file, a
 * fresh browser context per page a test opens, and after each test the check that none of its pages logged a
 * console error, threw or hit a CSP violation.
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
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
  /** Every page this test opened, in order: each is checked and counted in coverage, not only the last. */
  let tabs: Array<InstrumentedPage & { path: string }> = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(options), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
  afterEach(async () => {
    if (stack && afterEachTest) await afterEachTest(stack);
    const opened = tabs;
    tabs = [];
    // Chrome logs each provoked HTTP error status when allowed; anything else (exceptions, CSP) is a failure.
    const allow = allowHttpErrors;
    const current = stack;
    const expected = typeof allow === 'function' ? (t: string) => !!current && allow(t, current) : allow;
    const problems: string[] = [];
    for (const tab of opened) {
      // Closing saves the coverage of its pages still open (see keepCoverage); a context closed twice is a no-op.
      await tab.context.close();
      problems.push(...unexpectedProblems(tab.problems, expected).map((p) => `${tab.path}: ${p}`));
    }
    expect(problems).toEqual([]);
  });

  return {
    get stack() {
      if (!stack) throw new Error('the stack starts in beforeAll');
      return stack;
    },
    get tab() {
      const tab = tabs.at(-1);
      if (!tab) throw new Error('no page is open: call open() first');
      return tab;
    },
    async open(path, { beforeGoto, viewport, ...options } = {}) {
      if (!browser || !stack) throw new Error('the suite starts in beforeAll');
      const tab = await openPage(browser, viewport ?? undefined, options);
      tabs.push({ ...tab, path });
      keepCoverage(tab.context);
      await startBrowserCoverage(tab.page);
      await beforeGoto?.(tab.page);
      await tab.page.goto(stack.url + path);
      return tab.page;
    },
  };
}

/**
 * Coverage of every page in `context` is saved before it goes, whether the test closes the page, its context, or
 * leaves both to the suite: closing is wrapped, since Chromium's coverage can no longer be read once a page closes.
 */
function keepCoverage(context: BrowserContext): void {
  const saved = new WeakSet<Page>();
  const save = async (page: Page) => {
    if (saved.has(page) || page.isClosed()) return;
    saved.add(page);
    await saveBrowserCoverage(page);
  };
  const wrapPageClose = (page: Page) => {
    const close = page.close.bind(page);
    page.close = async (opts) => {
      await save(page);
      return close(opts);
    };
  };
  context.pages().forEach(wrapPageClose);
  context.on('page', (page) => {
    wrapPageClose(page);
    void startBrowserCoverage(page);
  });
  const closeContext = context.close.bind(context);
  context.close = async (opts) => {
    for (const page of context.pages()) await save(page);
    return closeContext(opts);
  };
}
