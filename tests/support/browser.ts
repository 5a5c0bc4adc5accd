/**
 * Debian's Chromium through playwright-core: never a downloaded browser. Every page opened through `openPage`
 * records console errors, page errors and CSP violations, so a test can assert there were none.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/**
 * Debian's `chromium-headless-shell` (`.ci/run` installs it): the same Chromium release, built without the desktop
 * browser around it, which is what Playwright itself runs headless. It draws the same pages for about half the CPU
 * of `chromium --headless` (no GPU process, no browser UI). What it lacks: desktop notifications (permission stays
 * "denied"). Where it is not installed, the full Chromium stands in.
 */
export const HEADLESS_SHELL_PATH =
  process.env.CHROMIUM_HEADLESS_SHELL_PATH ??
  (existsSync('/usr/bin/chromium-headless-shell') ? '/usr/bin/chromium-headless-shell' : CHROMIUM_PATH);

/** The full Chromium, headless (benchmarks, screenshots); `shell`: the headless shell, for the tests. */
export function launchChromium({ shell = false }: { shell?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: shell ? HEADLESS_SHELL_PATH : CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  cspViolations: string[];
}

export interface InstrumentedPage {
  context: BrowserContext;
  page: Page;
  problems: PageProblems;
}

/** Chrome logs failed fetches (4xx/5xx) as console errors; tests that inject faults expect those. */
export function isNetworkStatusError(text: string): boolean {
  return /Failed to load resource: the server responded with a status of \d{3}/.test(text);
}

function listen(page: Page, problems: PageProblems): void {
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // Chrome's note about an HTTP error status does not name the resource; its location does.
    const text = msg.text();
    const url = msg.location().url;
    problems.consoleErrors.push(isNetworkStatusError(text) && url ? `${text} at ${url}` : text);
  });
  page.on('pageerror', (err) => problems.pageErrors.push(err.message));
}

/** The window a page opens in unless a test says otherwise. */
export const DEFAULT_VIEWPORT = { width: 1440, height: 900 };

export async function openPage(
  browser: Browser,
  viewport = DEFAULT_VIEWPORT,
  options: BrowserContextOptions = {},
): Promise<InstrumentedPage> {
  const context = await browser.newContext({
    viewport,
    reducedMotion: 'reduce',
    locale: 'en-US',
    timezoneId: 'UTC',
    ...options,
  });
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], cspViolations: [] };
  // Every page of the context reports into the same record: a popup or a second page a test opens is checked too.
  await context.exposeFunction('__reportCspViolation', (text: string) => problems.cspViolations.push(text));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __reportCspViolation?: (t: string) => void }).__reportCspViolation;
      report?.(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  context.on('page', (page) => listen(page, problems));
  const page = await context.newPage();
  return { context, page, problems };
}
