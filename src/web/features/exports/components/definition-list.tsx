import type { ReactNode } from 'react';
import { AtlasText } from '../../../components/atlas-text.tsx';
import { CopyButton } from '../../../components/copy-button.tsx';
import { RelativeTime } from '../../../components/relative-time.tsx';
import { parseTime } from '../../../lib/format.ts';
import { formatZoned, useTimeMode } from '../../../lib/time-mode.ts';

/** A titled card of label/value pairs: the details page is made of these. */
export function DetailCard({ title, children, id }: { title: string; children: ReactNode; id?: string }) {
  return (
    <section aria-labelledby={id} className="rounded-md border border-slate-200 bg-white">
      <h2 id={id} className="border-b border-slate-200 bg-slate-50 px-4 py-2 text-sm font-semibold text-slate-800">
        {title}
      </h2>
      <div className="px-4 py-3">{children}</div>
    </section>
  );
}

export function Fields({ children }: { children: ReactNode }) {
  return <dl className="grid grid-cols-[minmax(8rem,max-content)_1fr] gap-x-6 gap-y-2 text-sm">{children}</dl>;
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0 text-slate-900 tabular-nums">{children ?? <span className="text-slate-400">—</span>}</dd>
    </>
  );
}

export function Mono({ children }: { children: ReactNode }) {
  return <span className="font-mono text-xs break-all text-slate-800">{children}</span>;
}

/** An Atlas string in monospace: isolated for bidirectional text, wrapping anywhere. */
export function MonoText({ text }: { text: string | undefined }) {
  return (
    <span className="font-mono text-xs text-slate-800">
      <AtlasText text={text} />
    </span>
  );
}

/** An exact time, in UTC or the local zone as the user chose, followed by its relative form. */
export function Exact({ iso }: { iso: string | undefined }) {
  const zone = useTimeMode() === 'local' ? 'local' : 'utc';
  const ms = parseTime(iso);
  if (ms === undefined) return null;
  return (
    <span className="flex flex-wrap gap-x-2">
      <span>{formatZoned(ms, zone)}</span>
      <span className="text-slate-500">
        (<RelativeTime iso={iso} mode="relative" />)
      </span>
    </span>
  );
}

/** A full id in monospace with a copy button. */
export function IdWithCopy({ id, label }: { id: string | undefined; label: string }) {
  if (!id) return null;
  return (
    <span className="inline-flex items-center gap-1">
      <MonoText text={id} />
      <CopyButton value={id} label={`Copy ${label}`} />
    </span>
  );
}
