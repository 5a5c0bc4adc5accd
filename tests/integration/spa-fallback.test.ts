/**
 * Issue 7: any path below the SPA's route prefixes gets the app (which explains a bad address itself), while the
 * API keeps refusing encoded slashes and every path keeps refusing dot segments. Raw requests, no URL clean-up.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from './support/raw-http.ts';
import { isTokenRequest, sendJson, sendToken, startStub, type Stub } from './support/stub-upstream.ts';
import { startProxy, type ProxyOnly } from './support/harness.ts';

const G = '5f0000000000000000000001';
let stub: Stub;
let p: ProxyOnly;
let dist: string;

beforeAll(async () => {
  dist = mkdtempSync(path.join(os.tmpdir(), 'dist-'));
  mkdirSync(path.join(dist, 'assets'));
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>app</title>');
  stub = await startStub((req, res) => (isTokenRequest(req) ? sendToken(res, 't') : sendJson(res, 200, {})));
  p = await startProxy(stub.url, { env: { PROXY_CACHE_TTL_MS: '0' }, distDir: dist });
});
afterAll(async () => {
  await p.close();
  await stub.close();
  rmSync(dist, { recursive: true, force: true });
});

describe('SPA fallback', () => {
  it.each([
    `/projects/${G}/clusters/a%2Fb/exports`,
    `/projects/${G}/clusters/bad.name/exports`,
    `/projects/${G}/clusters/x/exports/abc.def`,
    '/projects/not-a-project',
    '/projects',
  ])('%s -> index.html', async (target) => {
    const res = await rawRequest(p.url, `GET ${target} HTTP/1.1`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('<!doctype html>');
  });

  it.each([
    [`/api/atlas/v2/groups/${G}/clusters/a%2Fb/backup/exports`, 400],
    ['/projects/../.env', 400],
    ['/projects/%2e%2e/.env', 400],
    ['/projects/x%5cy', 400],
    ['/api/nope.json', 404],
    ['/not-the-app/x.js', 404],
  ])('%s -> %i, never index.html', async (target, status) => {
    const res = await rawRequest(p.url, `GET ${target} HTTP/1.1`);
    expect(res.status).toBe(status);
    expect(res.body).not.toContain('<!doctype html>');
  });
});
