/** The /__sim control surface: stats, faults, reset, determinism, prompt close, concurrency. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/server.ts';
import { rawRequest } from '../integration/support/raw-http.ts';
import { API, bearerClient, control, digestFetch, token, world, type WorldSummary } from '../support/sim-client.ts';

type Stats = {
  requests: { total: number; byOperation: Record<string, number>; inFlight?: number; inFlightMax?: number };
  tokensIssued: number;
};

let sim: RunningSimulator;
let get: ReturnType<typeof bearerClient>;
let w: WorldSummary;
beforeAll(async () => {
  sim = await startSimulator({ rateLimits: false });
  w = await world(sim.url);
});
afterAll(() => sim?.close());
beforeEach(async () => {
  await control(sim.url, 'reset', {});
  get = bearerClient(sim.url, await token(sim.url));
});

const exportsPath = () => `${API}/groups/${w.bigCluster.groupId}/clusters/${w.bigCluster.name}/backup/exports`;
const fault = (f: Record<string, unknown>) => control(sim.url, 'faults', f);

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('GET /__sim/stats', () => {
  it('counts every request by operationId, Digest challenges, token requests and unknown paths; not /__sim', async () => {
    await control(sim.url, 'reset', {});
    await token(sim.url);
    expect((await digestFetch(sim.url, `${API}/groups`)).status).toBe(200);
    await fetch(`${sim.url}/nothing/here`);
    await fetch(`${sim.url}${API}/groups/0123456789abcdef01234567/nope`);
    await control(sim.url, 'world');
    const stats = (await control(sim.url, 'stats')) as Stats;
    expect(stats).toEqual({
      requests: {
        total: 5,
        byOperation: { oauthToken: 1, listGroups: 2, unknown: 2 },
        inFlight: 0,
        inFlightMax: 1,
        // Per project: only a request under /groups/{groupId} counts (Atlas's per-project rate-limit scope).
        byProject: { '0123456789abcdef01234567': { total: 1, maxPerMinute: 1 } },
      },
      tokensIssued: 1,
      tokensRevoked: 0,
      activeTokens: 1,
    });
  });

  it('measures how many requests it answered at once (inFlightMax), until the next reset', async () => {
    await control(sim.url, 'reset', {});
    await fault({ match: 'listGroups', latencyMs: 150 });
    const bearer = bearerClient(sim.url, await token(sim.url));
    await Promise.all(Array.from({ length: 3 }, () => bearer(`${API}/groups`)));
    expect((await control(sim.url, 'stats')) as Stats).toMatchObject({ requests: { inFlight: 0, inFlightMax: 3 } });
    await control(sim.url, 'reset', {});
    expect((await control(sim.url, 'stats')) as Stats).toMatchObject({ requests: { inFlight: 0, inFlightMax: 0 } });
  });
});

describe('POST /__sim/faults', () => {
  it('error faults answer an ApiError with the fitting code, `times` times, and still count', async () => {
    await fault({ match: 'listGroupClusterBackupExports', status: 503, times: 1 });
    const res = await get(exportsPath());
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: 503, errorCode: 'SERVICE_UNAVAILABLE' });
    expect((await get(exportsPath())).status).toBe(200);
    expect(((await control(sim.url, 'stats')) as Stats).requests.byOperation.listGroupClusterBackupExports).toBe(2);
  });

  it('429 carries Retry-After; 403 names the missing role; 401 and 500 have their codes', async () => {
    await fault({ match: 'listGroupClusterBackupExports', status: 429, retryAfter: 7, times: 1 });
    const limited = await get(exportsPath());
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await limited.json()).toMatchObject({ error: 429, errorCode: 'RATE_LIMITED' });
    await fault({ match: 'listGroupClusterBackupExports', status: 403, times: 1 });
    const forbidden = (await (await get(exportsPath())).json()) as { errorCode: string; detail: string };
    expect(forbidden.errorCode).toBe('USER_UNAUTHORIZED');
    expect(forbidden.detail).toContain('Project Backup Manager');
    await fault({ match: '*', status: 401, times: 1 });
    expect(await (await get(`${API}/orgs`)).json()).toMatchObject({ errorCode: 'UNAUTHORIZED' });
    await fault({ match: '/backup/exportBuckets', status: 500, times: 1 });
    expect(await (await get(`${API}/groups/${w.bigCluster.groupId}/backup/exportBuckets`)).json()).toMatchObject({
      errorCode: 'UNEXPECTED_ERROR',
    });
  });

  it('applies before auth, so the token endpoint can fail too', async () => {
    await fault({ match: 'oauthToken', status: 500, times: 1 });
    await expect(token(sim.url)).rejects.toThrow(/500/);
    await expect(token(sim.url)).resolves.toBeTruthy();
  });

  it('latencyMs alone delays the normal answer', async () => {
    await fault({ match: 'getOrg', latencyMs: 300, times: 1 });
    const t0 = performance.now();
    const res = await get(`${API}/orgs/${w.orgs[0]!.id}`);
    expect(res.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('reset destroys the connection; malformed answers 200 with broken JSON; DELETE clears', async () => {
    await fault({ match: 'listOrgs', kind: 'reset', times: 1 });
    await expect(get(`${API}/orgs`)).rejects.toThrow();
    await fault({ match: 'listOrgs', kind: 'malformed', times: 1 });
    const bad = await get(`${API}/orgs`);
    expect(bad.status).toBe(200);
    await expect(bad.json()).rejects.toThrow();
    await fault({ match: 'listOrgs', status: 500 });
    await control(sim.url, 'faults', undefined, 'DELETE');
    expect((await get(`${API}/orgs`)).status).toBe(200);
  });

  it('hang never answers until the client gives up', async () => {
    await fault({ match: 'listOrgs', kind: 'hang', times: 1 });
    await expect(get(`${API}/orgs`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect((await get(`${API}/orgs`)).status).toBe(200);
  });

  it('rejects an invalid fault', async () => {
    const res = await fetch(`${sim.url}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"status":500}',
    });
    expect(res.status).toBe(400);
  });
});

describe('reset, determinism, closing, concurrency', () => {
  it('POST /__sim/reset restores the seeded world', async () => {
    const before = await (await get(`${exportsPath()}?itemsPerPage=3`)).text();
    await control(sim.url, 'clock', { advanceMs: 600_000 });
    expect(await (await get(`${exportsPath()}?itemsPerPage=3`)).text()).not.toBe(before);
    await control(sim.url, 'reset', {});
    const again = bearerClient(sim.url, await token(sim.url));
    const after = await (await again(`${exportsPath()}?itemsPerPage=3`)).json();
    // Real time moves on between the two reads; compare what the seed fixes.
    const pick = (p: { results: { id: string; snapshotId: string; createdAt: string }[] }) =>
      p.results.map((j) => [j.id, j.snapshotId, j.createdAt]);
    expect(pick(after as never)).toEqual(pick(JSON.parse(before) as never));
  });

  it('the same seed and start time give the same world; another seed another one', async () => {
    const startTime = Date.UTC(2026, 10, 29, 9);
    const a = await startSimulator({ seed: 7, startTime, speed: 0 });
    const b = await startSimulator({ seed: 7, startTime, speed: 0 });
    const c = await startSimulator({ seed: 8, startTime, speed: 0 });
    try {
      const body = async (s: RunningSimulator) => {
        const sw = await world(s.url);
        const text = await (
          await bearerClient(
            s.url,
            await token(s.url),
          )(`${API}/groups/${sw.bigCluster.groupId}/clusters/${sw.bigCluster.name}/backup/exports?itemsPerPage=50`)
        ).text();
        return text.replaceAll(s.url, 'BASE');
      };
      const [ta, tb, tc] = await Promise.all([body(a), body(b), body(c)]);
      expect(ta).toBe(tb);
      expect(tc).not.toBe(ta);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('close() is prompt even with keep-alive sockets and a hung request', async () => {
    const s = await startSimulator();
    const tk = await token(s.url);
    await control(s.url, 'faults', { match: 'listOrgs', kind: 'hang' });
    const hung = fetch(`${s.url}${API}/orgs`, {
      headers: { authorization: `Bearer ${tk}`, accept: 'application/vnd.atlas.2025-03-12+json' },
    }).catch((e: unknown) => e);
    await until(
      () => control(s.url, 'stats') as Promise<Stats>,
      (st) => (st.requests.byOperation.listOrgs ?? 0) > 0,
    );
    const t0 = performance.now();
    await s.close();
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(await hung).toBeInstanceOf(Error);
  });

  it('serves 100 concurrent requests', async () => {
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        get(`${exportsPath()}?itemsPerPage=10&pageNum=${(i % 20) + 1}`).then((r) => r.status),
      ),
    );
    expect(new Set(results)).toEqual(new Set([200]));
  });
});

describe('/__sim refuses what a hostile page could send', () => {
  const post = (path: string, body: string, headers: Record<string, string>) =>
    fetch(`${sim.url}/__sim/${path}`, { method: 'POST', headers, body });
  const listed = async () => ((await control(sim.url, 'faults')) as { faults: unknown[] }).faults.length;
  const aFault = JSON.stringify({ match: 'listGroups', status: 500 });

  it.each([
    ['text/plain', 'text/plain'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['no type', ''],
  ])('a POST with %s (a "simple" cross-origin request) -> 415, nothing changes', async (_, type) => {
    const res = await post('faults', aFault, type ? { 'content-type': type } : {});
    expect(res.status).toBe(415);
    expect(await listed()).toBe(0);
    expect((await post('reset', '{}', type ? { 'content-type': type } : {})).status).toBe(415);
    expect((await post('clock', '{"advanceMs":1}', type ? { 'content-type': type } : {})).status).toBe(415);
  });

  it.each([
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
    ['a foreign Origin', { origin: 'http://evil.example' }],
    ['another local port', { origin: 'http://127.0.0.1:1' }],
    ['Origin: null', { origin: 'null' }],
  ])('%s -> 403, for writes and reads', async (_, headers) => {
    const res = await post('faults', aFault, { 'content-type': 'application/json', ...headers });
    expect(res.status).toBe(403);
    expect(await listed()).toBe(0);
    expect((await fetch(`${sim.url}/__sim/stats`, { headers })).status).toBe(403);
    expect((await fetch(`${sim.url}/__sim/faults`, { method: 'DELETE', headers })).status).toBe(403);
  });

  it('DNS rebinding (issue 16 item 10): Host evil.example with a matching Origin and same-origin metadata -> 421, nothing changes', async () => {
    const { port } = new URL(sim.url);
    const evil = `evil.example:${port}`;
    const write = await rawRequest(
      sim.url,
      'POST /__sim/faults HTTP/1.1',
      {
        Host: evil,
        Origin: `http://${evil}`,
        'Sec-Fetch-Site': 'same-origin',
        'Content-Type': 'application/json',
        'Content-Length': String(Buffer.byteLength(aFault)),
      },
      aFault,
    );
    expect(write.status).toBe(421);
    expect(await listed()).toBe(0);
    for (const line of ['GET /__sim/stats HTTP/1.1', 'POST /__sim/reset HTTP/1.1', 'GET /__sim/world HTTP/1.1'])
      expect((await rawRequest(sim.url, line, { Host: evil, 'Content-Length': '0' })).status).toBe(421);
    // Loopback names with any port still work (tests, the bench, a browser on localhost).
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, 'localhost'])
      expect((await rawRequest(sim.url, 'GET /__sim/stats HTTP/1.1', { Host: host })).status).toBe(200);
  });

  it('its own origin, same-origin fetch metadata and JSON (what tests and the bench send) still work', async () => {
    const res = await post('faults', aFault, {
      'content-type': 'application/json; charset=utf-8',
      origin: sim.url,
      'sec-fetch-site': 'same-origin',
    });
    expect(res.status).toBe(200);
    expect(await listed()).toBe(1);
    expect((await fetch(`${sim.url}/__sim/faults`, { method: 'DELETE' })).status).toBe(200);
    expect(await listed()).toBe(0);
  });
});
