import { describe, expect, it } from 'vitest';
import type { ExportJob } from '../../../atlas/types.ts';
import { csvField, downloadFileName, jobsToCsv, jobsToJson, neutraliseFormula } from './download.ts';

const JOB: ExportJob = {
  id: 'a'.repeat(24),
  state: 'Failed',
  createdAt: '2026-11-29T10:00:00Z',
  finishedAt: '2026-11-29T10:02:05Z',
  exportBucketId: 'b'.repeat(24),
  snapshotId: 'c'.repeat(24),
  prefix: 'exported_snapshots/o/g/orders-prod/2026-11-29T0900/1764410400',
  exportStatus: { exportedCollections: 3, totalCollections: 12 },
  customData: [
    { key: 'ticket', value: 'OPS-1, "urgent"' },
    { key: '=HYPERLINK("http://x")', value: 'y' },
  ],
  stateReason: { errorCode: 'EXPORT_FAILED', message: 'Access denied,\nsee IAM' },
};

describe('CSV', () => {
  it('neutralises every formula trigger and nothing else', () => {
    for (const c of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(neutraliseFormula(c)).toBe(`'${c}`);
    for (const c of ['1', 'a=b', 'x-y', '']) expect(neutraliseFormula(c)).toBe(c);
  });
  it('quotes per RFC 4180', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(undefined)).toBe('');
    expect(csvField(-3)).toBe('-3');
  });
  it('writes the header and one row per job in the fixed column order', () => {
    const csv = jobsToCsv([JOB, { exportBucketId: 'z' }], (id) =>
      id === JOB.exportBucketId ? { bucketName: 'orders-exports', cloudProvider: 'AWS' } : undefined,
    );
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'id,state,created,finished,duration s,exported,total,snapshot id,bucket id,bucket name,provider,prefix,custom data,error code,error message',
    );
    expect(lines[1]).toBe(
      [
        'a'.repeat(24),
        'Failed',
        '2026-11-29T10:00:00Z',
        '2026-11-29T10:02:05Z',
        '125',
        '3',
        '12',
        'c'.repeat(24),
        'b'.repeat(24),
        'orders-exports',
        'AWS',
        JOB.prefix,
        '"ticket=OPS-1, ""urgent""; =HYPERLINK(""http://x"")=y"',
        'EXPORT_FAILED',
        '"Access denied,\nsee IAM"',
      ].join(','),
    );
    expect(lines[2]).toBe(',,,,,,,,z,,,,,,');
    expect(csv.endsWith('\r\n')).toBe(true);
  });
  it('JSON is the jobs as Atlas sent them', () => {
    expect(JSON.parse(jobsToJson([JOB]))).toEqual([JOB]);
  });
  it('names the file after project, cluster and the UTC time', () => {
    const at = Date.parse('2026-11-29T19:45:07.123Z');
    expect(downloadFileName('Payments Prod', 'orders-prod', at, 'csv')).toBe(
      'Payments-Prod-orders-prod-exports-20261129T194507Z.csv',
    );
    expect(downloadFileName('../../etc', 'c', at, 'json')).toBe('etc-c-exports-20261129T194507Z.json');
  });
});
