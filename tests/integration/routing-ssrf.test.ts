/**
 * SECURITY.md A.1-15: what may be forwarded, and where. Every rejected request must leave the simulator
 * untouched: not a single call (no token request either).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from './support/raw-http.ts';
import { isTokenRequest, sendJson, sendToken, startStub, type Stub } from './support/stub-upstream.ts';
import { startHarness, startProxy, worldOf, type Harness, type ProxyOnly } from './support/harness.ts';

let h: Harness;
let g: string; // a real project id
let c: string; // a real cluster name
beforeAll(async () => {
  h = await startHarness();
  ({ groupId: g, clusterName: c } = await worldOf(h));
});
afterAll(() => h.close());

const V2 = '/api/atlas/v2';

async function expectRejected(target: string, status: number | number[]) {
  const before = await h.simCalls();
  const res = await rawRequest(h.url, `GET ${target} HTTP/1.1`);
  expect([status].flat(), `${target} -> ${res.status}`).toContain(res.status);
  expect(res.headers['content-type']).toContain('application/json');
  expect(await h.simCalls(), `${target} reached the simulator`).toBe(before);
  return res;
}

describe('routing and SSRF', () => {
  it('serves a valid request (control)', async () => {
    expect((await rawRequest(h.url, `GET ${V2}/groups/${g}/clusters/${c}/backup/exports HTTP/1.1`)).status).toBe(200);
  });

  it.each([
    ['1 dot-dot segments', `${V2}/groups/../../admin`],
    ['2 %2e%2e', `${V2}/groups/%2e%2e/%2e%2e/x`],
    ['2 .%2E', `${V2}/groups/.%2E/x`],
    ['2 %2E%2e', `${V2}/groups/%2E%2e`],
    ['3 encoded slash in a param', `${V2}/groups/GID/clusters/foo%2F..%2F..%2Fx/backup/exports`],
    ['4 double-encoded dots', `${V2}/groups/%252e%252e/x`],
    ['4 double-encoded slash', `${V2}/groups/GID/clusters/a%252Fb`],
    ['5 backslash', `${V2}/groups/a\\..\\x`],
    ['5 %5C', `${V2}/groups/GID/clusters/a%5C..%5Cx`],
    ['6 scheme-relative target', '//evil.example/x'],
    ['6 absolute-form', `http://evil.example${V2}/groups`],
    ['8 %00', `${V2}/groups/GID%00`],
    ['8 %0d%0a', `${V2}/groups/GID/clusters/abc%0d%0aX-Evil:1`],
    ['8 %09', `${V2}/groups/GID/clusters/a%09b`],
    ['8 %23', `${V2}/groups/GID/clusters/a%23b`],
  ])('case %s -> 400, no upstream call', async (_, target) => {
    await expectRejected(target.replace('GID', g), 400);
  });

  it.each([
    ['7 extra slashes', '/api//groups///id'],
    ['7 extra slash after prefix', `${V2}//groups`],
    ['9 non-allowlisted Atlas path', `${V2}/orgs/5f0000000000000000000001/apiKeys`],
    ['9 another one', `${V2}/groups/GID/databaseUsers`],
    ['9 the API root', V2],
  ])('case %s -> 404, no catch-all forwarding', async (_, target) => {
    await expectRejected(target.replace('GID', g), 404);
  });

  it.each([
    ['23 chars', '5f000000000000000000001'],
    ['25 chars', '5f00000000000000000000011'],
    ['uppercase hex', '5F0000000000000000000001'],
    ['non-hex', '5g0000000000000000000001'],
  ])('case 10 groupId %s -> 400', async (_, id) => {
    const res = await expectRejected(`${V2}/groups/${id}/clusters`, 400);
    expect(JSON.parse(res.body)).toMatchObject({ error: 400, errorCode: 'INVALID_PATH_PARAMETER' });
  });

  it.each([
    ['leading dash', '-a'],
    ['underscore', 'a_b'],
    ['dot', 'a.b'],
    ['unicode', '%C3%A9t%C3%A9'],
    ['65 chars', 'a'.repeat(65)],
  ])('case 11 clusterName %s -> 400', async (_, name) => {
    await expectRejected(`${V2}/groups/${g}/clusters/${name}`, 400);
  });

  it('case 7/10 a trailing slash -> 400/404', async () => {
    await expectRejected(`${V2}/groups/`, [400, 404]);
    await expectRejected(`${V2}/groups/${g}/`, [400, 404]);
  });

  it('case 11 empty clusterName -> 404 (shape does not match)', async () => {
    await expectRejected(`${V2}/groups/${g}/clusters//backup/exports`, [400, 404]);
  });

  it.each([
    ['13 duplicate param', 'itemsPerPage=1&itemsPerPage=500'],
    ['14 itemsPerPage=0', 'itemsPerPage=0'],
    ['14 itemsPerPage=501', 'itemsPerPage=501'],
    ['14 itemsPerPage=-1', 'itemsPerPage=-1'],
    ['14 itemsPerPage=1e3', 'itemsPerPage=1e3'],
    ['14 itemsPerPage=abc', 'itemsPerPage=abc'],
    ['14 pageNum=0', 'pageNum=0'],
    ['25 CRLF in a value', 'pageNum=1%0d%0aX-Evil:1'],
    ['boolean not true/false', 'includeCount=yes'],
  ])('case %s -> 400', async (_, query) => {
    const res = await expectRejected(`${V2}/groups/${g}/clusters/${c}/backup/exports?${query}`, 400);
    expect(JSON.parse(res.body)).toMatchObject({ errorCode: 'INVALID_QUERY_PARAMETER' });
  });

  it('case 15 a query over 2 KB -> 414; headers over 16 KiB -> 431', async () => {
    await expectRejected(`${V2}/groups?name=${'a'.repeat(2100)}`, 414);
    const before = await h.simCalls();
    const res = await rawRequest(h.url, `GET ${V2}/groups HTTP/1.1`, { 'X-Big': 'x'.repeat(17 * 1024) });
    expect(res.status).toBe(431);
    expect(await h.simCalls()).toBe(before);
  });
});

describe('what reaches upstream', () => {
  let stub: Stub;
  let p: ProxyOnly;
  beforeAll(async () => {
    stub = await startStub((req, res) => (isTokenRequest(req) ? sendToken(res) : sendJson(res, 200, { results: [] })));
    p = await startProxy(stub.url, { env: { PROXY_CACHE_TTL_MS: '0' } });
  });
  afterAll(async () => {
    await p.close();
    await stub.close();
  });
  const lastApiCall = () => stub.calls.filter((x) => x.url !== '/api/oauth/token').at(-1)!;

  it('case 12 unknown and shape-changing params are dropped; the query is canonical (sorted)', async () => {
    const res = await p.get(
      `${V2}/groups?pretty=true&envelope=true&foo=bar&_method=DELETE&pageNum=2&includeCount=false`,
    );
    expect(res.status).toBe(200);
    expect(lastApiCall().url).toBe(`${V2}/groups?includeCount=false&pageNum=2`);
  });

  it('case 6/21 the upstream Host is the configured origin, whatever the client says', async () => {
    await p.get(`${V2}/groups`, {
      'x-forwarded-host': 'evil.example',
      forwarded: 'host=evil.example',
      'x-forwarded-proto': 'http',
    });
    expect(lastApiCall().headers.host).toBe(new URL(stub.url).host);
  });
});
