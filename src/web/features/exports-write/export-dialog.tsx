/**
 * Start an export (a chosen snapshot to a chosen bucket) or re-export a failed or cancelled job, in two steps:
 * the form, then a confirmation that shows exactly the JSON that will be sent. A native modal <dialog>: focus
 * stays inside, Escape closes, the title names it for screen readers; it fills a phone's width.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ExportJob } from '../../../atlas/types.ts';
import { formatBytes } from '../../lib/format.ts';
import { exportJobKeys, exportJobListQueryOptions } from '../exports/api/export-jobs.ts';
import {
  exportBucketsQueryOptions,
  snapshotsQueryOptions,
  type AnySnapshot,
  type BucketSummary,
} from '../exports/api/export-lookups.ts';
import { useSession } from '../session/session.ts';
import {
  activeSnapshotIds,
  costEstimate,
  createExport,
  newIdempotencyKey,
  notExportable,
  PRICE_PER_GB,
  refusalText,
  retryCustomData,
  type ExportRequestBody,
} from './write-api.ts';

export interface ExportDialogProps {
  groupId: string;
  clusterName: string;
  sharded: boolean;
  /** Re-export: the failed or cancelled job to repeat (same snapshot and bucket). */
  retry?: ExportJob;
  onClose: () => void;
}

type Row = { key: string; value: string };

const btn =
  'rounded px-3 py-1.5 text-sm font-medium focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:ring-offset-1 focus-visible:outline-none disabled:opacity-50';
const primary = `${btn} bg-blue-700 text-white hover:bg-blue-800`;
const secondary = `${btn} bg-white text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50`;
const field =
  'w-full rounded border border-slate-300 bg-white px-2 py-1.5 text-sm focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none';

export function snapshotLabel(s: AnySnapshot): string {
  const when = s.createdAt ? new Date(s.createdAt).toISOString().slice(0, 16).replace('T', ' ') : '?';
  return `${when} UTC · ${s.frequencyType ?? s.snapshotType ?? ''} · ${formatBytes(s.storageSizeBytes ?? 0)}`;
}

function bucketLabel(b: BucketSummary): string {
  return `${b.bucketName} (${b.cloudProvider})`;
}

