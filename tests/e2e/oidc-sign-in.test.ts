/**
 * Issue 19 in a real browser: the whole OpenID Connect sign-in against a real provider (oidc-provider in this
 * process, the dashboard spawned as `npm start` runs it), the header naming who is signed in and their role,
 * sign-out through the provider's end-session page, and the refusal page naming the missing group.
 * Screenshots go to test-results/oidc/ (header, refusal) for a person to look at.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNetworkStatusError, launchChromium, openPage, type PageProblems } from '../support/browser.ts';
import { CLIENT_ID, CLIENT_SECRET, freePort, startTestProvider, type TestProvider } from '../support/oidc.ts';
import { eventually } from './helpers.ts';
import { startStack, type Stack } from './stack.ts';

const SHOTS = 'test-results/oidc';
let provider: TestProvider;
let stack: Stack;
let browser: Browser;
let base: string;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  provider = await startTestProvider(base);
  [stack, browser] = await Promise.all([
    startStack({
      env: {
        PORT: String(port),
        DASHBOARD_PUBLIC_URL: base,
        DASHBOARD_OIDC_ISSUER: provider.issuer,
        DASHBOARD_OIDC_CLIENT_ID: CLIENT_ID,
        DASHBOARD_OIDC_CLIENT_SECRET: CLIENT_SECRET,
        DASHBOARD_OIDC_SCOPES: 'openid profile email groups',
        DASHBOARD_SESSION_KEYS: 'e2e-session-key-0123456789abcdef0123456789',
        DASHBOARD_VIEWER_GROUPS: 'dash-viewers',
        DASHBOARD_OPERATOR_GROUPS: 'dash-operators',
      },
    }),
    launchChromium({ shell: true }),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await provider?.close();
});

/** At the provider's (development) login form: any password is accepted for the named person. */
async function logInAtProvider(page: Page, login: string) {
  await page.waitForURL((u) => u.origin === provider.issuer);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any-password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
}

/** Problems on the dashboard's own pages (the provider's test pages load a web font the sandbox cannot reach). */
function dashboardProblems(p: PageProblems): string[] {
  return [
    ...p.consoleErrors.filter((t) => !t.includes(provider.issuer) && !/fonts\.googleapis|ERR_/.test(t)),
    ...p.pageErrors,
    ...p.cspViolations,
  ];
}

