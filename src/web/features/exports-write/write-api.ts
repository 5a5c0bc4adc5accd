/**
 * Write mode in the browser: whether to show write controls, which snapshots can be exported, what an export
 * would cost (an estimate), and the one POST, sent with the session's CSRF token and an idempotency key.
 */
import { useQuery } from '@tanstack/react-query';
import type { ExportJob } from '../../../atlas/types.ts';
import { httpError, AtlasRequestError } from '../../lib/api-client.ts';
import { serverInfoQueryOptions } from '../../lib/server-info.ts';
import { useCan } from '../session/session.ts';
import type { AnySnapshot } from '../exports/api/export-lookups.ts';

/** Shown only when the server has write mode on and the signed-in role may act (the server checks both again). */
export function useCanWrite(): boolean {
  const info = useQuery(serverInfoQueryOptions);
  const act = useCan('act');
  return info.data?.write === true && act;
}

export interface ExportRequestBody {
  snapshotId: string;
  exportBucketId: string;
  customData?: { key: string; value: string }[];
}

/** Why a snapshot cannot be exported now, or undefined when it can. */
export function notExportable(s: AnySnapshot | undefined, activeSnapshotIds: ReadonlySet<string>, now: number) {
  if (!s) return 'the snapshot no longer exists';
  if (s.snapshotType === 'fallback') return 'Atlas does not export fallback snapshots';
  if (s.status !== undefined && s.status !== 'completed') return `the snapshot is ${s.status}, not completed`;
  if (s.expiresAt && Date.parse(s.expiresAt) <= now) return 'the snapshot has expired';
  if (s.id && activeSnapshotIds.has(s.id)) return 'an export of this snapshot is already running';
  return undefined;
}

export const activeSnapshotIds = (jobs: readonly ExportJob[] | undefined): Set<string> =>
  new Set(
    (jobs ?? [])
      .filter((j) => j.state === 'Queued' || j.state === 'InProgress')
      .map((j) => j.snapshotId)
      .filter((id): id is string => typeof id === 'string'),
  );

/**
 * Atlas bills snapshot export per GB exported. US$0.125 per GB is the rate this dashboard assumes (not read
 * from Atlas; contracts differ): the UI always calls the figure an estimate and names the rate.
 */
export const PRICE_PER_GB = 0.125;

export function costEstimate(storageSizeBytes: number | undefined): { gb: number; usd: number } | undefined {
  if (storageSizeBytes === undefined || !Number.isFinite(storageSizeBytes)) return undefined;
  const gb = storageSizeBytes / 1024 ** 3;
  return { gb, usd: gb * PRICE_PER_GB };
}

/** The custom data of a re-export: the failed job's entries, plus one naming the job it retries. */
export function retryCustomData(job: ExportJob): { key: string; value: string }[] {
  const kept = (job.customData ?? [])
    .filter((d): d is { key: string; value: string } => typeof d.key === 'string' && typeof d.value === 'string')
    .filter((d) => d.key !== 'retryOf');
  return [...kept, { key: 'retryOf', value: job.id ?? '' }];
}

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

/** The one write. Never retried here: the same key is reused only when the operator presses Confirm again. */
export async function createExport(
  groupId: string,
  clusterName: string,
  body: ExportRequestBody,
  csrfToken: string,
  idempotencyKey: string,
): Promise<ExportJob> {
  let res: Response;
  try {
    res = await fetch(
      `/api/atlas/v2/groups/${encodeURIComponent(groupId)}/clusters/${encodeURIComponent(clusterName)}/backup/exports`,
      {
        method: 'POST',
        credentials: 'same-origin',
        headers: {
          'content-type': 'application/json',
          accept: 'application/vnd.atlas.2023-01-01+json',
          'x-csrf-token': csrfToken,
          'idempotency-key': idempotencyKey,
        },
        body: JSON.stringify(body),
      },
    );
  } catch {
    throw new AtlasRequestError('network', 0, 'The dashboard server could not be reached.');
  }
  const json: unknown = await res.json().catch(() => undefined);
  if (!res.ok) throw httpError(res, json);
  return json as ExportJob;
}

/** Atlas's and the dashboard's refusals in plain words, with what to do. */
export function refusalText(err: unknown): string {
  if (!(err instanceof AtlasRequestError)) return 'The export could not be started.';
  if (err.kind === 'network') return 'The dashboard server could not be reached: nothing was started. Try again.';
  const code = err.errorCode;
  const detail = err.body?.detail ?? '';
  if (err.source === 'atlas' && err.status === 403) {
    const role = /requires the (.+?) role/.exec(detail)?.[1] ?? 'Project Backup Export Operator';
    return `Atlas refused: the dashboard’s Atlas credentials lack the ${role} role on this project. Ask a project owner to grant it to them; nothing was started.`;
  }
  if (err.status === 409) return 'An export of this snapshot is already running.';
  if (err.source === 'atlas' && err.status === 404)
    return code === 'EXPORT_BUCKET_NOT_FOUND'
      ? 'Atlas no longer has this export bucket: pick another bucket.'
      : code === 'SNAPSHOT_NOT_FOUND'
        ? 'Atlas no longer has this snapshot (it may have expired): pick another one.'
        : `Atlas could not find what was asked: ${detail}`;
  if (err.source === 'atlas' && err.status === 400) return `Atlas refused the request: ${detail}`;
  if (code === 'CSRF_TOKEN_INVALID') return 'Your session changed: reload the page and try again.';
  if (code === 'ROLE_REQUIRED') return detail;
  if (err.status === 429) return 'Atlas is rate limiting these credentials: wait a minute, then try again.';
  return detail || err.message;
}
