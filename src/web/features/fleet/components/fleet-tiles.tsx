import type { FleetSummary } from '../../../../export-health/index.ts';
import type { FleetShow } from '../api/fleet-search.ts';
import { Toolbar } from '../../../components/toolbar.tsx';
import { formatInteger } from '../../../lib/format.ts';

interface Tile {
  show: FleetShow | undefined;
  label: string;
  value: number;
  tone: string;
}

/** The fleet in five numbers; each one is a filter (pressing the active one clears it). */
export function FleetTiles({
  summary,
  window,
  show,
  onShow,
}: {
  summary: FleetSummary;
  window: string;
  show: FleetShow | undefined;
  onShow: (show: FleetShow | undefined) => void;
}) {
  const tiles: Tile[] = [
    { show: undefined, label: 'Clusters watched', value: summary.watched, tone: 'text-slate-900' },
    {
      show: 'failing',
      label: `With failures (${window})`,
      value: summary.failing,
      tone: summary.failing ? 'text-red-700' : 'text-slate-900',
    },
    { show: 'stale', label: 'Stale', value: summary.stale, tone: summary.stale ? 'text-amber-700' : 'text-slate-900' },
    {
      show: 'running',
      label: 'Running now',
      value: summary.running,
      tone: summary.running ? 'text-blue-700' : 'text-slate-900',
    },
    { show: 'backup-off', label: 'Backup off', value: summary.backupOff, tone: 'text-slate-600' },
  ];
  return (
    // One Tab stop for the five (arrow keys between them): the fleet's search and table are what most visits want.
    <Toolbar label="Summary">
      <ul className="grid grid-cols-2 gap-2 sm:grid-cols-5">
        {tiles.map((t) => {
          const pressed = t.show === show;
          return (
            <li key={t.label}>
              <button
                type="button"
                aria-pressed={pressed}
                onClick={() => onShow(pressed ? undefined : t.show)}
                className={`flex w-full flex-col items-start rounded-md border bg-white px-3 py-2 text-left focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none ${pressed ? 'border-blue-600 ring-1 ring-blue-600' : 'border-slate-200 hover:border-slate-400'}`}
              >
                <span className="text-xs text-slate-600">{t.label}</span>
                <span
                  className={`text-2xl font-semibold tabular-nums ${t.tone}`}
                  data-testid={`tile-${t.show ?? 'watched'}`}
                >
                  {formatInteger(t.value)}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </Toolbar>
  );
}