describe('signing in with the identity provider, in Chromium', () => {
  it('an operator signs in from a bookmarked address, lands on it, sees who they are, and signs out', async () => {
    const { page, problems, context } = await openPage(browser);
    await page.goto(`${base}/projects`);
    await logInAtProvider(page, 'olivia');
    await page.waitForURL(`${base}/projects`);
    const menu = page.getByTestId('session-menu');
    await menu.getByText('Olivia Operator').waitFor();
    await expect(menu.getByText('operator', { exact: true }).isVisible()).resolves.toBe(true);
    await page.getByRole('table', { name: 'Projects' }).waitFor();
    await page.locator('header').screenshot({ path: `${SHOTS}/signed-in-header.png` });
    await page.screenshot({ path: `${SHOTS}/signed-in-page.png` });
    const cookies = await context.cookies(base);
    const session = cookies.find((c) => c.name === 'dashboard-session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    // Not readable from the page's scripts.
    expect(await page.evaluate(() => document.cookie)).not.toContain('dashboard-session');

    await menu.getByRole('button', { name: 'Sign out' }).click();
    // The provider asks to confirm its own sign-out, then returns to the dashboard.
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${base}/auth/signed-out`);
    await page.getByRole('heading', { name: 'You have signed out' }).waitFor();
    expect((await context.cookies(base)).find((c) => c.name === 'dashboard-session')).toBeUndefined();
    // Signed out at the provider too: the bookmark now asks for a login again.
    await page.goto(`${base}/projects`);
    await page.waitForURL((u) => u.origin === provider.issuer);
    await page.locator('input[name="login"]').waitFor();
    expect(provider.hits.get('/session/end/confirm')).toBeGreaterThanOrEqual(1);
    expect(dashboardProblems(problems)).toEqual([]);
    await context.close();
  });

  it('when the session ends while a page is open, the SPA signs in again and comes back to the same address', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(`${base}/projects`);
    await logInAtProvider(page, 'olivia');
    await page.getByRole('table', { name: 'Projects' }).waitFor();
    const tokensBefore = provider.hits.get('/token') ?? 0;
    // The session cookie disappears (expired, or the key was retired); the provider still knows the person.
    await context.clearCookies({ name: 'dashboard-session' });
    const link = page.getByRole('table', { name: 'Projects' }).getByRole('link').first();
    const href = await link.getAttribute('href');
    await link.click();
    // The API's 401 sends the browser through the provider (no login form: single sign-on) and back.
    await eventually(
      async () => provider.hits.get('/token') ?? 0,
      (n) => n === tokensBefore + 1,
      15_000,
      'a new sign-in at the provider',
    );
    await page.waitForURL(`${base}${href}`);
    await page.getByRole('heading', { name: /^Clusters/ }).waitFor();
    await page.getByRole('table', { name: /^Clusters/ }).waitFor();
    expect((await context.cookies(base)).some((c) => c.name === 'dashboard-session')).toBe(true);
    await context.close();
  });

  it('a viewer sees their role in the header; the server still refuses them the operator check', async () => {
    // A phone: the header stays one line, with the role and sign-out in reach.
    const { page, context } = await openPage(browser, { width: 375, height: 812 });
    await page.goto(`${base}/`);
    await logInAtProvider(page, 'victor');
    const menu = page.getByTestId('session-menu');
    await menu.getByText('Victor Viewer').waitFor();
    await expect(menu.getByText('viewer', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(menu.getByRole('button', { name: 'Sign out' }).isVisible()).resolves.toBe(true);
    const overflow = await page.locator('header').evaluate((h) => h.scrollWidth - h.clientWidth);
    expect(overflow).toBe(0);
    await page.locator('header').screenshot({ path: `${SHOTS}/signed-in-header-375.png` });
    const status = await page.evaluate(async () => {
      const s = (await (await fetch('/api/session')).json()) as { csrfToken: string };
      const r = await fetch('/api/session/operator-check', {
        method: 'POST',
        headers: { 'x-csrf-token': s.csrfToken },
      });
      return r.status;
    });
    expect(status).toBe(403);
    await context.close();
  });

  it('someone in neither group is refused with a page that says which group is missing', async () => {
    const { page, problems, context } = await openPage(browser);
    await page.goto(`${base}/projects`);
    await logInAtProvider(page, 'nora');
    await page.getByRole('heading', { name: 'Access refused: a group is missing' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/auth/callback');
    const text = await page.locator('main').innerText();
    expect(text).toContain('nora@example.com');
    expect(text).toMatch(/dash-viewers, dash-operators/);
    expect(text).toContain('engineering, sales');
    await page.screenshot({ path: `${SHOTS}/access-refused.png` });
    // The refusal is a 403 (Chrome logs the status); nothing else went wrong.
    expect(
      dashboardProblems(problems).filter((t) => !(isNetworkStatusError(t) && t.includes('/auth/callback'))),
    ).toEqual([]);
    await context.close();
  });

  it('the signed-in header and the refusal page have no serious or critical axe-core violation', async () => {
    // axe is an inline script: this context bypasses the CSP (the other tests check the CSP holds).
    const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    const serious = async (page: Page) => {
      await page.addScriptTag({ content: axeSource });
      const found = await page.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: { run(d: Document, o: object): Promise<{ violations: Array<{ id: string; impact: string | null }> }> };
          }
        ).axe;
        return (await axe.run(document, { resultTypes: ['violations'] })).violations;
      });
      return found.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
    };
    for (const [login, ready] of [
      ['olivia', (p: Page) => p.getByTestId('session-menu').getByText('Olivia Operator').waitFor()],
      ['nora', (p: Page) => p.getByRole('heading', { name: 'Access refused: a group is missing' }).waitFor()],
    ] as const) {
      const { page, context } = await openPage(browser, undefined, { bypassCSP: true });
      await page.goto(`${base}/projects`);
      await logInAtProvider(page, login);
      await ready(page);
      expect(await serious(page), login).toEqual([]);
      await context.close();
    }
  });
});
