import { Link } from '@tanstack/react-router';
import { EXPORT_JOB_STATES, type ExportJobState } from '../../../../atlas/types.ts';
import { stateLabel } from '../../../components/status-badge.tsx';
import { RELATIVE_WINDOWS } from '../../../data/export-history/time-window.ts';
import { formatInteger } from '../../../lib/format.ts';
import { withFilters, type ExportsSearch } from '../api/exports-search.ts';
import { MAX_Q_LENGTH, parseStates } from '../api/history-search.ts';

export interface HistoryToolbarProps {
  search: ExportsSearch;
  /** The search box's text (ahead of the URL while typing) and what to do with each keystroke. */
  typed: string;
  onType: (text: string) => void;
  /** Jobs per state over the whole history (within the search and time range); undefined before any loaded. */
  counts: Record<string, number> | undefined;
  /** The counts cover every job: no "so far". */
  exact: boolean;
}

const chip =
  'inline-flex h-6 items-center gap-1 rounded border px-1.5 text-xs whitespace-nowrap tabular-nums focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none';
const chipOff = 'border-slate-300 bg-white text-slate-700 hover:bg-slate-50';
const chipOn = 'border-blue-600 bg-blue-50 font-medium text-blue-900';

const ROUTE = '/projects/$groupId/clusters/$clusterName/exports';

function toggled(states: readonly ExportJobState[], state: ExportJobState): string | undefined {
  const next = states.includes(state) ? states.filter((s) => s !== state) : [...states, state];
  return EXPORT_JOB_STATES.filter((s) => next.includes(s)).join(',') || undefined;
}

/** State chips (each a link to that state's filter, with its count), time range chips and the search box. */
export function HistoryToolbar({ search, typed, onType, counts, exact }: HistoryToolbarProps) {
  const { states } = parseStates(search.state);
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2" role="group" aria-label="Filters">
      <div className="flex flex-wrap items-center gap-1" aria-label="Filter by state" role="group">
        {EXPORT_JOB_STATES.map((state) => {
          const on = states.includes(state);
          const n = counts?.[state];
          return (
            <Link
              key={state}
              from={ROUTE}
              to="."
              search={withFilters(search, { state: toggled(states, state) })}
              className={`${chip} ${on ? chipOn : chipOff}`}
              // The name starts with what is seen ("Failed 12+"), so voice control finds the chip by its text.
              aria-label={`${stateLabel(state)}: ${n === undefined ? 'not counted yet' : `${formatInteger(n)}${exact ? '' : ' or more'}`}${on ? ', filter on' : ''}`}
              data-state={state}
              data-active={on || undefined}
            >
              {on && <span aria-hidden="true">✓</span>}
              <span>{stateLabel(state)}</span>{' '}
              <span className={on ? 'text-blue-800' : state === 'Failed' && n ? 'text-red-800' : 'text-slate-500'}>
                {n === undefined ? '…' : `${formatInteger(n)}${exact ? '' : '+'}`}
              </span>
            </Link>
          );
        })}
      </div>
      <TimeChips search={search} />
      <SearchBox typed={typed} onType={onType} />
    </div>
  );
}

function TimeChips({ search }: { search: ExportsSearch }) {
  const windows = [...Object.keys(RELATIVE_WINDOWS), 'all'];
  return (
    <div className="flex items-center gap-1" role="group" aria-label="Created within">
      <span className="text-xs text-slate-500">Created</span>
      {windows.map((w) => {
        const on = w === 'all' ? !search.since && !search.until : search.since === w && !search.until;
        // Holds the visible text ("7d"), so voice control finds the chip by what it shows.
        const label = w === 'all' ? 'all time' : `last ${w}`;
        return (
          <Link
            key={w}
            from={ROUTE}
            to="."
            search={withFilters(search, { since: w === 'all' ? undefined : w, until: undefined })}
            className={`${chip} ${on ? chipOn : chipOff}`}
            aria-label={`Created ${label}${on ? ', filter on' : ''}`}
            data-active={on || undefined}
          >
            {w === 'all' ? 'All' : w}
          </Link>
        );
      })}
      {search.until && (
        <span className={`${chip} ${chipOn}`}>
          {search.since ? `${search.since} – ${search.until}` : `before ${search.until}`}
        </span>
      )}
      {search.since && !(search.since in RELATIVE_WINDOWS) && !search.until && (
        <span className={`${chip} ${chipOn}`}>since {search.since}</span>
      )}
    </div>
  );
}

function SearchBox({ typed, onType }: { typed: string; onType: (text: string) => void }) {
  return (
    <label className="flex min-w-64 flex-1 items-center gap-1.5 text-xs text-slate-600">
      <span className="sr-only">Search jobs</span>
      <input
        type="search"
        // The `/` shortcut's target (app/shortcuts.tsx).
        data-shortcut="search"
        aria-keyshortcuts="/"
        value={typed}
        maxLength={MAX_Q_LENGTH}
        // Short enough to show whole in the toolbar at 1440 px; the title names every field searched.
        placeholder="Search id, bucket, prefix, error…"
        title="Matches export and snapshot ids, bucket, prefix, custom data and failure reasons"
        spellCheck={false}
        onChange={(e) => onType(e.target.value)}
        className="h-7 w-full max-w-md rounded border border-slate-300 bg-white px-2 font-mono text-xs text-slate-900 placeholder:font-sans placeholder:text-slate-400 focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
      />
    </label>
  );
}
