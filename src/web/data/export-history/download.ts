import type { ExportJob } from '../../../atlas/types.ts';
import { jobDurationMs } from './query-jobs.ts';

export interface BucketInfo {
  bucketName?: string;
  cloudProvider?: string;
}

/** One fixed column order, so scripts reading the file can rely on it. */
export const CSV_COLUMNS = [
  'id',
  'state',
  'created',
  'finished',
  'duration s',
  'exported',
  'total',
  'snapshot id',
  'bucket id',
  'bucket name',
  'provider',
  'prefix',
  'custom data',
  'error code',
  'error message',
] as const;

/**
 * A spreadsheet runs a cell as a formula when it starts with = + - @ (OWASP "CSV injection"), also after
 * whitespace it strips first (space, no-break space, tab, CR, LF and other Unicode spaces) and in the fullwidth
 * forms some spreadsheets fold to ASCII (＝ ＋ － ＠, and the minus sign −). A leading apostrophe makes the cell
 * text again.
 */
const FORMULA_START = /^[\s\u200b\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20\u2212]|^[\t\r\n]/;
/**
 * A spreadsheet in a locale that splits on `;` (or a tab-separated import) starts a new cell after every `;`
 * or tab, quotes or not (the quote no longer opens its cell): a formula start after one gets its apostrophe too.
 */
const INNER_FORMULA_START = /([;\t])(?=[\s\u200b\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20\u2212])/g;

export function neutraliseFormula(cell: string): string {
  const inner = cell.replace(INNER_FORMULA_START, "$1'");
  return FORMULA_START.test(inner) ? `'${inner}` : inner;
}

/**
 * RFC 4180, plus the separators spreadsheets use in other locales: a field holding a comma, semicolon, tab,
 * quote or line break is quoted, its quotes doubled. A reader that splits on `;` then keeps the cell whole.
 */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : neutraliseFormula(value);
  return /[",;\t\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvRow(job: ExportJob, bucket: BucketInfo | undefined): string {
  const duration = jobDurationMs(job);
  const customData = (job.customData ?? []).map((l) => `${l.key ?? ''}=${l.value ?? ''}`).join('; ');
  const cells: (string | number | undefined)[] = [
    job.id,
    job.state,
    job.createdAt,
    job.finishedAt,
    duration === undefined ? undefined : Math.round(duration / 1000),
    job.exportStatus?.exportedCollections,
    job.exportStatus?.totalCollections,
    job.snapshotId,
    job.exportBucketId,
    bucket?.bucketName,
    bucket?.cloudProvider,
    job.prefix,
    customData || undefined,
    job.stateReason?.errorCode,
    job.stateReason?.message,
  ];
  return cells.map(csvField).join(',');
}

/** The jobs as CSV: a header row, then one row per job, CRLF line ends (RFC 4180). */
export function jobsToCsv(jobs: readonly ExportJob[], bucketOf: (bucketId: string) => BucketInfo | undefined): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const job of jobs) lines.push(csvRow(job, bucketOf(job.exportBucketId)));
  return lines.join('\r\n') + '\r\n';
}

/** Atlas's own job objects, as the API returned them. */
export function jobsToJson(jobs: readonly ExportJob[]): string {
  return JSON.stringify(jobs, null, 2) + '\n';
}

/** `<project>-<cluster>-exports-20261129T194500Z.csv`: sortable, and safe in every file system. */
export function downloadFileName(project: string, cluster: string, at: number, ext: 'csv' | 'json'): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'project';
  const stamp = new Date(at)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `${safe(project)}-${safe(cluster)}-exports-${stamp}.${ext}`;
}
