import type { Page } from 'playwright-core';
import type { ExportJob, ExportJobPage } from '../../src/atlas/types.ts';
import { isNetworkStatusError, type PageProblems } from '../support/browser.ts';
import { API, bearerClient, token } from '../support/sim-client.ts';
import type { Stack } from './stack.ts';

const tokens = new WeakMap<Stack, Promise<string>>();

/**
 * GET from the simulator itself, as an Atlas client with the service account: expected values never pass through
 * the dashboard's proxy, so a proxy that mangles a request cannot agree with itself.
 */
export async function simGet<T>(stack: Stack, path: string): Promise<T> {
  let accessToken = tokens.get(stack);
  if (!accessToken) tokens.set(stack, (accessToken = token(stack.sim.url)));
  let res = await bearerClient(stack.sim.url, await accessToken)(`${API}${path}`);
  if (res.status === 401) {
    // A test that advanced the simulator's clock past the token's life: one fresh token, then the answer stands.
    tokens.set(stack, (accessToken = token(stack.sim.url)));
    res = await bearerClient(stack.sim.url, await accessToken)(`${API}${path}`);
  }
  if (!res.ok) throw new Error(`simulator GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** What Atlas (the simulator) answers for this page: the truth the table must show. */
export function simExports(
  stack: Stack,
  groupId: string,
  cluster: string,
  pageNum: number,
  itemsPerPage: number,
): Promise<ExportJobPage> {
  return simGet<ExportJobPage>(
    stack,
    `/groups/${groupId}/clusters/${cluster}/backup/exports?pageNum=${pageNum}&itemsPerPage=${itemsPerPage}`,
  );
}

export function exportsPath(groupId: string, cluster: string, search = ''): string {
  return `/projects/${groupId}/clusters/${cluster}/exports${search}`;
}

/** The export ids in the table, in order, read from each row's link (its name is "Export <full id>"). */
export async function idsOnScreen(page: Page): Promise<string[]> {
  const texts = await page
    .getByRole('link', { name: /^Export [a-f0-9]{24}$/ })
    .evaluateAll((links) => links.map((l) => l.textContent ?? ''));
  // The text is the visible "…tail" and the hidden "Export <full id>".
  return texts.map((t) => /[a-f0-9]{24}/.exec(t)?.[0] ?? '');
}

/** Waits until the table shows exactly these ids (the page has loaded and rendered). */
export async function waitForIds(page: Page, expected: string[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string[] = [];
  while (Date.now() < deadline) {
    last = await idsOnScreen(page);
    if (last.length === expected.length && last.every((id, i) => id === expected[i])) return;
    await page.waitForTimeout(100);
  }
  throw new Error(
    `table shows ${last.length} ids [${last.slice(0, 3).join(', ')}…], expected ${expected.length} [${expected.slice(0, 3).join(', ')}…]`,
  );
}

export function ids(jobs: ExportJob[]): string[] {
  return jobs.map((j) => j.id ?? '');
}

/** The URL's search part as a plain object, to compare without caring about order. */
export function searchOf(page: Page): Record<string, string> {
  return Object.fromEntries(new URL(page.url()).searchParams);
}

/**
 * Console errors that are not the browser's own note about an HTTP error status the test provoked: any such status
 * with `true`, or only those the function accepts (it gets Chrome's note, which ends with the resource's URL).
 */
export function unexpectedProblems(
  problems: PageProblems,
  allowHttpErrors: boolean | ((consoleError: string) => boolean) = false,
): string[] {
  const allowed = (t: string) =>
    isNetworkStatusError(t) && (typeof allowHttpErrors === 'function' ? allowHttpErrors(t) : allowHttpErrors);
  const consoleErrors = problems.consoleErrors.filter((t) => !allowed(t));
  return [...consoleErrors, ...problems.pageErrors, ...problems.cspViolations];
}

/** Polls `read` until `ok` holds; returns the last value. */
export async function eventually<T>(
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}

/**
 * The seeded world has projects these credentials hold too little role on: one with none (`logistics-dr`: its
 * clusters list answers 403) and one read-only (`ml-platform`: its export jobs answer 403). Pages that ask every
 * project (the fleet, the projects list) meet those refusals, and Chrome notes each as a console error. Only a 403
 * under such a project is expected; any other HTTP error status still fails the test.
 */
export function isRefusedProjectNote(consoleError: string, stack: Stack): boolean {
  const limited = stack.world.projects.filter((p) => p.access !== 'full');
  if (limited.length === 0) throw new Error('the seeded world has no project with a limited role');
  return (
    /status of 403\b/.test(consoleError) && limited.some((p) => consoleError.includes(`/api/atlas/v2/groups/${p.id}/`))
  );
}
