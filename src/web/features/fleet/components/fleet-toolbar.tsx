import { Toolbar } from '../../../components/toolbar.tsx';
import { FLEET_WINDOWS, type FleetSearch } from '../api/fleet-search.ts';

/** The two "only" switches (the summary tiles set the same `show` filter). */
const ONLY = [
  { show: 'failing', label: 'Failures only' },
  { show: 'stale', label: 'Stale only' },
] as const;

const control =
  'h-8 rounded border border-slate-300 bg-white px-2 text-sm focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none';

export function FleetToolbar({
  search,
  window,
  orgs,
  projects,
  onChange,
}: {
  search: FleetSearch;
  window: string;
  orgs: readonly { id: string; name: string }[];
  projects: readonly { id: string; name: string; orgId: string }[];
  onChange: (patch: Partial<FleetSearch>) => void;
}) {
  const inOrg = projects.filter((p) => !search.org || p.orgId === search.org);
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <input
        type="search"
        aria-label="Search clusters, failure reasons, job or snapshot ids"
        placeholder="Search clusters, reasons, ids…"
        className={`${control} w-full sm:w-64`}
        defaultValue={search.q ?? ''}
        onChange={(e) => onChange({ q: e.target.value || undefined })}
      />
      {/* The window and the two "only" switches are one Tab stop (arrow keys inside); the selects keep theirs. */}
      <Toolbar label="Fleet filters" className="flex flex-wrap items-center gap-2">
        <div
          role="group"
          aria-label="Failure window"
          className="inline-flex overflow-hidden rounded border border-slate-300"
        >
          {FLEET_WINDOWS.map((w) => (
            <button
              key={w}
              type="button"
              aria-pressed={w === window}
              onClick={() => onChange({ window: w })}
              className={`h-8 px-2.5 tabular-nums focus-visible:relative focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none ${w === window ? 'bg-slate-800 text-white' : 'bg-white text-slate-700 hover:bg-slate-100'}`}
            >
              {w}
            </button>
          ))}
        </div>
        {ONLY.map(({ show, label }) => (
          <label key={show} className="flex items-center gap-1.5">
            <input
              type="checkbox"
              className="size-4 accent-blue-700"
              checked={search.show === show}
              onChange={(e) => onChange({ show: e.target.checked ? show : undefined })}
            />
            <span>{label}</span>
          </label>
        ))}
      </Toolbar>
      <ScopeSelect
        label="Organization"
        value={search.org}
        options={orgs}
        onPick={(org) => onChange({ org, project: undefined })}
      />
      <ScopeSelect label="Project" value={search.project} options={inOrg} onPick={(project) => onChange({ project })} />
    </div>
  );
}

/** An organization or project filter: "All", or one of them by name. */
function ScopeSelect({
  label,
  value,
  options,
  onPick,
}: {
  label: string;
  value: string | undefined;
  options: readonly { id?: string | undefined; name: string }[];
  onPick: (id: string | undefined) => void;
}) {
  return (
    <label className="flex items-center gap-1.5">
      <span className="text-slate-600">{label}</span>
      <select className={control} value={value ?? ''} onChange={(e) => onPick(e.target.value || undefined)}>
        <option value="">All</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </label>
  );
}
