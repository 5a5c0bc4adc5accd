/**
 * Issue 16 item 12: every refusal in the dashboard's error shape (an ApiError, `X-Error-Source: dashboard`,
 * the API security headers), and /readyz telling only this host (or a signed-in caller) whether Atlas accepts
 * the credentials.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/harness.ts';
import { rawBytes } from './support/raw-http.ts';
import { requestFrom } from './support/from-address.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Bytes exactly as given (no Host added), the answer parsed. */
const raw = (url: string, head: string) => rawBytes(url, head + '\r\n\r\n', 5_000);

const getFrom = (base: string, from: string, path: string, headers: Record<string, string> = {}) =>
  requestFrom(base, from, path, { headers });

function expectDashboardRefusal(
  r: { status: number; headers: Record<string, string | string[] | undefined>; body: string },
  status: number,
  code: string,
) {
  expect(r.status).toBe(status);
  expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(r.headers['x-error-source']).toBe('dashboard');
  expect(r.headers['x-content-type-options']).toBe('nosniff');
  expect(r.headers['content-security-policy']).toMatch(/default-src/);
  expect(JSON.parse(r.body)).toMatchObject({ error: status, errorCode: code });
  expect((JSON.parse(r.body) as { detail: string }).detail).toMatch(/^The dashboard /);
}

describe('refusals in the dashboard shape', () => {
  it('HTTP/1.1 without Host, a Host with user info or a non-numeric port, an unknown file', async () => {
    h = await startHarness();
    const { port } = new URL(h.url);
    expectDashboardRefusal(await raw(h.url, 'GET /api/info HTTP/1.1\r\nConnection: close'), 400, 'MISSING_HOST');
    for (const host of [`user@127.0.0.1:${port}`, '127.0.0.1:abc', 'local host'])
      expectDashboardRefusal(
        await raw(h.url, `GET /api/info HTTP/1.1\r\nHost: ${host}\r\nConnection: close`),
        400,
        'INVALID_HOST',
      );
    const file = await h.get('/nope.txt');
    expectDashboardRefusal(
      { status: file.status, headers: Object.fromEntries(file.headers), body: await file.text() },
      404,
      'RESOURCE_NOT_FOUND',
    );
    // Still fine: HTTP/1.0 without Host reaches the Host check (421 for a name it does not serve), /healthz
    // answers any Host.
    expect((await raw(h.url, 'GET /healthz HTTP/1.1\r\nConnection: close')).status).toBe(200);
  });
});

describe('/readyz does not tell the network whether the Atlas credentials work', () => {
  const USER = 'operator';
  const PASSWORD = 'correct-horse-battery';
  const GOOD = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

  it('with Basic auth: this host reads the detail freely; another address must sign in and gets the status only', async () => {
    h = await startHarness({ env: { DASHBOARD_BASIC_AUTH: `${USER}:${PASSWORD}` } });
    const local = await getFrom(h.url, '127.0.0.1', '/readyz');
    expect(local.status).toBe(200);
    expect(JSON.parse(local.body)).toMatchObject({ status: 'ready', detail: expect.any(String) });
    expect(local.headers['cache-control']).toBe('no-store');
    const other = await getFrom(h.url, '127.0.8.1', '/readyz');
    expect(other.status).toBe(401);
    const signedIn = await getFrom(h.url, '127.0.8.1', '/readyz', { authorization: GOOD });
    expect(signedIn.status).toBe(200);
    expect(JSON.parse(signedIn.body)).toEqual({ status: 'ready' });
  });

  it('without Basic auth (loopback bind): another address gets the status only, never why', async () => {
    h = await startHarness({ auth: 'apiKey', credentials: { privateKey: '11111111-1111-4111-8111-111111111111' } });
    const other = await getFrom(h.url, '127.0.8.2', '/readyz');
    expect(other.status).toBe(503);
    expect(JSON.parse(other.body)).toEqual({ status: 'not ready' });
    const local = await getFrom(h.url, '127.0.0.1', '/readyz');
    expect(JSON.parse(local.body)).toMatchObject({ status: 'not ready', detail: expect.stringMatching(/API key/) });
  });
});
