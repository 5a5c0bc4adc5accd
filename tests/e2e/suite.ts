/**
 * The set-up every end-to-end file shares: one stack (simulator + spawned server) and one Chromium per file, a
 * new tab per page a test opens, and after each test the check that none of its pages logged a console error,
 * threw or hit a CSP violation.
 *
 * A test's first page opens as a new tab in a warm context kept for the file (one per set of context options),
 * emptied of what an earlier test left (cookies, the app's localStorage; sessionStorage, routes, init scripts and
 * listeners belong to the tab, which is new). A new browser context costs a renderer process and a cold compile
 * of the bundle: 1.9 CPU-s per page here, against 0.9 for a tab in a warm context. A second page in the same
 * test, or one with `beforeGoto` (which may change its context), gets a context of its own, as every page did.
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { SimulatorOptions } from '../../src/simulator/options.ts';
import { DEFAULT_VIEWPORT, launchChromium, openPage, type InstrumentedPage } from '../support/browser.ts';
import { saveBrowserCoverage, startBrowserCoverage } from './browser-coverage.ts';
import { unexpectedProblems } from './helpers.ts';
import { startStack, type Stack } from './stack.ts';

export interface BrowserSuite {
  readonly stack: Stack;
  readonly tab: InstrumentedPage;
  /**
   * Opens `path` of the dashboard in a new tab with nothing stored (1440x900, UTC, reduced motion unless `options`
   * say): the first in a test in the file's warm context for its options, any other in a new context.
   */
  open(path: string, options?: BrowserContextOptions & { beforeGoto?: (page: Page) => Promise<void> }): Promise<Page>;
}

export function useBrowserSuite(
  options: SimulatorOptions & { env?: Record<string, string> },
  {
    allowHttpErrors = false,
    afterEachTest,
    fullChromium = false,
  }: {
    /** `true`: any HTTP error status Chrome notes is expected; a function: only those it accepts. */
    allowHttpErrors?: boolean | ((consoleError: string, stack: Stack) => boolean);
    afterEachTest?: (stack: Stack) => Promise<void>;
    /** The full Chromium instead of the headless shell, for what only it has (desktop notifications). */
    fullChromium?: boolean;
  } = {},
): BrowserSuite {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  /** Every page this test opened, in order: each is checked and counted in coverage, not only the last. */
  let tabs: Array<InstrumentedPage & { path: string; warm: boolean }> = [];
  /** Contexts kept across tests, by their options (JSON); a test that closes one drops it. */
  const warm = new Map<string, InstrumentedPage>();

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(options), launchChromium({ shell: !fullChromium })]);
  });
  afterAll(async () => {
    for (const { context } of warm.values()) await context.close();
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
      if (tab.warm) for (const page of tab.context.pages()) await page.close();
      else await tab.context.close();
      problems.push(...unexpectedProblems(tab.problems, expected).map((p) => `${tab.path}: ${p}`));
      // A warm context's record serves the next test too: it answers only for its own pages.
      for (const list of Object.values(tab.problems)) list.splice(0);
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
    async open(path, { beforeGoto, viewport, colorScheme, reducedMotion, ...options } = {}) {
      if (!browser || !stack) throw new Error('the suite starts in beforeAll');
      const key = JSON.stringify(options);
      const reuse = !beforeGoto && !tabs.some((t) => t.warm && t.context === warm.get(key)?.context);
      let tab: InstrumentedPage;
      if (!reuse) {
        tab = await newContext(browser, viewport ?? undefined, { ...options, colorScheme, reducedMotion });
      } else {
        const kept = warm.get(key);
        if (kept) {
          await kept.context.clearCookies();
          tab = { ...kept, page: await kept.context.newPage() };
        } else {
          tab = await newContext(browser, undefined, options);
          warm.set(key, tab);
          tab.context.on('close', () => warm.delete(key));
        }
        // What an earlier test stored in the origin's localStorage goes before the tab loads anything.
        const cdp = await tab.context.newCDPSession(tab.page);
        await cdp.send('Storage.clearDataForOrigin', { origin: stack.url, storageTypes: 'local_storage' });
        await cdp.detach();
        await tab.page.setViewportSize(viewport ?? DEFAULT_VIEWPORT);
        if (colorScheme !== undefined || reducedMotion !== undefined)
          await tab.page.emulateMedia({ colorScheme, reducedMotion });
      }
      tabs.push({ ...tab, path, warm: reuse });
      await startBrowserCoverage(tab.page);
      await beforeGoto?.(tab.page);
      await tab.page.goto(stack.url + path);
      return tab.page;
    },
  };
}

/** A new browser context with its first page, its coverage kept. */
async function newContext(
  browser: Browser,
  viewport: { width: number; height: number } | undefined,
  options: BrowserContextOptions,
): Promise<InstrumentedPage> {
  const tab = await openPage(browser, viewport, options);
  keepCoverage(tab.context);
  return tab;
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
