import type { ExportJob } from '../../../../atlas/types.ts';
import { downloadFileName, jobsToCsv, jobsToJson } from '../../../data/export-history/download.ts';
import type { BucketSummary } from '../api/export-lookups.ts';

const button =
  'inline-flex h-7 items-center rounded border border-slate-300 bg-white px-2 text-xs font-medium text-slate-700 hover:bg-slate-50 focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none disabled:cursor-not-allowed disabled:opacity-50';

function save(text: string, type: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // The click has handed the blob to the download; free it after this task.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** The two files on offer: a spreadsheet's CSV (with bucket names looked up), and Atlas's own JSON. */
const FORMATS = [
  { label: 'CSV', extension: 'csv', type: 'text/csv;charset=utf-8', write: jobsToCsv },
  { label: 'JSON', extension: 'json', type: 'application/json', write: jobsToJson },
] as const;

/** Every matching job (not just the page on screen), as CSV or as Atlas's own JSON. */
export function DownloadButtons({
  jobs,
  ready,
  projectName,
  clusterName,
  buckets,
}: {
  jobs: readonly ExportJob[];
  /** False until every page is loaded: a download of part of the history would look complete. */
  ready: boolean;
  projectName: string;
  clusterName: string;
  buckets: ReadonlyMap<string, BucketSummary> | undefined;
}) {
  const title = ready ? `Download the ${jobs.length} matching jobs` : 'Available once every job is loaded';
  return (
    <div className="flex items-center gap-1" role="group" aria-label="Download the matching jobs">
      {FORMATS.map((f) => (
        <button
          key={f.extension}
          type="button"
          className={button}
          disabled={!ready}
          title={title}
          onClick={() =>
            save(
              f.write(jobs, (id) => buckets?.get(id)),
              f.type,
              downloadFileName(projectName, clusterName, Date.now(), f.extension),
            )
          }
        >
          {f.label}
        </button>
      ))}
    </div>
  );
}
