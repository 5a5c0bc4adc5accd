import type { ComponentType, SVGProps } from 'react';
import type { ExportJobState } from '../../atlas/types.ts';
import { AtlasText } from './atlas-text.tsx';
import { AlertIcon, BanIcon, CheckIcon, ClockIcon, SyncIcon } from './icons.tsx';

interface StateStyle {
  label: string;
  Icon: ComponentType<SVGProps<SVGSVGElement>>;
  className: string;
}

/** One look per state, everywhere: colour, icon and text, so no state depends on colour alone. */
const STATE_STYLES: Record<ExportJobState, StateStyle> = {
  Queued: { label: 'Queued', Icon: ClockIcon, className: 'bg-slate-100 text-slate-700 ring-slate-300' },
  InProgress: { label: 'In progress', Icon: SyncIcon, className: 'bg-blue-50 text-blue-800 ring-blue-300' },
  Successful: { label: 'Successful', Icon: CheckIcon, className: 'bg-emerald-50 text-emerald-800 ring-emerald-300' },
  Failed: { label: 'Failed', Icon: AlertIcon, className: 'bg-red-50 text-red-800 ring-red-300' },
  Cancelled: { label: 'Cancelled', Icon: BanIcon, className: 'bg-amber-50 text-amber-900 ring-amber-300' },
};

const UNKNOWN: StateStyle = { label: 'Unknown', Icon: ClockIcon, className: 'bg-white text-slate-600 ring-slate-300' };
const BY_NAME: ReadonlyMap<string, StateStyle> = new Map(Object.entries(STATE_STYLES));

export function stateLabel(state: string | undefined): string {
  return (state && BY_NAME.get(state)?.label) ?? state ?? 'Unknown';
}

export function StatusBadge({ state }: { state: string | undefined }) {
  // A state this build does not know still renders, neutral and with its raw name.
  const style = (state && BY_NAME.get(state)) || { ...UNKNOWN, label: state ?? 'Unknown' };
  const { Icon } = style;
  return (
    <span
      className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${style.className}`}
      data-state={state ?? 'unknown'}
    >
      <Icon className="size-3.5 shrink-0" />
      {/* An unknown state is Atlas's raw text. */}
      <AtlasText text={style.label} className="max-w-40 truncate" />
    </span>
  );
}
