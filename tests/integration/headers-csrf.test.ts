/**
 * SECURITY.md B.16-26 and G.61-62, 64: methods, inbound and outbound header hygiene, DNS rebinding, fetch
 * metadata, and the headers on API answers and on the SPA. A stub upstream records exactly what it receives.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from './support/raw-http.ts';
import { isTokenRequest, sendJson, sendToken, startStub, type Stub } from './support/stub-upstream.ts';
import { startProxy, type ProxyOnly } from './support/harness.ts';

const V2 = '/api/atlas/v2';
const TOKEN = 'stub-access-token-0123456789';
let stub: Stub;
let p: ProxyOnly;
let dist: string;
const apiCalls = () => stub.calls.filter((c) => c.url !== '/api/oauth/token');

beforeAll(async () => {
  dist = mkdtempSync(path.join(os.tmpdir(), 'dist-'));
  mkdirSync(path.join(dist, 'assets'));
  writeFileSync(
    path.join(dist, 'index.html'),
    '<!doctype html><script type="module" src="/assets/app-Ab12Cd34.js"></script>',
  );
  writeFileSync(path.join(dist, 'assets', 'app-Ab12Cd34.js'), 'console.log("app")');
  writeFileSync(path.join(dist, 'assets', 'app-Ab12Cd34.js.map'), '{}');
  stub = await startStub((req, res) => {
    if (isTokenRequest(req)) return sendToken(res, TOKEN);
    sendJson(
      res,
      200,
      { results: [] },
      {
        'set-cookie': 'atlas=1; Secure',
        'strict-transport-security': 'max-age=31536000',
        server: 'AtlasFrontend',
        'x-powered-by': 'Atlas',
        'www-authenticate': 'Digest realm="x"',
        'access-control-allow-origin': '*',
        'ratelimit-limit': '100',
      },
    );
  });
  p = await startProxy(stub.url, { env: { PROXY_CACHE_TTL_MS: '0' }, distDir: dist });
});
afterAll(async () => {
  await p.close();
  await stub.close();
  rmSync(dist, { recursive: true, force: true });
});

describe('methods', () => {
  it.each(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])(
    'case 16 %s on API routes -> 405 + Allow, no upstream call',
    async (method) => {
      const before = stub.calls.length;
      for (const route of [
        `${V2}/groups`,
        `${V2}/groups/5f0000000000000000000001/clusters/c1/backup/exports`,
        `${V2}/nope`,
      ]) {
        const res = await fetch(p.url + route, {
          method,
          headers: { origin: 'https://evil.example' },
          ...(method === 'POST' ? { body: '{}' } : {}),
        });
        expect(res.status).toBe(405);
        expect(res.headers.get('allow')).toBe('GET, HEAD');
        expect([...res.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
      }
      expect(stub.calls.length).toBe(before);
    },
  );

  it('case 17 method-override headers and ?_method are ignored: upstream sees GET', async () => {
    const res = await p.get(`${V2}/groups?_method=DELETE`, {
      'x-http-method-override': 'DELETE',
      'x-http-method': 'DELETE',
      'x-method-override': 'DELETE',
    });
    expect(res.status).toBe(200);
    const call = apiCalls().at(-1)!;
    expect(call.method).toBe('GET');
    expect(call.url).toBe(`${V2}/groups`);
    expect(Object.keys(call.headers).filter((k) => k.includes('method'))).toEqual([]);
  });

  it('case 26 a GET with a body -> 400; HEAD works without one', async () => {
    const res = await rawRequest(
      p.url,
      `GET ${V2}/groups HTTP/1.1`,
      { 'Content-Length': '2', 'Content-Type': 'application/json' },
      '{}',
    );
    expect(res.status).toBe(400);
    const head = await fetch(p.url + `${V2}/groups`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });
});

describe('inbound headers never reach Atlas', () => {
  it('cases 19-21, 24, 26: only the proxy’s own Authorization and Accept go upstream', async () => {
    const res = await p.get(`${V2}/groups`, {
      authorization: 'Bearer attacker-token',
      cookie: 'session=abc',
      'x-forwarded-for': '1.2.3.4',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'http',
      forwarded: 'for=1.2.3.4;host=evil.example',
      'x-real-ip': '1.2.3.4',
      accept: 'application/vnd.atlas.2099-01-01+json',
      'x-custom': 'y',
    });
    expect(res.status).toBe(200);
    const h = apiCalls().at(-1)!.headers;
    expect(h.authorization).toBe(`Bearer ${TOKEN}`);
    expect(h.accept).toBe('application/vnd.atlas.2023-01-01+json');
    for (const name of [
      'cookie',
      'x-forwarded-for',
      'x-forwarded-host',
      'x-forwarded-proto',
      'forwarded',
      'x-real-ip',
      'x-foo',
      'te',
      'upgrade',
      'x-custom',
      'origin',
      'referer',
    ]) {
      expect(h[name], name).toBeUndefined();
    }
  });

  it('case 26 hop-by-hop headers (Connection: x-foo, TE, Upgrade) are not forwarded', async () => {
    const res = await rawRequest(p.url, `GET ${V2}/groups?pageNum=7 HTTP/1.1`, {
      'X-Foo': 'bar',
      TE: 'trailers',
      Upgrade: 'websocket',
      Connection: 'x-foo',
    });
    expect(res.status).toBe(200);
    const h = apiCalls().at(-1)!.headers;
    expect(apiCalls().at(-1)!.url).toBe(`${V2}/groups?pageNum=7`);
    for (const name of ['x-foo', 'te', 'upgrade']) expect(h[name], name).toBeUndefined();
  });

  it('case 24 text/html Accept still gets the pinned Atlas version', async () => {
    await p.get(`${V2}/groups/5f0000000000000000000001/clusters`, { accept: 'text/html' });
    expect(apiCalls().at(-1)!.headers.accept).toBe('application/vnd.atlas.2024-08-05+json');
  });
});

describe('who may call', () => {
  it('case 22 a foreign Host (DNS rebinding) -> 421 and no upstream call', async () => {
    const before = stub.calls.length;
    for (const host of ['evil.example', 'evil.example:80', '127.0.0.1.evil.example']) {
      const res = await rawRequest(p.url, `GET ${V2}/groups HTTP/1.1`, { Host: host });
      expect(res.status).toBe(421);
    }
    expect((await rawRequest(p.url, 'GET / HTTP/1.1', { Host: 'evil.example' })).status).toBe(421);
    expect(stub.calls.length).toBe(before);
    expect((await rawRequest(p.url, `GET ${V2}/groups HTTP/1.1`, { Host: `localhost:${p.server.port}` })).status).toBe(
      200,
    );
  });

  it('case 23 Sec-Fetch-Site: cross-site and same-site -> 403; same-origin and absent -> 200', async () => {
    const before = stub.calls.length;
    expect((await p.get(`${V2}/groups`, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await p.get(`${V2}/groups`, { 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await p.get('/api/info', { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect(stub.calls.length).toBe(before);
    expect((await p.get(`${V2}/groups`, { 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await p.get(`${V2}/groups`)).status).toBe(200);
    // A link from elsewhere to a dashboard page (a navigation) still opens it.
    expect(
      (await p.get('/projects/abc', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' })).status,
    ).toBe(200);
  });

  it('case 18 OPTIONS and GET from a foreign Origin carry no CORS headers', async () => {
    for (const method of ['OPTIONS', 'GET']) {
      const res = await fetch(p.url + `${V2}/groups`, {
        method,
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
      });
      expect([...res.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
    }
  });
});

describe('response headers', () => {
  it('case 20, 61 API answers: strict headers, upstream Set-Cookie/Server/HSTS/WWW-Authenticate dropped', async () => {
    const res = await p.get(`${V2}/groups`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('ratelimit-limit')).toBe('100');
    for (const name of [
      'set-cookie',
      'server',
      'x-powered-by',
      'strict-transport-security',
      'www-authenticate',
      'access-control-allow-origin',
    ]) {
      expect(res.headers.get(name), name).toBeNull();
    }
    const notFound = await p.get('/api/nope');
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get('content-type')).toContain('application/json');
    expect(notFound.headers.get('cache-control')).toBe('no-store');
  });

  it('case 62 index.html: SPA CSP, no-referrer, no-cache; hashed assets immutable; deep links get index.html', async () => {
    const index = await p.get('/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    expect(index.headers.get('referrer-policy')).toBe('no-referrer');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const asset = await p.get('/assets/app-Ab12Cd34.js');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    const deep = await p.get('/projects/5f0000000000000000000001/clusters/Cluster0/exports?page=2');
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<!doctype html>');
  });

  it.each([
    ['/assets/../../server.js', 400],
    ['/%2e%2e/.env', 400],
    ['/.env', 404],
    ['/package.json', 404],
    ['/assets/app-Ab12Cd34.js.map', 404],
    ['/src/server/config.ts', 404],
  ])('case 64 %s -> %i, never a file outside dist or index.html', async (target, status) => {
    const res = await rawRequest(p.url, `GET ${target} HTTP/1.1`);
    expect(res.status).toBe(status);
    expect(res.body).not.toContain('<!doctype html>');
  });
});
