/**
 * Issue 20, write mode off (the default): no write control anywhere, and a POST from the page itself is refused
 * with no call reaching the simulator.
 */
import { describe, expect, it } from 'vitest';
import { exportsPath } from './helpers.ts';
import { useBrowserSuite } from './suite.ts';

const suite = useBrowserSuite({ seed: 42, speed: 0 }, { allowHttpErrors: (t) => /status of 405/.test(t) });

describe('write mode off', () => {
  it('shows no Export or Re-export control, and the proxy refuses a POST with 0 upstream calls', async () => {
    const { groupId, name } = suite.stack.world.noExportsCluster;
    const failed = (await suite.stack.simPost('/__sim/jobs', { groupId, clusterName: name, outcome: 'Failed' })) as {
      id: string;
      snapshotId: string;
    };
    await suite.stack.simPost('/__sim/clock', { advanceMs: 200_000 });
    const page = await suite.open(exportsPath(groupId, name));
    await page.getByRole('heading', { name: /Export jobs/ }).waitFor();
    await page.getByText('Failed').first().waitFor();
    expect(await page.getByRole('button', { name: /Export a snapshot/ }).count()).toBe(0);
    await page.goto(`${suite.stack.url}${exportsPath(groupId, name)}/${failed.id}`);
    await page.getByRole('heading', { name: `Export ${failed.id}` }).waitFor();
    expect(await page.getByRole('button', { name: /Re-export/ }).count()).toBe(0);
    // Nothing can be written, so there is no Activity to link to.
    expect(await page.getByRole('banner').getByRole('link', { name: 'Activity' }).count()).toBe(0);
    // Nor alerts (no ALERTS_CONFIG here): no link to an empty page.
    expect(await page.getByRole('banner').getByRole('link', { name: 'Alerts' }).count()).toBe(0);
    // What reaches the simulator, by operation: the page's own reads go on while it is open; nothing else may.
    const stats = async () =>
      (
        (await (await fetch(`${suite.stack.sim.url}/__sim/stats`)).json()) as {
          requests: { byOperation: Record<string, number> };
        }
      ).requests.byOperation;
    const before = await stats();
    const status = await page.evaluate(
      async ([g, c, s]) =>
        (
          await fetch(`/api/atlas/v2/groups/${g}/clusters/${c}/backup/exports`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': 'k'.repeat(20) },
            body: JSON.stringify({ snapshotId: s, exportBucketId: 'a'.repeat(24) }),
          })
        ).status,
      [groupId, name, failed.snapshotId] as const,
    );
    expect(status).toBe(405);
    const after = await stats();
    const changed = Object.keys(after).filter((op) => after[op] !== before[op]);
    expect(changed.filter((op) => !/^(list|get)/.test(op))).toEqual([]);
    const activity = (await page.evaluate(async () => (await fetch('/api/activity')).json())) as { write: boolean };
    expect(activity.write).toBe(false);
  });
});
