/** SECURITY.md F.57-60 and H.67: coalescing, the TTL cache, and the inbound guard on the Atlas quota. */
import { afterEach, describe, expect, it } from 'vitest';
import { pathFor } from '../../src/atlas-watch/atlas-reader.ts';
import type { ExportJobPage } from '../../src/atlas/types.ts';
import { historyPageQuery } from '../../src/web/data/export-history/history-query.ts';
import { walkPages } from '../../src/web/data/export-history/walk-pages.ts';
import { atlasUrl } from '../../src/web/lib/api-client.ts';
import { eventually, startHarness, worldOf, type Harness } from './support/harness.ts';

const V2 = '/api/atlas/v2';
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('coalescing and cache', () => {
  it.each([
    ['cache off', '0'],
    ['cache on', '3000'],
  ])('case 57 50 concurrent identical GETs make one upstream call, 50 identical bodies (%s)', async (_, ttl) => {
    h = await startHarness({ env: { PROXY_CACHE_TTL_MS: ttl } });
    const { groupId, clusterName } = await worldOf(h);
    const path = `${V2}/groups/${groupId}/clusters/${clusterName}/backup/exports?itemsPerPage=10`;
    // Warm the token so the only upstream call under test is the data request; hold it long enough to overlap
    // (all 50 must arrive while it is held, also on a loaded machine and under V8 coverage).
    expect((await h.get(`${V2}/groups`)).status).toBe(200);
    await h.fault({ match: 'listGroupClusterBackupExports', latencyMs: 1500, times: 1 });
    const responses = await Promise.all(Array.from({ length: 50 }, () => h!.get(path)));
    const bodies = await Promise.all(responses.map((r) => r.text()));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(new Set(bodies).size).toBe(1);
    expect(JSON.parse(bodies[0]!)).toHaveProperty('results');
    expect(await h.simCalls('listGroupClusterBackupExports')).toBe(1);
    const sources = responses.map((r) => r.headers.get('x-cache'));
    expect(sources.filter((s) => s === 'MISS')).toHaveLength(1);
    expect(sources.filter((s) => s === 'SHARED')).toHaveLength(49);
  });

  it('case 58 different project, cluster or query -> separate keys; equivalent queries share one', async () => {
    h = await startHarness();
    const { groupId, clusterName } = await worldOf(h);
    const base = `${V2}/groups/${groupId}/clusters/${clusterName}/backup/exports`;
    for (const q of [
      '?pageNum=1&itemsPerPage=5',
      '?itemsPerPage=5&pageNum=1',
      '?pageNum=1&itemsPerPage=5&pretty=true',
    ]) {
      expect((await h.get(base + q)).status).toBe(200);
    }
    expect(await h.simCalls('listGroupClusterBackupExports')).toBe(1);
    expect((await h.get(`${base}?pageNum=2&itemsPerPage=5`)).headers.get('x-cache')).toBe('MISS');
    expect((await h.get(`${V2}/groups/${groupId}/clusters`)).headers.get('x-cache')).toBe('MISS');
    expect(await h.simCalls('listGroupClusterBackupExports')).toBe(2);
  });

  it('case 58 a parameter that repeats Atlas’s default is the same request: the SPA and the watch share one call', async () => {
    h = await startHarness();
    const { groupId, clusterName } = await worldOf(h);
    const base = `${V2}/groups/${groupId}/clusters/${clusterName}/backup/exports`;
    // The SPA's history page 1, the watch's check (atlas-watch/watch.ts), and the same page with nothing implied.
    const spa = await h.get(`${base}?pageNum=1&itemsPerPage=500&includeCount=true`);
    const watch = await h.get(`${base}?itemsPerPage=500&pageNum=1`);
    const bare = await h.get(`${base}?itemsPerPage=500`);
    expect([spa, watch, bare].map((r) => r.headers.get('x-cache'))).toEqual(['MISS', 'HIT', 'HIT']);
    const [a, b, c] = await Promise.all([spa.text(), watch.text(), bare.text()]);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(await h.simCalls('listGroupClusterBackupExports')).toBe(1);
    // A value other than the default is another request: its answer differs (no totalCount).
    const noCount = await h.get(`${base}?itemsPerPage=500&includeCount=false`);
    expect(noCount.headers.get('x-cache')).toBe('MISS');
    expect(await noCount.json()).not.toHaveProperty('totalCount');
    expect(await h.simCalls('listGroupClusterBackupExports')).toBe(2);
  });

  it('ten viewers opening one cluster’s history at once, beside the watch’s check of it, cost Atlas three list calls', async () => {
    // A long TTL: this is about which requests share an answer, not about expiry (case 60).
    h = await startHarness({ env: { PROXY_CACHE_TTL_MS: '60000' } });
    const { groupId, clusterName } = await worldOf(h);
    const params = { groupId, clusterName };
    expect((await h.get(`${V2}/groups`)).status).toBe(200);
    // The watch checks the cluster's newest jobs first (atlas-watch/watch.ts checkExports).
    const watchCheck = await h.get(pathFor('listGroupClusterBackupExports', params, { itemsPerPage: 500, pageNum: 1 }));
    expect(watchCheck.status).toBe(200);
    // Each viewer walks the history as the SPA does (walkPages, the SPA's own page query): six at once, then four
    // more once the first walks are over.
    const viewer = async () => {
      const jobs: unknown[] = [];
      const fetchPage = async (n: number) => {
        const res = await h!.get(atlasUrl('listGroupClusterBackupExports', params, historyPageQuery(n)));
        expect(res.status).toBe(200);
        return (await res.json()) as ExportJobPage;
      };
      for await (const { page } of walkPages(fetchPage, { from: 1 })) jobs.push(...page.results);
      return jobs.length;
    };
    const first = await Promise.all(Array.from({ length: 6 }, viewer));
    const later = await Promise.all(Array.from({ length: 4 }, viewer));
    const total = ((await watchCheck.json()) as ExportJobPage).totalCount ?? 0;
    expect(total).toBeGreaterThan(1000);
    expect([...first, ...later]).toEqual(Array(10).fill(total));
    // Pages 1, 2 and 3 of 500, each asked of Atlas once, the watch's check included.
    expect(await h.simCalls('listGroupClusterBackupExports')).toBe(Math.ceil(total / 500));
  });

  it('case 59 the first waiter aborting does not fail the others', async () => {
    h = await startHarness({ env: { PROXY_CACHE_TTL_MS: '0' } });
    expect((await h.get(`${V2}/groups?pageNum=9`)).status).toBe(200);
    await h.fault({ match: 'listGroups', latencyMs: 400, times: 1 });
    const controller = new AbortController();
    const first = fetch(`${h.url}${V2}/groups`, { signal: controller.signal }).catch(() => 'aborted');
    await eventually(async () => expect(await h!.simCalls('listGroups')).toBe(2));
    const others = Array.from({ length: 5 }, () => h!.get(`${V2}/groups`));
    await eventually(() => expect(h!.server.proxy.cache.waiting).toBe(6));
    controller.abort();
    expect(await first).toBe('aborted');
    const statuses = await Promise.all(others.map(async (r) => (await r).status));
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(await h.simCalls('listGroups')).toBe(2);
  });

  it('case 60 after the TTL a new upstream call is made; errors are never cached', async () => {
    h = await startHarness({ env: { PROXY_CACHE_TTL_MS: '200' } });
    expect((await h.get(`${V2}/groups`)).headers.get('x-cache')).toBe('MISS');
    expect((await h.get(`${V2}/groups`)).headers.get('x-cache')).toBe('HIT');
    await eventually(async () => expect((await h!.get(`${V2}/groups`)).headers.get('x-cache')).toBe('MISS'), 3000, 50);
    await h.fault({ match: 'listOrgs', status: 500, times: 3 });
    expect((await h.get(`${V2}/orgs`)).status).toBe(502);
    const after = await h.get(`${V2}/orgs`);
    expect(after.status).toBe(200);
    expect(after.headers.get('x-cache')).toBe('MISS');
  });

  it('case 60 many distinct keys keep the cache bounded', async () => {
    h = await startHarness({ env: { PROXY_CACHE_MAX_ENTRIES: '50', PROXY_UPSTREAM_BURST: '1000' } });
    for (let i = 1; i <= 300; i += 30) {
      await Promise.all(Array.from({ length: 30 }, (_, j) => h!.get(`${V2}/groups?pageNum=${i + j}`)));
    }
    expect(h.server.proxy.cache.size).toBeLessThanOrEqual(50);
    expect(await h.simCalls('listGroups')).toBe(300);
  });

  it('case 67 an inbound burst of distinct requests is refused locally before it burns the Atlas quota', async () => {
    h = await startHarness({ env: { PROXY_UPSTREAM_BURST: '20', PROXY_UPSTREAM_RATE_PER_SEC: '1' } });
    const started = Date.now();
    const all = await Promise.all(Array.from({ length: 100 }, (_, i) => h!.get(`${V2}/groups?pageNum=${i + 1}`)));
    const elapsedSec = (Date.now() - started) / 1000;
    const ok = all.filter((r) => r.status === 200).length;
    const limited = all.filter((r) => r.status === 429);
    // The burst, plus what the bucket refilled (1/s) while the requests were being served.
    expect(ok).toBeGreaterThanOrEqual(20);
    expect(ok).toBeLessThanOrEqual(21 + Math.ceil(elapsedSec));
    expect(limited.length).toBe(100 - ok);
    expect(limited[0]!.headers.get('retry-after')).toBe('1');
    expect(((await limited[0]!.json()) as { errorCode: string }).errorCode).toBe('PROXY_RATE_LIMITED');
    expect(await h.simCalls('listGroups')).toBe(ok);
  });
});
