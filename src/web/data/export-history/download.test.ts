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
    // Issue 16 item 8: whitespace a spreadsheet strips first, and the fullwidth forms.
    for (const c of [
      ' =1+1',
      '\u00a0=1+1',
      '\n=1+1',
      '\r\n+1',
      '\u3000@x',
      '\uff1d1+1',
      '\uff0b1',
      '\u22121',
      '\nplain',
    ])
      expect(neutraliseFormula(c)).toBe(`'${c}`);
    for (const c of ['1', 'a=b', 'x-y', '', 'plain text', 'a =b']) expect(neutraliseFormula(c)).toBe(c);
  });
  it('cells read back by a spreadsheet splitting on , or ; are text, never formulas (issue 16 item 8)', () => {
    const hostile = [' =1+1', '\u00a0=1+1', '\n=1+1', '\uff1d1+1', 'a;=1+1', 'x; -2+3', '@SUM(A1)', 'ok\t=1'];
    const jobs: ExportJob[] = hostile.map((h, i) => ({
      id: String(i).padStart(24, '0'),
      exportBucketId: 'b'.repeat(24),
      prefix: h,
      customData: [{ key: h, value: h }],
      stateReason: { errorCode: 'E', message: h },
    }));
    const csv = jobsToCsv(jobs, () => undefined);
    for (const separator of [',', ';']) {
      const rows = parseCsv(csv, separator);
      expect(rows).toHaveLength(hostile.length + 2); // header, rows, the empty line after the last CRLF
      for (const cell of rows.flat()) {
        // What a spreadsheet evaluates: the cell with leading whitespace stripped, fullwidth signs folded.
        const seen = cell
          .replace(/^\s+/, '')
          .normalize('NFKC')
          .replace(/^\u2212/, '-');
        expect(seen, JSON.stringify(cell)).not.toMatch(/^[=+\-@]/);
      }
      if (separator === ',') {
        // Read back with the right separator, each value is intact, behind one apostrophe when it starts a formula.
        const expected = [
          "' =1+1",
          "'\u00a0=1+1",
          "'\n=1+1",
          "'\uff1d1+1",
          "a;'=1+1",
          "x;' -2+3",
          "'@SUM(A1)",
          "ok\t'=1",
        ];
        hostile.forEach((_, i) => {
          expect(rows[i + 1]![11]).toBe(expected[i]);
          expect(rows[i + 1]![14]).toBe(expected[i]);
        });
      }
    }
  });
  it('quotes per RFC 4180, and a semicolon or tab (separators of other locales)', () => {
    expect(csvField('a;b')).toBe('"a;b"');
    expect(csvField('a\tb')).toBe('"a\tb"');
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    // A bare CR is a line break to Excel and to RFC 4180 readers: unquoted, it would split the row.
    expect(csvField('old\rmac')).toBe('"old\rmac"');
    expect(csvField('cr\r\nlf')).toBe('"cr\r\nlf"');
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
        '"ticket=OPS-1, ""urgent"";\' =HYPERLINK(""http://x"")=y"',
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

/** An RFC 4180 reader (quotes honoured) with a chosen separator, as a spreadsheet import does. */
function parseCsv(text: string, separator: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === separator || (ch === '\r' && text[i + 1] === '\n')) {
      row.push(cell);
      cell = '';
      if (ch === '\r') {
        rows.push(row);
        row = [];
        i++;
      }
    } else cell += ch;
  }
  row.push(cell);
  rows.push(row);
  return rows;
}