export function ExportDialog({ groupId, clusterName, sharded, retry, onClose }: ExportDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const session = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const snapshots = useQuery(snapshotsQueryOptions(groupId, clusterName, sharded));
  const buckets = useQuery(exportBucketsQueryOptions(groupId));
  const jobs = useQuery(exportJobListQueryOptions(groupId, clusterName, 1, 100));
  const [now] = useState(() => Date.now());
  const active = useMemo(() => activeSnapshotIds(jobs.data?.results), [jobs.data]);
  // No snapshot is offered before the jobs say which have an export running: offered sooner, one could be picked
  // and then vanish from the list, and Atlas would answer 409. Should the jobs not load, Atlas's 409 still guards.
  const known = snapshots.data !== undefined && (jobs.data !== undefined || jobs.isError);
  const exportable = useMemo(
    () =>
      known
        ? [...snapshots.data.values()]
            .filter((s) => notExportable(s, active, now) === undefined)
            .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''))
        : [],
    [known, snapshots.data, active, now],
  );
  const [pickedSnapshot, setSnapshotId] = useState(retry?.snapshotId ?? '');
  const [pickedBucket, setBucketId] = useState(retry?.exportBucketId ?? '');
  const [rows, setRows] = useState<Row[]>(() => (retry ? retryCustomData(retry) : []));
  const [step, setStep] = useState<'form' | 'confirm'>('form');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<{ text: string; conflict: boolean } | undefined>();
  const key = useRef<string | undefined>(undefined);

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  // Defaults until the operator picks: the newest exportable snapshot, the first bucket.
  const snapshotId = pickedSnapshot || exportable[0]?.id || '';
  const bucketId = pickedBucket || buckets.data?.values().next().value?._id || '';

  const snapshot = snapshots.data?.get(snapshotId);
  const blocked = retry ? notExportable(snapshot, active, now) : undefined;
  const estimate = costEstimate(snapshot?.storageSizeBytes);
  const cleanRows = rows.filter((r) => r.key.trim() !== '');
  const duplicate = new Set(cleanRows.map((r) => r.key)).size !== cleanRows.length;
  const body: ExportRequestBody = {
    snapshotId,
    exportBucketId: bucketId,
    ...(cleanRows.length ? { customData: cleanRows } : {}),
  };
  const ready = snapshotId !== '' && bucketId !== '' && !blocked && !duplicate;
  const conflictJob = jobs.data?.results.find(
    (j) => j.snapshotId === snapshotId && (j.state === 'Queued' || j.state === 'InProgress'),
  );

  async function send() {
    if (!session?.csrfToken) {
      setError({ text: 'Your session has no CSRF token: reload the page and sign in again.', conflict: false });
      return;
    }
    // One key per confirmed request: pressing Confirm again after a network error cannot start a second job.
    key.current ??= newIdempotencyKey();
    setSending(true);
    setError(undefined);
    try {
      const job = await createExport(groupId, clusterName, body, session.csrfToken, key.current);
      await queryClient.invalidateQueries({ queryKey: exportJobKeys.cluster(groupId, clusterName) });
      onClose();
      void navigate({
        to: '/projects/$groupId/clusters/$clusterName/exports',
        params: { groupId, clusterName },
        search: {},
        state: (s) => ({ ...s, createdExport: job.id }),
      });
    } catch (err) {
      const conflict = (err as { status?: number }).status === 409;
      if (conflict) await jobs.refetch();
      setError({ text: refusalText(err), conflict });
    } finally {
      setSending(false);
    }
  }

  const title = retry ? 'Re-export a job' : 'Export a snapshot';
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      className="m-auto w-[min(36rem,calc(100vw-1rem))] rounded-lg border border-slate-300 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40"
    >
      <form
        method="dialog"
        className="flex max-h-[calc(100dvh-2rem)] flex-col gap-3 overflow-y-auto p-4"
        onSubmit={(e) => {
          e.preventDefault();
          if (step === 'form' && ready) {
            // Pin the defaults: what was reviewed is what is sent, even if the lists refresh meanwhile.
            setSnapshotId(snapshotId);
            setBucketId(bucketId);
            setStep('confirm');
          } else if (step === 'confirm' && !sending) void send();
        }}
      >
        <h2 id={titleId} className="text-base font-semibold">
          {step === 'confirm' ? `Confirm: ${title.toLowerCase()}` : title}{' '}
          <span className="font-normal text-slate-500">· {clusterName}</span>
        </h2>
        {step === 'form' ? (
          <>
            {retry && (
              <p className="text-sm text-slate-700">
                Starts a new export of the same snapshot to the same bucket as job{' '}
                <span className="font-mono">{retry.id}</span> ({retry.state}). Atlas does not retry failed exports.
              </p>
            )}
            <label className="flex flex-col gap-1 text-sm">
              <span className="font-medium">Snapshot</span>
              {retry ? (
                <span className="font-mono text-xs">
                  {snapshot ? snapshotLabel(snapshot) : retry.snapshotId}
                  {snapshot?.expiresAt && <ExpiresIn at={snapshot.expiresAt} now={now} />}
                </span>
              ) : (
                <select
                  className={field}
                  value={snapshotId}
                  onChange={(e) => setSnapshotId(e.target.value)}
                  required
                  aria-describedby={`${titleId}-snap-help`}
                >
                  {exportable.length === 0 && (
                    <option value="">
                      {snapshots.isError
                        ? 'Atlas did not list the snapshots'
                        : known
                          ? 'No exportable snapshot'
                          : 'Loading snapshots…'}
                    </option>
                  )}
                  {exportable.map((s) => (
                    <option key={s.id} value={s.id}>
                      {snapshotLabel(s)}
                    </option>
                  ))}
                </select>
              )}
              {!retry && (
                <span id={`${titleId}-snap-help`} className="text-xs text-slate-500">
                  Only completed snapshots that are not fallback snapshots and have no export running.
                  {snapshot?.expiresAt && <ExpiresIn at={snapshot.expiresAt} now={now} />}
                </span>
              )}
            </label>
            {blocked && (
              <p role="alert" className="rounded bg-amber-50 px-2 py-1.5 text-sm text-amber-900 ring-1 ring-amber-300">
                Cannot re-export: {blocked}.
              </p>
            )}
            <label className="flex flex-col gap-1 text-sm">
              <span className="font-medium">Bucket</span>
              <select className={field} value={bucketId} onChange={(e) => setBucketId(e.target.value)} required>
                {[...(buckets.data?.values() ?? [])].map((b) => (
                  <option key={b._id} value={b._id}>
                    {bucketLabel(b)}
                  </option>
                ))}
              </select>
            </label>
            <fieldset className="flex flex-col gap-1.5 text-sm">
              <legend className="mb-1 font-medium">Custom data (written to the export’s metadata file)</legend>
              {rows.map((r, i) => (
                <div key={i} className="flex gap-1.5">
                  <input
                    className={field}
                    aria-label={`Custom data ${i + 1} key`}
                    placeholder="key"
                    maxLength={255}
                    value={r.key}
                    onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))}
                  />
                  <input
                    className={field}
                    aria-label={`Custom data ${i + 1} value`}
                    placeholder="value"
                    maxLength={255}
                    value={r.value}
                    onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))}
                  />
                  <button
                    type="button"
                    className={secondary}
                    aria-label={`Remove custom data ${i + 1}`}
                    onClick={() => setRows(rows.filter((_, j) => j !== i))}
                  >
                    ×
                  </button>
                </div>
              ))}
              {rows.length < 50 && (
                <button
                  type="button"
                  className={`${secondary} self-start`}
                  onClick={() => setRows([...rows, { key: '', value: '' }])}
                >
                  Add key/value
                </button>
              )}
              {duplicate && (
                <p role="alert" className="text-xs text-red-700">
                  Each key may appear once.
                </p>
              )}
            </fieldset>
            <p className="text-sm text-slate-700" aria-live="polite">
              <span className="font-medium">Estimated cost:</span>{' '}
              {estimate ? (
                <>
                  about <span className="tabular-nums">US${estimate.usd.toFixed(2)}</span>{' '}
                  <span className="text-slate-500">
                    (estimate: snapshot size {formatBytes(snapshot?.storageSizeBytes ?? 0)} × US${PRICE_PER_GB}/GB; the
                    exported data and your Atlas contract may differ)
                  </span>
                </>
              ) : (
                'unknown (no snapshot chosen)'
              )}
            </p>
          </>
        ) : (
          <>
            <p className="text-sm text-slate-700">
              This will be sent to Atlas as{' '}
              <span className="font-mono">POST …/clusters/{clusterName}/backup/exports</span>
              {', '}exactly:
            </p>
            <pre
              aria-label="Request body"
              className="overflow-x-auto rounded bg-slate-100 p-2 font-mono text-xs whitespace-pre-wrap text-slate-900"
            >
              {JSON.stringify(body, null, 2)}
            </pre>
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm">
              <dt className="text-slate-500">Snapshot</dt>
              <dd>{snapshot ? snapshotLabel(snapshot) : snapshotId}</dd>
              <dt className="text-slate-500">Bucket</dt>
              <dd>{buckets.data?.get(bucketId) ? bucketLabel(buckets.data.get(bucketId)!) : bucketId}</dd>
              <dt className="text-slate-500">Estimate</dt>
              <dd className="tabular-nums">
                {estimate ? `about US$${estimate.usd.toFixed(2)} (estimate)` : 'unknown'}
              </dd>
            </dl>
          </>
        )}
        {error && (
          <div role="alert" className="rounded bg-red-50 px-2 py-1.5 text-sm text-red-900 ring-1 ring-red-300">
            {error.text}
            {error.conflict && conflictJob?.id && (
              <>
                {' '}
                <Link
                  to="/projects/$groupId/clusters/$clusterName/exports/$exportId"
                  params={{ groupId, clusterName, exportId: conflictJob.id }}
                  search={{}}
                  className="font-medium underline"
                  onClick={onClose}
                >
                  Open the running export
                </Link>
              </>
            )}
          </div>
        )}
        <div className="flex flex-wrap justify-end gap-2 border-t border-slate-200 pt-3">
          {step === 'confirm' && (
            <button type="button" className={secondary} onClick={() => setStep('form')} disabled={sending}>
              Back
            </button>
          )}
          <button type="button" className={secondary} onClick={() => ref.current?.close()}>
            Cancel
          </button>
          <button
            type="submit"
            className={primary}
            disabled={step === 'form' ? !ready : sending}
            autoFocus={step === 'confirm'}
          >
            {step === 'form' ? 'Review…' : sending ? 'Starting…' : retry ? 'Confirm re-export' : 'Confirm export'}
          </button>
        </div>
      </form>
    </dialog>
  );
}

function ExpiresIn({ at, now }: { at: string; now: number }) {
  const ms = Date.parse(at) - now;
  if (!Number.isFinite(ms)) return null;
  const days = Math.floor(ms / 86_400_000);
  const hours = Math.floor((ms % 86_400_000) / 3_600_000);
  return (
    <span className="ml-1 text-slate-600">
      · expires {ms <= 0 ? 'now' : days > 0 ? `in ${days} d ${hours} h` : `in ${hours} h`}
    </span>
  );
}
