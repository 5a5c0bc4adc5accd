import type { ExportJob } from '../../../../atlas/types.ts';
import { AtlasText, titleText } from '../../../components/atlas-text.tsx';
import { CopyButton } from '../../../components/copy-button.tsx';
import { MarkId } from '../../../components/highlight.tsx';
import { RelativeTime } from '../../../components/relative-time.tsx';
import { shortId } from '../../../lib/format.ts';
import type { AnySnapshot, BucketSummary } from '../api/export-lookups.ts';
import { exportDetailsHref, type ExportsSearch } from '../api/exports-search.ts';

/** What the cells need besides the job; one object, kept referentially stable by the table. */
export interface ExportJobLookups {
  groupId: string;
  clusterName: string;
  search: ExportsSearch;
  buckets: ReadonlyMap<string, BucketSummary> | undefined;
  snapshots: ReadonlyMap<string, AnySnapshot> | undefined;
}

export function BucketCell({ job, buckets }: { job: ExportJob; buckets: ExportJobLookups['buckets'] }) {
  const bucket = buckets?.get(job.exportBucketId);
  if (!bucket)
    return (
      <span className="font-mono text-xs text-slate-500" title={`Bucket ${job.exportBucketId}`}>
        <MarkId id={job.exportBucketId} />
      </span>
    );
  return (
    <span className="flex min-w-0 flex-col" title={`Bucket id ${bucket._id}`}>
      <span className="truncate text-slate-800" title={titleText(bucket.bucketName ?? '')}>
        <AtlasText text={bucket.bucketName} />
      </span>
      <span className="truncate text-xs text-slate-500">
        <AtlasText text={bucket.cloudProvider} />
      </span>
    </span>
  );
}

export function SnapshotCell({ job, snapshots }: { job: ExportJob; snapshots: ExportJobLookups['snapshots'] }) {
  if (!job.snapshotId) return <span className="text-slate-400">—</span>;
  const created = snapshots?.get(job.snapshotId)?.createdAt;
  return (
    <span className="flex flex-col">
      <span className="font-mono text-xs text-slate-700" title={`Snapshot ${job.snapshotId}`}>
        <MarkId id={job.snapshotId} />
      </span>
      <span className="text-xs text-slate-500">{created && <RelativeTime iso={created} />}</span>
    </span>
  );
}

export function PrefixCell({ prefix }: { prefix: string | undefined }) {
  if (!prefix) return <span className="text-slate-400">—</span>;
  return (
    <span className="flex min-w-0 items-center gap-0.5">
      <span className="truncate font-mono text-xs text-slate-700" title={titleText(prefix)} dir="rtl">
        {/* rtl truncation keeps the distinctive tail (date/timestamp) visible; the bdi keeps the text itself in order */}
        <AtlasText text={prefix} />
      </span>
      <CopyButton value={prefix} label="Copy export prefix" />
    </span>
  );
}

/**
 * A plain anchor, not the router's Link: 500 Links each build a location and subscribe to router state, which
 * costs more than the rest of the row. The table navigates client-side through one delegated click handler.
 * Its accessible name is "Export <full id>" (visually hidden), which holds the visible tail, so a voice-control
 * user who says what they see ("49e76da5") reaches it and a screen reader hears the whole id.
 */
export function ExportLink({ job, lookups }: { job: ExportJob; lookups: ExportJobLookups | undefined }) {
  if (!job.id || !lookups) return <>{shortId(job.id)}</>;
  return (
    <a
      href={exportDetailsHref(lookups.groupId, lookups.clusterName, job.id, lookups.search)}
      data-spa-link=""
      title={`Export ${job.id}`}
      className="rounded font-mono text-xs whitespace-nowrap text-blue-700 hover:underline focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
    >
      <span aria-hidden="true">
        <MarkId id={job.id} />
      </span>
      {/* After the visible text: a pointer aimed at the link's first box then lands on what is seen. */}
      <span className="sr-only">
        Export <AtlasText text={job.id} />
      </span>
    </a>
  );
}
