/**
 * The truth for the history tests, read from the simulator itself with its own service account (not through the
 * dashboard's proxy or any code of the SPA): every job of a cluster, its buckets, and independent answers to the
 * questions the UI answers (filter, search, sort, counts).
 */
import type { ExportBucketPage, ExportJob, ExportJobPage } from '../../src/atlas/types.ts';
import { API, bearerClient, token } from '../support/sim-client.ts';

export interface Truth {
  jobs: ExportJob[];
  bucketNames: Map<string, string>;
}

export async function simClient(simUrl: string) {
  return bearerClient(simUrl, await token(simUrl));
}

export async function readTruth(simUrl: string, groupId: string, cluster: string): Promise<Truth> {
  const get = await simClient(simUrl);
  const jobs: ExportJob[] = [];
  for (let pageNum = 1; ; pageNum++) {
    const res = await get(
      `${API}/groups/${groupId}/clusters/${cluster}/backup/exports?pageNum=${pageNum}&itemsPerPage=500`,
    );
    if (!res.ok) throw new Error(`simulator list: ${res.status}`);
    const page = (await res.json()) as ExportJobPage;
    jobs.push(...page.results);
    if (!page.links?.some((l) => l.rel === 'next')) break;
  }
  const buckets = (await (
    await get(`${API}/groups/${groupId}/backup/exportBuckets?itemsPerPage=500`)
  ).json()) as ExportBucketPage;
  return { jobs, bucketNames: new Map(buckets.results.map((b) => [b._id, b.bucketName])) };
}

const ms = (iso: string | undefined) => (iso ? Date.parse(iso) : NaN);

/** Newest first, as the dashboard's default order promises. */
export function newestFirst(jobs: ExportJob[]): ExportJob[] {
  return [...jobs].sort((a, b) => ms(b.createdAt) - ms(a.createdAt));
}

/** The fields the issue lists for `q`, checked one by one. */
export function matchesText(job: ExportJob, q: string, bucketNames: Map<string, string>): boolean {
  const needle = q.toLowerCase();
  const fields = [
    job.id,
    job.snapshotId,
    job.exportBucketId,
    bucketNames.get(job.exportBucketId),
    job.prefix,
    ...(job.customData ?? []).flatMap((l) => [l.key, l.value]),
    job.stateReason?.errorCode,
    job.stateReason?.message,
  ];
  return fields.some((f) => f?.toLowerCase().includes(needle));
}

export function durationMs(job: ExportJob): number | undefined {
  const d = ms(job.finishedAt) - ms(job.createdAt);
  return Number.isNaN(d) ? undefined : d;
}

export function countStates(jobs: ExportJob[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const j of jobs) out[j.state ?? '?'] = (out[j.state ?? '?'] ?? 0) + 1;
  return out;
}

/** RFC 4180, enough for reading our own download back: quoted fields, doubled quotes, CRLF rows. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      endField();
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else {
      field += c;
    }
  }
  if (field || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows;
}
