import type { ExportJob } from '../../../../atlas/types.ts';
import { Mark } from '../../../components/highlight.tsx';

/** Atlas sets stateReason on Failed jobs; show its code and message, or say plainly that none was given. */
export function FailureReason({ job, compact = false }: { job: ExportJob; compact?: boolean }) {
  const reason = job.stateReason;
  const text = [reason?.errorCode, reason?.message].filter(Boolean).join(': ') || 'Atlas gave no reason';
  return (
    <span className={`text-xs text-red-800 ${compact ? 'line-clamp-2' : ''}`} title={compact ? text : undefined}>
      <Mark text={text} />
    </span>
  );
}

/** customData key=value chips; wraps rather than widening the table. */
export function CustomDataChips({ labels }: { labels: ExportJob['customData'] }) {
  if (!labels || labels.length === 0) return <span className="text-slate-400">—</span>;
  return (
    <ul className="flex max-w-56 flex-col items-start gap-0.5" aria-label="Custom data">
      {labels.map((l, i) => (
        <li
          key={`${l.key ?? ''}-${i}`}
          title={`${l.key ?? ''}=${l.value ?? ''}`}
          className="max-w-full truncate rounded bg-slate-100 px-1 py-0.5 font-mono text-[11px] leading-4 text-slate-700 ring-1 ring-slate-200 ring-inset"
        >
          <Mark text={`${l.key ?? ''}=${l.value ?? ''}`} />
        </li>
      ))}
    </ul>
  );
}
