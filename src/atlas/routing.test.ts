import { describe, expect, it } from 'vitest';
import { operation } from './operations.ts';
import { buildPath, matchOperation, parseQuery } from './routing.ts';

const G = '5f1a2b3c4d5e6f7a8b9c0d1e';
const base = `/api/atlas/v2/groups/${G}/clusters`;

describe('matchOperation', () => {
  it('matches templates and prefers literal segments', () => {
    const m = matchOperation('GET', `${base}/Cluster0/backup/snapshots/shardedClusters`);
    expect(m.ok && m.op.operationId).toBe('listGroupClusterBackupSnapshotShardedClusters');
    const e = matchOperation('GET', `${base}/Cluster0/backup/exports`);
    expect(e.ok && e.params).toEqual({ groupId: G, clusterName: 'Cluster0' });
  });

  it.each([
    `/api/atlas/v2/groups/${G.toUpperCase()}`,
    `/api/atlas/v2/groups/${G}0`,
    `${base}/-a/backup/exports`,
    `${base}/a_b/backup/exports`,
    `${base}/foo%2F..%2F..%2Fx/backup/exports`,
    `${base}/%2e%2e/backup/exports`,
    `${base}/a%00/backup/exports`,
    `${base}/${'a'.repeat(65)}/backup/exports`,
    '/api/atlas/v2/groups/',
  ])('rejects bad parameters in %s with 400', (path) => {
    const m = matchOperation('GET', path);
    expect(m.ok).toBe(false);
    expect(!m.ok && m.error.error).toBe(400);
  });

  it.each(['/api/atlas/v2/orgs/' + G + '/apiKeys', '/api/atlas/v2//groups', '/api/atlas/v2/groups/x/y/z', '/api/x'])(
    '404s what the table does not hold: %s',
    (path) => {
      const m = matchOperation('GET', path);
      expect(!m.ok && m.error.error).toBe(404);
    },
  );

  it('405s a method the resource does not serve, naming the allowed ones', () => {
    const m = matchOperation('DELETE', `${base}/Cluster0/backup/exports`);
    expect(!m.ok && m.error.error).toBe(405);
    expect(!m.ok && m.allowed).toEqual(['GET', 'POST']);
  });
});

describe('parseQuery', () => {
  const list = operation('listGroupClusterBackupExports');
  it('parses typed values and reports unknown names', () => {
    const q = parseQuery(list, new URLSearchParams('pageNum=2&itemsPerPage=50&includeCount=false&foo=1'));
    expect(q).toEqual({ ok: true, values: { pageNum: 2, itemsPerPage: 50, includeCount: false }, unknown: ['foo'] });
  });
  it.each([
    'itemsPerPage=0',
    'itemsPerPage=501',
    'itemsPerPage=1e3',
    'itemsPerPage=abc',
    'pageNum=0',
    'includeCount=yes',
    'itemsPerPage=1&itemsPerPage=500',
  ])('400s %s with badRequestDetail', (qs) => {
    const q = parseQuery(list, new URLSearchParams(qs));
    expect(q.ok).toBe(false);
    expect(!q.ok && q.error.badRequestDetail?.fields?.[0]?.field).toMatch(/itemsPerPage|pageNum|includeCount/);
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'])(
    'treats %s as an unknown name, not as an inherited property',
    (name) => {
      const q = parseQuery(list, new URLSearchParams(`${name}=1&pageNum=2`));
      expect(q).toEqual({ ok: true, values: { pageNum: 2 }, unknown: [name] });
    },
  );

  it.each([
    'pageNum=999999999999999999',
    'pageNum=2147483648',
    'pageNum=01',
    'pageNum=+1',
    'pageNum=1.0',
    'pageNum=-0',
    'pageNum= 1',
    'pageNum=',
    'itemsPerPage=0500',
    'itemsPerPage=5e2',
  ])('400s %s: int32, canonical decimal only, as Atlas does', (qs) => {
    const q = parseQuery(list, new URLSearchParams(qs));
    expect(q.ok).toBe(false);
    expect(!q.ok && q.error).toMatchObject({ error: 400, errorCode: 'INVALID_QUERY_PARAMETER' });
  });

  it('accepts the int32 bounds', () => {
    const q = parseQuery(list, new URLSearchParams('pageNum=2147483647&itemsPerPage=500'));
    expect(q).toEqual({ ok: true, values: { pageNum: 2147483647, itemsPerPage: 500 }, unknown: [] });
  });
});

it('buildPath fills the template', () => {
  expect(buildPath(operation('getGroup'), { groupId: G })).toBe(`/api/atlas/v2/groups/${G}`);
});
