/**
 * Issue 20 in Chromium, signed in with Basic, DASHBOARD_WRITE=on: re-export a failed job (a new job with the same
 * snapshot and bucket appears Queued and reaches a terminal state on the simulator's clock), export a chosen
 * snapshot to a chosen bucket, and the Activity page listing both with the signed-in identity. Screenshots of the
 * confirmation at 1440 and 375 px go to test-results/write/.
 */
import { mkdirSync } from 'node:fs';
import bcrypt from 'bcryptjs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ExportJob } from '../../src/atlas/types.ts';
import { API, bearerClient, token } from '../support/sim-client.ts';
import { exportsPath, simExports, simGet } from './helpers.ts';
import { useBrowserSuite } from './suite.ts';

const SHOTS = 'test-results/write';
const USER = 'e2e-operator';
const PASSWORD = 'correct-horse-battery-e2e';
const suite = useBrowserSuite(
  {
    seed: 42,
    speed: 0,
    env: { DASHBOARD_BASIC_AUTH: `${USER}:${bcrypt.hashSync(PASSWORD, 10)}`, DASHBOARD_WRITE: 'on' },
  },
  // Chrome notes the 403 and 409 the refusal tests provoke; nothing else may fail.
  { allowHttpErrors: (t) => /status of 40[39]/.test(t) },
);
const signedIn = { httpCredentials: { username: USER, password: PASSWORD } };
mkdirSync(SHOTS, { recursive: true });

/**
 * Polls until `check` returns a value (no fixed sleeps: the machine may be loaded). On a timeout, `seen` says what
 * the page showed instead.
 */
