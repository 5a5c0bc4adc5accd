import { useState } from 'react';
import type { ExportJob } from '../../../../atlas/types.ts';
import { AtlasText } from '../../../components/atlas-text.tsx';
import { CopyButton } from '../../../components/copy-button.tsx';
import { DetailCard, IdWithCopy } from './definition-list.tsx';
import { JobLink } from './job-link.tsx';

export function ComponentsCard({ job }: { job: ExportJob }) {
  if (!job.components || job.components.length === 0) return null;
  return (
    <DetailCard title={`Components (${job.components.length} replica sets)`} id="components">
      <table className="w-full text-left text-sm">
        <thead className="text-xs text-slate-500">
          <tr>
            <th scope="col" className="py-1 pr-4 font-medium">
              Replica set
            </th>
            <th scope="col" className="py-1 font-medium">
              Export id
            </th>
          </tr>
        </thead>
        <tbody>
          {job.components.map((c, i) => (
            <tr key={c.exportId ?? i} className="border-t border-slate-100">
              <td className="py-1 pr-4 font-mono text-xs">
                <AtlasText text={c.replicaSetName ?? '—'} />
              </td>
              <td className="py-1">
                <IdWithCopy id={c.exportId} label={`export id of ${c.replicaSetName ?? 'component'}`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </DetailCard>
  );
}

export function LinksAndRaw({ job }: { job: ExportJob }) {
  const [raw, setRaw] = useState(false);
  return (
    <DetailCard title="Links and raw response" id="links">
      <ul className="flex flex-col gap-1 text-sm">
        {(job.links ?? []).map((l, i) => (
          <li key={i} className="flex min-w-0 gap-2">
            <span className="w-20 shrink-0 truncate text-slate-500">
              <AtlasText text={l.rel ?? 'link'} />
            </span>
            <JobLink href={l.href} />
          </li>
        ))}
        {(job.links ?? []).length === 0 && <li className="text-slate-400">No links</li>}
      </ul>
      <button
        type="button"
        aria-expanded={raw}
        aria-controls="raw-json"
        onClick={() => setRaw((r) => !r)}
        className="mt-3 rounded border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
      >
        {raw ? 'Hide raw JSON' : 'Show raw JSON'}
      </button>
      {raw && (
        <div className="relative mt-2">
          <pre
            id="raw-json"
            // Focusable so the keyboard can scroll it; a region so its focus stop has a name.
            tabIndex={0}
            role="region"
            aria-label="Raw JSON of this export job"
            className="max-h-96 overflow-auto rounded bg-slate-900 p-3 font-mono text-xs text-slate-100 focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
          >
            {visibleControls(JSON.stringify(job, null, 2))}
          </pre>
          <div className="absolute top-1 right-1 rounded bg-white">
            <CopyButton value={JSON.stringify(job, null, 2)} label="Copy raw JSON" />
          </div>
        </div>
      )}
    </DetailCard>
  );
}

/** Bidirectional controls written as JSON escapes: in raw JSON they should be seen, not obeyed. */
export function visibleControls(json: string): string {
  return json.replace(
    /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
