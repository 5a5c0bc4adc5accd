/** `GET /metrics`: Prometheus text, counters that move with traffic, and the API's access control in front. */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/harness.ts';

const V2 = '/api/atlas/v2';
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The value of one sample line (`name{labels} value`), 0 when the series does not exist yet. */
async function sample(h: Harness, series: string, headers?: Record<string, string>): Promise<number> {
  const res = await h.get('/metrics', headers);
  expect(res.status).toBe(200);
  const text = await res.text();
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('GET /metrics', () => {
  it('counts requests by route and status, cache hits and misses, Atlas calls and tokens minted', async () => {
    h = await startHarness({ env: { PROXY_CACHE_TTL_MS: '5000' } });
    const res = await h.get('/metrics');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const route = `dashboard_http_requests_total{route="${V2}/groups",status="200"}`;
    expect(await sample(h, route)).toBe(0);
    expect(await sample(h, 'dashboard_atlas_tokens_minted_total')).toBe(0);
    for (let i = 0; i < 3; i++) expect((await h.get(`${V2}/groups`)).status).toBe(200);
    expect((await h.get(`${V2}/groups?itemsPerPage=9999`)).status).toBe(400);
    expect(await sample(h, route)).toBe(3);
    expect(await sample(h, `dashboard_http_requests_total{route="${V2}/groups",status="400"}`)).toBe(1);
    expect(await sample(h, 'dashboard_proxy_cache_total{result="miss"}')).toBe(1);
    expect(await sample(h, 'dashboard_proxy_cache_total{result="hit"}')).toBe(2);
    expect(await sample(h, 'dashboard_atlas_tokens_minted_total')).toBe(1);
    expect(await sample(h, 'dashboard_atlas_requests_total{operation="listGroups",status="200"}')).toBe(1);
    expect(await sample(h, 'dashboard_atlas_request_duration_seconds_count{operation="listGroups"}')).toBe(1);
    expect(await sample(h, 'dashboard_atlas_requests_total{operation="oauthToken",status="200"}')).toBe(1);
    // Issue 16 item 12: a 401 from Atlas carries a Digest challenge even to a bearer token; in service-account
    // mode that is no Digest traffic, and the Digest counter is not even exposed.
    await h.fault({ match: 'listOrgs', status: 401, times: 1 });
    expect((await h.get(`${V2}/orgs`)).status).toBe(200);
    expect(await h.simCalls('listOrgs')).toBe(2);
    expect(await (await h.get('/metrics')).text()).not.toContain('dashboard_atlas_digest_challenges_total');
  });

  it('counts Digest challenges and 429 cool-downs', async () => {
    h = await startHarness({ auth: 'apiKey', env: { PROXY_CACHE_TTL_MS: '0' } });
    expect((await h.get(`${V2}/groups`)).status).toBe(200);
    expect(await sample(h, 'dashboard_atlas_digest_challenges_total')).toBeGreaterThanOrEqual(1);
    await h.fault({ match: 'listOrgs', status: 429, retryAfter: 30, times: 1 });
    expect((await h.get(`${V2}/orgs`)).status).toBe(429);
    expect(await sample(h, 'dashboard_atlas_rate_limit_cooldowns_total')).toBe(1);
  });

  it('sits behind the same access control as the API: Host guard, Basic auth', async () => {
    h = await startHarness({ env: { DASHBOARD_BASIC_AUTH: 'ops:correct-horse-battery' } });
    expect((await h.get('/metrics')).status).toBe(401);
    const authz = { authorization: `Basic ${Buffer.from('ops:correct-horse-battery').toString('base64')}` };
    expect(await sample(h, 'dashboard_atlas_tokens_minted_total', authz)).toBe(0);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${h!.url}/metrics`, { headers: { ...authz, host: 'evil.example' } }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });
});
