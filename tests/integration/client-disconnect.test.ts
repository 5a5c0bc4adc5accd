/**
 * A viewer who closes the tab before Atlas answers: logged as 499 (client closed, as nginx logs it), never as
 * an upstream failure, and the Atlas call already under way still fills the cache for the next viewer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startHarness, worldOf, type Harness } from './support/harness.ts';

const V2 = '/api/atlas/v2';
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const requestLines = (logs: string[]) =>
  logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');

const BASIC = { DASHBOARD_BASIC_AUTH: 'ops:correct-horse-battery' };
const AUTHZ = { authorization: `Basic ${Buffer.from('ops:correct-horse-battery').toString('base64')}` };

describe.each([
  ['node:http fast path', {}, {}],
  ['Hono path (Basic auth configured)', BASIC, AUTHZ],
])('client disconnect, %s', (_, env: Record<string, string>, headers: Record<string, string>) => {
  it('is logged as 499 with no upstream status, and the upstream answer still fills the cache', async () => {
    h = await startHarness({ env: { PROXY_CACHE_TTL_MS: '5000', ...env } });
    const { groupId, clusterName } = await worldOf(h);
    const path = `${V2}/groups/${groupId}/clusters/${clusterName}/backup/exports?itemsPerPage=10`;
    expect((await h.get(`${V2}/groups`, headers)).status).toBe(200); // token warm
    await h.fault({ match: 'listGroupClusterBackupExports', latencyMs: 400, times: 1 });
    const controller = new AbortController();
    const gone = fetch(h.url + path, { signal: controller.signal, headers }).catch(() => 'aborted');
    await eventually(async () => expect(await h!.simCalls('listGroupClusterBackupExports')).toBe(1));
    controller.abort();
    expect(await gone).toBe('aborted');

    const line = await eventually(() => {
      const found = requestLines(h!.logs).find(
        (l) => l.route === `${V2}/groups/{groupId}/clusters/{clusterName}/backup/exports`,
      );
      expect(found).toBeDefined();
      return found!;
    });
    expect(line.status).toBe(499);
    expect(line).not.toHaveProperty('upstreamMs');
    expect(requestLines(h.logs).some((l) => l.status === 502)).toBe(false);

    // The next viewer is served from the answer the first one's request fetched: no second Atlas call.
    const next = await eventually(
      async () => {
        const res = await h!.get(path, headers);
        expect(res.headers.get('x-cache')).toBe('HIT');
        return res;
      },
      3000,
      50,
    );
    expect(next.status).toBe(200);
    expect(((await next.json()) as { results: unknown[] }).results).toHaveLength(10);
    expect(await h.simCalls('listGroupClusterBackupExports')).toBe(1);
  });
});
