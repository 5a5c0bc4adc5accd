/**
 * Issue 20: write mode's one write (createGroupClusterBackupExport) against the simulator over real HTTP.
 * Refusals cost Atlas nothing (counted at the simulator); a double submit with one Idempotency-Key makes one job;
 * Atlas's 403/404/409 come back as ApiErrors; every attempt lands in DATA_DIR/audit.jsonl.
 */
import { readFileSync } from 'node:fs';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../src/server/audit/audit.ts';
import { loadConfig } from '../../src/server/config.ts';
import { createValidator } from '../contract/simulator-schema.ts';
import { startHarness, type Harness } from './support/harness.ts';

const USER = 'ops-alice';
const PASSWORD = 'correct-horse-battery';
const AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
const OP = 'createGroupClusterBackupExport';
const validator = createValidator();
const expectValid = (schema: string, body: unknown) =>
  expect(validator.check(schema, body), JSON.stringify(body).slice(0, 300)).toBeUndefined();
let h: Harness;
let csrf: string;
let cookie = '';
let target: { groupId: string; clusterName: string; snapshotId: string; exportBucketId: string };
let n = 0;
const newKey = () => `test-key-${Date.now()}-${++n}-abcdef`;

async function sim(path: string, body?: unknown) {
  const res = await fetch(`${h.sim.url}/__sim/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  return res.json() as Promise<Record<string, unknown>>;
}

function post(
  body: unknown,
  o: { headers?: Record<string, string>; key?: string | null; path?: string; csrf?: string | null } = {},
): Promise<Response> {
  const { groupId, clusterName } = target;
  const url = new URL(h.url);
  return fetch(h.url + (o.path ?? `/api/atlas/v2/groups/${groupId}/clusters/${clusterName}/backup/exports`), {
    method: 'POST',
    headers: {
      authorization: AUTH,
      cookie,
      origin: url.origin,
      'sec-fetch-site': 'same-origin',
      'content-type': 'application/json',
      ...(o.csrf === null ? {} : { 'x-csrf-token': o.csrf ?? csrf }),
      ...(o.key === null ? {} : { 'idempotency-key': o.key ?? newKey() }),
      ...o.headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const audit = () =>
  readFileSync(auditFile, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as AuditRecord);
let auditFile = '';

beforeAll(async () => {
  const hash = bcrypt.hashSync(PASSWORD, 10);
  const dataDir = `/tmp/write-it-${process.pid}-${Date.now()}`;
  auditFile = `${dataDir}/audit.jsonl`;
  h = await startHarness({
    env: { DASHBOARD_BASIC_AUTH: `${USER}:${hash}`, DASHBOARD_WRITE: 'on', DATA_DIR: dataDir },
  });
  const res = await h.get('/api/session', { authorization: AUTH });
  cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  const w = (await sim('world')) as { noExportsCluster: { groupId: string; name: string } };
  const { groupId, name } = w.noExportsCluster;
  const snap = (await sim('snapshots', { groupId, clusterName: name })) as { id: string };
  const buckets = (await (
    await h.get(`/api/atlas/v2/groups/${groupId}/backup/exportBuckets`, { authorization: AUTH })
  ).json()) as { results: { _id: string }[] };
  target = { groupId, clusterName: name, snapshotId: snap.id, exportBucketId: buckets.results[0]!._id };
});
afterAll(async () => {
  await h?.close();
});

describe('start-up', () => {
  it('DASHBOARD_WRITE=on without access control refuses to start, naming what to set', () => {
    expect(() => loadConfig({ DASHBOARD_WRITE: 'on', HOST: '127.0.0.1' })).toThrow(
      /DASHBOARD_WRITE=on needs access control.*DASHBOARD_BASIC_AUTH/,
    );
    expect(() => loadConfig({ DASHBOARD_WRITE: 'yes' })).toThrow(/DASHBOARD_WRITE must be one of on, off/);
    expect(loadConfig({}).write.enabled).toBe(false);
  });
});

describe('refused before Atlas: 0 calls reach the simulator', () => {
  const body = () => ({ snapshotId: target.snapshotId, exportBucketId: target.exportBucketId });
  it.each([
    ['cross-site', { headers: { 'sec-fetch-site': 'cross-site' } }, 403, 'CROSS_SITE_REQUEST'],
    [
      'foreign Origin',
      { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' } },
      403,
      'CROSS_SITE_REQUEST',
    ],
    ['no CSRF token', { csrf: null }, 403, 'CSRF_TOKEN_INVALID'],
    ['wrong CSRF token', { csrf: 'x'.repeat(43) }, 403, 'CSRF_TOKEN_INVALID'],
    ['no Idempotency-Key', { key: null }, 400, 'IDEMPOTENCY_KEY_REQUIRED'],
    [
      'form-encoded',
      { headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
  ] as const)('%s -> %i %s', async (_name, o, status, code) => {
    const before = await h.simCalls();
    const res = await post(body(), o as Parameters<typeof post>[1]);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { errorCode: string }).errorCode).toBe(code);
    expect(await h.simCalls()).toBe(before);
  });
  it('bad bodies: unknown fields, bad ids, oversized customData -> 400 naming the field', async () => {
    const before = await h.simCalls();
    const cases: [unknown, string][] = [
      [{ ...body(), pointInTime: true }, 'pointInTime'],
      [{ ...body(), snapshotId: 'ABC' }, 'snapshotId'],
      [{ exportBucketId: target.exportBucketId }, 'snapshotId'],
      [{ ...body(), customData: [{ key: 'k', value: 'v'.repeat(256) }] }, 'customData.0.value'],
      [{ ...body(), customData: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' })) }, 'customData'],
      [{ ...body(), customData: [{ key: 'k', value: 'v', extra: 1 }] }, 'customData.0.extra'],
      ['{not json', ''],
    ];
    for (const [b, field] of cases) {
      const res = await post(b);
      expect(res.status, JSON.stringify(b).slice(0, 80)).toBe(400);
      const err = (await res.json()) as { badRequestDetail?: { fields: { field: string }[] }; detail: string };
      expectValid('ApiError', err);
      if (field) expect(err.badRequestDetail!.fields.map((f) => f.field)).toContain(field);
      expect(err.detail).toMatch(/Nothing was sent to Atlas|not valid JSON/);
    }
    expect(await h.simCalls()).toBe(before);
  });
  it('a viewer-less Basic user is an operator, but a GET-only route stays GET-only: the proxy never forwards other writes', async () => {
    const before = await h.simCalls();
    const res = await post({}, { path: `/api/atlas/v2/groups/${target.groupId}` });
    expect(res.status).toBe(405);
    expect(await h.simCalls()).toBe(before);
  });
});

describe('allowed', () => {
  it('a double submit with one Idempotency-Key makes one job (counted at the simulator) and answers the same', async () => {
    const key = newKey();
    const body = { ...target, customData: [{ key: 'reason', value: 'integration test' }] };
    delete (body as Partial<typeof body>).groupId;
    delete (body as Partial<typeof body>).clusterName;
    const before = await h.simCalls(OP);
    const [a, b] = await Promise.all([post(body, { key }), post(body, { key })]);
    const c = await post(body, { key });
    expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
    const [ja, jb, jc] = (await Promise.all([a.json(), b.json(), c.json()])) as Record<string, unknown>[];
    expectValid('DiskBackupExportJob', ja);
    expect(ja).toMatchObject({ state: 'Queued', snapshotId: target.snapshotId, exportBucketId: target.exportBucketId });
    expect(jb!.id).toBe(ja!.id);
    expect(jc!.id).toBe(ja!.id);
    expect(await h.simCalls(OP)).toBe(before + 1);
    // The new job is listed at once (the proxy's cached list is dropped).
    const list = (await (
      await h.get(`/api/atlas/v2/groups/${target.groupId}/clusters/${target.clusterName}/backup/exports`, {
        authorization: AUTH,
      })
    ).json()) as { results: { id: string }[] };
    expect(list.results[0]!.id).toBe(ja!.id);
    // The same key with another body is refused, not replayed.
    const other = await post({ ...body, customData: [] }, { key });
    expect(other.status).toBe(422);
    expect(await h.simCalls(OP)).toBe(before + 1);
  });
  it('Atlas refusals come back as ApiErrors: 409 already running, 404 unknown snapshot, 403 naming the role', async () => {
    const body = { snapshotId: target.snapshotId, exportBucketId: target.exportBucketId };
    const conflict = await post(body);
    expect(conflict.status).toBe(409);
    expect(conflict.headers.get('x-error-source')).toBe('atlas');
    expect(await conflict.json()).toMatchObject({ errorCode: 'EXPORT_ALREADY_IN_PROGRESS' });
    const missing = await post({ ...body, snapshotId: '0123456789abcdef01234567' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ errorCode: 'SNAPSHOT_NOT_FOUND' });
    await sim('access', { groupId: target.groupId, access: 'noExport' });
    const denied = await post(body);
    expect(denied.status).toBe(403);
    const err = (await denied.json()) as { detail: string };
    expectValid('ApiError', err);
    expect(err.detail).toContain('Project Backup Export Operator');
    await sim('access', { groupId: target.groupId, access: 'all' });
  });
  it('every attempt is in the audit file with who, when, where from, what was asked and what was answered; nothing secret', async () => {
    const records = audit();
    expect(records.length).toBeGreaterThanOrEqual(16);
    for (const r of records) {
      expect(r.who).toMatchObject({ id: USER, name: USER, role: 'operator', via: 'basic' });
      expect(Date.parse(r.at)).toBeGreaterThan(Date.now() - 600_000);
      expect(r.address).toMatch(/127\.0\.0\.1/);
      expect(r.action).toBe('createExport');
    }
    const decisions = records.map((r) => `${r.decision} ${r.answer.status} ${r.answer.errorCode ?? r.answer.state}`);
    expect(decisions).toContain('refused 403 CROSS_SITE_REQUEST');
    expect(decisions).toContain('refused 403 CSRF_TOKEN_INVALID');
    expect(decisions).toContain('allowed 200 Queued');
    expect(decisions).toContain('replayed 200 Queued');
    expect(decisions).toContain('allowed 409 EXPORT_ALREADY_IN_PROGRESS');
    expect(decisions).toContain('allowed 403 USER_UNAUTHORIZED');
    const created = records.find((r) => r.decision === 'allowed' && r.answer.status === 200)!;
    expect(created.request).toMatchObject({ ...target, customData: [{ key: 'reason', value: 'integration test' }] });
    const text = readFileSync(auditFile, 'utf8');
    for (const secret of [...h.secrets, PASSWORD, csrf, AUTH]) expect(text).not.toContain(secret);
    // The same records on /api/activity, newest first, and as structured log lines.
    const activity = (await (await h.get('/api/activity', { authorization: AUTH })).json()) as {
      write: boolean;
      records: { id: string }[];
    };
    expect(activity.write).toBe(true);
    expect(activity.records.map((r) => r.id)).toEqual(records.map((r) => r.id).reverse());
    expect(h.logs.filter((l) => l.includes('"msg":"audit"')).length).toBe(records.length);
  });
});
