import { describe, expect, it } from 'vitest';
import { exportsPath, simExports, simGet, ids, searchOf, waitForIds } from './helpers.ts';
import { useBrowserSuite } from './suite.ts';

const suite = useBrowserSuite({ seed: 42, speed: 0 });
const open = (path: string) => suite.open(path);

describe('export job details', () => {
  it('shows every field of a failed job and leads back to the same table page', async () => {
    const { groupId, name } = suite.stack.world.bigCluster;
    const data = await simExports(suite.stack, groupId, name, 2, 50);
    const job = data.results.find((j) => j.state === 'Failed' && j.stateReason?.message) ?? data.results[0]!;
    const buckets = await simGet<{ results: Array<{ _id: string; bucketName: string; cloudProvider: string }> }>(
      suite.stack,
      `/groups/${groupId}/backup/exportBuckets?itemsPerPage=500`,
    );
    const bucket = buckets.results.find((b) => b._id === job.exportBucketId)!;

    const page = await open(exportsPath(groupId, name, '?page=2'));
    await waitForIds(page, ids(data.results));
    await page.getByRole('link', { name: `Export ${job.id}` }).click();
    await page.getByRole('heading', { name: `Export ${job.id}` }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`${exportsPath(groupId, name)}/${job.id}`);

    const summary = page.getByRole('region', { name: 'Job' });
    await expect(summary.getByText(job.stateReason!.message!, { exact: false }).isVisible()).resolves.toBe(true);
    await expect(summary.getByText(job.prefix!).isVisible()).resolves.toBe(true);
    for (const label of job.customData ?? []) {
      await expect(summary.getByText(`${label.key}=${label.value}`).isVisible()).resolves.toBe(true);
    }
    const bucketCard = page.getByRole('region', { name: 'Export bucket' });
    await bucketCard.getByText(bucket.bucketName, { exact: true }).waitFor();
    await expect(bucketCard.getByText(bucket.cloudProvider, { exact: true }).isVisible()).resolves.toBe(true);
    const snapshotCard = page.getByRole('region', { name: 'Snapshot' });
    await expect(snapshotCard.getByText(job.snapshotId!).isVisible()).resolves.toBe(true);
    await snapshotCard
      .getByText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/)
      .first()
      .waitFor();

    await page.getByRole('button', { name: 'Show raw JSON' }).click();
    const raw = JSON.parse((await page.locator('#raw-json').textContent()) ?? '') as { id: string };
    expect(raw.id).toBe(job.id);

    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Exports (page 2)' }).click();
    await waitForIds(page, ids(data.results));
    expect(searchOf(page)).toEqual({ page: '2' });
  });

  it('says plainly when an export job does not exist', async () => {
    const { groupId, name } = suite.stack.world.bigCluster;
    const page = await open(`${exportsPath(groupId, name)}/${'0'.repeat(24)}`);
    await page.getByRole('heading', { name: 'Export job not found' }).waitFor();
    suite.tab.problems.consoleErrors = suite.tab.problems.consoleErrors.filter((t) => !/status of 404/.test(t));
  });

  it('lists the per-replica-set components of a sharded cluster’s job', async () => {
    const { groupId, name } = suite.stack.world.shardedCluster;
    const data = await simExports(suite.stack, groupId, name, 1, 50);
    const job = data.results.find((j) => (j.components?.length ?? 0) > 0);
    expect(job, 'sharded cluster has a job with components').toBeDefined();
    const page = await open(`${exportsPath(groupId, name)}/${job!.id}`);
    const card = page.getByRole('region', { name: /^Components/ });
    await card.waitFor();
    for (const c of job!.components!) {
      await expect(
        card.getByRole('row').filter({ hasText: c.replicaSetName! }).getByText(c.exportId!).isVisible(),
      ).resolves.toBe(true);
    }
  });
});