async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
  seen?: () => Promise<string>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting${seen ? `; the page shows: ${await seen()}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function newest(groupId: string, name: string): Promise<ExportJob> {
  return (await simExports(suite.stack, groupId, name, 1, 1)).results[0]!;
}

async function firstRowText(page: Page): Promise<string> {
  return (await page.locator('tbody tr').first().textContent()) ?? '';
}

describe('write mode in the browser', () => {
  it('re-exports a failed job: a new job with the same snapshot and bucket appears Queued, then ends on the simulator clock', async () => {
    const { groupId, name } = suite.stack.world.noExportsCluster;
    const failed = (await suite.stack.simPost('/__sim/jobs', { groupId, clusterName: name, outcome: 'Failed' })) as {
      id: string;
    };
    await suite.stack.simPost('/__sim/clock', { advanceMs: 200_000 });
    const before = await newest(groupId, name);
    expect(before).toMatchObject({ id: failed.id, state: 'Failed' });

    const page = await suite.open(`${exportsPath(groupId, name)}/${failed.id}`, signedIn);
    await page.getByRole('button', { name: 'Re-export…' }).click();
    const dialog = page.getByRole('dialog', { name: /re-export a job/i });
    await dialog.waitFor();
    await dialog.getByText(/expires in \d+ d/).waitFor();
    await dialog.getByRole('button', { name: 'Review…' }).click();
    const body = JSON.parse((await dialog.getByLabel('Request body').textContent()) ?? '{}') as Record<string, unknown>;
    expect(body).toEqual({
      snapshotId: before.snapshotId,
      exportBucketId: before.exportBucketId,
      customData: [...(before.customData ?? []), { key: 'retryOf', value: failed.id }],
    });
    await page.screenshot({ path: `${SHOTS}/confirm-reexport-1440.png` });
    await dialog.getByRole('button', { name: 'Confirm re-export' }).click();

    await page.getByRole('heading', { name: /Export jobs/ }).waitFor();
    const created = await eventually(async () => {
      const j = await newest(groupId, name);
      return j.id !== failed.id ? j : undefined;
    });
    expect(created).toMatchObject({ snapshotId: before.snapshotId, exportBucketId: before.exportBucketId });
    await eventually(async () => (await firstRowText(page)).includes('Queued') || undefined, 15_000);
    expect(await firstRowText(page)).toContain(created.id!.slice(-8));

    await suite.stack.simPost('/__sim/clock', { advanceMs: 300_000 });
    const final = await eventually(async () => {
      const t = await firstRowText(page);
      return /Successful|Failed/.exec(t)?.[0];
    }, 20_000);
    expect(
      (await simGet<ExportJob>(suite.stack, `/groups/${groupId}/clusters/${name}/backup/exports/${created.id}`)).state,
    ).toBe(final);
  });

  it('exports a chosen snapshot to a chosen bucket (phone width), with the estimate marked as one', async () => {
    const { groupId, name } = suite.stack.world.bigCluster;
    const buckets = await simGet<{ results: { _id: string; bucketName: string; cloudProvider: string }[] }>(
      suite.stack,
      `/groups/${groupId}/backup/exportBuckets`,
    );
    const bucket = buckets.results.at(-1)!;
    const page = await suite.open(exportsPath(groupId, name), { ...signedIn, viewport: { width: 375, height: 812 } });
    await page.getByRole('button', { name: 'Export a snapshot…' }).click();
    const dialog = page.getByRole('dialog', { name: /export a snapshot/i });
    const snapshotSelect = dialog.getByRole('combobox', { name: 'Snapshot' });
    await eventually(async () => ((await snapshotSelect.locator('option').count()) > 2 ? true : undefined));
    // Offered only once the jobs say which snapshots have an export running, and none of those: Atlas would
    // answer 409 (snapshots are hourly from the wall clock, so which ones depends on when the test runs).
    const running = (await simExports(suite.stack, groupId, name, 1, 500)).results
      .filter((j) => j.state === 'Queued' || j.state === 'InProgress')
      .map((j) => j.snapshotId);
    expect(running.length).toBeGreaterThan(0);
    const offered = await snapshotSelect
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(offered.filter((id) => running.includes(id))).toEqual([]);
    await snapshotSelect.selectOption({ index: 2 });
    const chosen = await snapshotSelect.inputValue();
    await dialog.getByRole('combobox', { name: 'Bucket' }).selectOption(bucket._id);
    await dialog.getByRole('button', { name: 'Add key/value' }).click();
    await dialog.getByLabel('Custom data 1 key').fill('ticket');
    await dialog.getByLabel('Custom data 1 value').fill('OPS-42');
    await expect(dialog.getByText(/estimate: snapshot size/).isVisible()).resolves.toBe(true);
    await dialog.getByRole('button', { name: 'Review…' }).click();
    const body = JSON.parse((await dialog.getByLabel('Request body').textContent()) ?? '{}') as unknown;
    expect(body).toEqual({
      snapshotId: chosen,
      exportBucketId: bucket._id,
      customData: [{ key: 'ticket', value: 'OPS-42' }],
    });
    await page.screenshot({ path: `${SHOTS}/confirm-export-375.png` });
    await dialog.getByRole('button', { name: 'Confirm export' }).click();
    const created = await eventually(
      async () => {
        const j = await newest(groupId, name);
        return j.snapshotId === chosen ? j : undefined;
      },
      10_000,
      async () =>
        `${await dialog.textContent().catch(() => '(no dialog)')}; newest job ${JSON.stringify(await newest(groupId, name))}`,
    );
    expect(created).toMatchObject({ exportBucketId: bucket._id, customData: [{ key: 'ticket', value: 'OPS-42' }] });
    await eventually(async () => (await page.getByText('Queued').first().isVisible()) || undefined, 15_000);
  });

  it('Atlas refusing for a missing role is said in plain words, naming the role', async () => {
    const { groupId, name } = suite.stack.world.noExportsCluster;
    await suite.stack.simPost('/__sim/access', { groupId, access: 'noExport' });
    try {
      const page = await suite.open(exportsPath(groupId, name), signedIn);
      await page.getByRole('button', { name: 'Export a snapshot…' }).click();
      const dialog = page.getByRole('dialog', { name: /export a snapshot/i });
      await dialog.getByRole('button', { name: 'Review…' }).click();
      await dialog.getByRole('button', { name: 'Confirm export' }).click();
      const alert = dialog.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(/lack the Project Backup Export Operator role on this project/);
    } finally {
      await suite.stack.simPost('/__sim/access', { groupId, access: 'all' });
    }
  });

  it('409: an export of the snapshot started elsewhere meanwhile is said plainly, with a link to it', async () => {
    const { groupId, name } = suite.stack.world.shardedCluster;
    const page = await suite.open(exportsPath(groupId, name), signedIn);
    await page.getByRole('button', { name: 'Export a snapshot…' }).click();
    const dialog = page.getByRole('dialog', { name: /export a snapshot/i });
    await dialog.getByRole('button', { name: 'Review…' }).click();
    const body = (await dialog.getByLabel('Request body').textContent()) ?? '';
    // Someone else (the CLI, the console) starts the same export meanwhile.
    const res = await bearerClient(suite.stack.sim.url, await token(suite.stack.sim.url))(
      `${API}/groups/${groupId}/clusters/${name}/backup/exports`,
      { method: 'POST', headers: { 'content-type': 'application/vnd.atlas.2023-01-01+json' }, body },
    );
    expect(res.status).toBe(200);
    const other = (await res.json()) as { id: string };
    await dialog.getByRole('button', { name: 'Confirm export' }).click();
    const alert = dialog.getByRole('alert');
    await alert.getByText('An export of this snapshot is already running.').waitFor();
    const link = alert.getByRole('link', { name: 'Open the running export' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toContain(other.id);
  });

  it('the Activity page lists both exports with the signed-in identity', async () => {
    const page = await suite.open('/activity', signedIn);
    await page.getByRole('heading', { name: 'Activity' }).waitFor();
    await page.getByRole('banner').getByRole('link', { name: 'Activity' }).waitFor();
    const rows = page.locator('[data-testid="activity-row"]');
    await eventually(async () => ((await rows.count()) >= 2 ? true : undefined));
    const texts = await rows.allTextContents();
    const sent = texts.filter((t) => /Sent to Atlas\s*200/.test(t) && t.includes(USER));
    expect(sent.length).toBe(2);
    expect(texts.some((t) => /Sent to Atlas\s*403\s*USER_UNAUTHORIZED/.test(t) && t.includes(USER))).toBe(true);
    expect(texts.some((t) => t.includes('retryOf='))).toBe(true);
    expect(texts.some((t) => t.includes('ticket=OPS-42'))).toBe(true);
    await page.screenshot({ path: `${SHOTS}/activity-1440.png` });
  });
});
