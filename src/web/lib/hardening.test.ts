import { describe, expect, it } from 'vitest';
import { explainError } from '../components/error-panel.tsx';
import { visibleControls } from '../features/exports/components/details-extra.tsx';
import { dashboardPageFor, dashboardPath } from '../features/exports/api/atlas-links.ts';
import { rateLimitRemainingMs } from '../features/exports/api/export-jobs.ts';
import { shouldRetry } from '../app/query-client.ts';
import { AtlasRequestError, httpError } from './api-client.ts';
import { shapeProblem } from './atlas-schemas.ts';
import { formatCount } from './format.ts';

const job = { id: 'a'.repeat(24), exportBucketId: 'b'.repeat(24), state: 'InProgress' };

describe('response shapes', () => {
  it('names the first field that departs from the contract, in words', () => {
    const list = 'listGroupClusterBackupExports';
    expect(shapeProblem(list, { results: 'oops' })).toEqual({ path: 'results', expected: 'a list', got: 'text' });
    expect(shapeProblem(list, { results: [job, { ...job, customData: 'x=y' }] })?.path).toBe('results[1].customData');
    expect(shapeProblem('getGroupClusterBackupExport', { ...job, exportStatus: 'half' })).toEqual({
      path: 'exportStatus',
      expected: 'an object',
      got: 'text',
    });
    expect(shapeProblem('listGroups', null)?.path).toBe('(body)');
  });
  it('is lenient where Atlas is: missing optional fields, unknown fields and unknown states pass', () => {
    expect(shapeProblem('getGroupClusterBackupExport', { exportBucketId: 'b' })).toBeUndefined();
    expect(shapeProblem('getGroupClusterBackupExport', { ...job, state: 'Archived', novel: { x: 1 } })).toBeUndefined();
    expect(shapeProblem('listGroupClusterBackupExports', { results: [], totalCount: 1e308 })).toBeUndefined();
  });
});

describe('who refused: X-Error-Source', () => {
  const response = (status: number, headers: Record<string, string>) => ({
    status,
    statusText: '',
    headers: new Headers(headers),
  });
  const body = { error: 400, errorCode: 'INVALID_QUERY_PARAMETER', detail: 'pageNum is out of range.' };
  it('reads the header; no header means Atlas', () => {
    expect(httpError(response(400, { 'X-Error-Source': 'dashboard' }), body).source).toBe('dashboard');
    expect(httpError(response(400, { 'X-Error-Source': 'atlas' }), body).source).toBe('atlas');
    expect(httpError(response(400, {}), body).source).toBe('atlas');
  });
  it('words the panel after who refused', () => {
    const ours = explainError(httpError(response(400, { 'X-Error-Source': 'dashboard' }), body));
    expect(ours.title).toBe('The dashboard refused this request (400)');
    expect(ours.quote).toBe('pageNum is out of range.');
    const atlas = explainError(httpError(response(400, {}), body));
    expect(atlas.title).toBe('Atlas refused the request (400)');
    expect(atlas.body).toBe('Atlas answered:');
    const busy = explainError(httpError(response(503, { 'X-Error-Source': 'dashboard', 'Retry-After': '3' }), {}));
    expect(busy.title).toMatch(/dashboard is holding requests back/);
    const auth = { error: 502, errorCode: 'UPSTREAM_AUTH', detail: 'x' };
    const credentials = explainError(httpError(response(502, { 'X-Error-Source': 'dashboard' }), auth));
    expect(credentials.title).toMatch(/credentials/);
  });
});

describe('503 with Retry-After is a cool-down like 429', () => {
  it('pauses for Retry-After and is not retried; a bare 503 still retries', () => {
    const unavailable = new AtlasRequestError('http', 503, 'x', undefined, 20_000);
    expect(unavailable.coolDownMs).toBe(20_000);
    expect(rateLimitRemainingMs(unavailable, 1_000, 6_000)).toBe(15_000);
    expect(shouldRetry(0, unavailable)).toBe(false);
    expect(explainError(unavailable, 'x', 15).body).toMatch(/in 15 s/);
    const bare = new AtlasRequestError('http', 503, 'x');
    expect(bare.coolDownMs).toBeUndefined();
    expect(shouldRetry(0, bare)).toBe(true);
    expect(shouldRetry(0, new AtlasRequestError('shape', 200, 'x'))).toBe(false);
  });
});

describe('UI text', () => {
  it('clamps absurd counts and keeps ordinary ones exact', () => {
    expect(formatCount(1e308)).toEqual({ text: '>999,999,999', clamped: true });
    expect(formatCount(-1e12)).toEqual({ text: '<-999,999,999', clamped: true });
    expect(formatCount(1234)).toEqual({ text: '1,234', clamped: false });
    expect(formatCount(2.5).clamped).toBe(true);
  });
  it('shows bidirectional controls in raw JSON as escapes', () => {
    expect(visibleControls(JSON.stringify({ k: 'a\u202Eb' }))).toBe('{"k":"a\\u202eb"}');
  });
  it('maps Atlas links to dashboard pages and never keeps the upstream host', () => {
    const g = 'c'.repeat(24);
    const e = 'd'.repeat(24);
    const at = (p: string) => dashboardPageFor(`http://10.0.0.7:8090/api/atlas/v2${p}`);
    expect(at(`/groups/${g}/clusters/Cluster0/backup/exports/${e}`)).toEqual({
      kind: 'export',
      groupId: g,
      clusterName: 'Cluster0',
      exportId: e,
    });
    expect(dashboardPath(at(`/groups/${g}/clusters/Cluster0/backup/snapshots/${e}`)!)).toBe(
      `/projects/${g}/clusters/Cluster0/exports`,
    );
    expect(dashboardPath(at(`/groups/${g}/backup/exportBuckets/${e}`)!)).toBe(`/projects/${g}`);
    expect(dashboardPath(at('/groups')!)).toBe('/');
    expect(at('/orgs/x')).toBeUndefined();
    expect(at(`/groups/not-hex`)).toBeUndefined();
    expect(dashboardPageFor('https://example.invalid/elsewhere')).toBeUndefined();
  });
});
