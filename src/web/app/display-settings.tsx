import { useEffect, useId, useRef, useState } from 'react';
import { usePreference, type Preference } from '../lib/preference.ts';
import { THEME_CHOICES, themePreference } from '../lib/theme.ts';
import { TIME_MODES, timeModePreference } from '../lib/time-mode.ts';

const THEME_LABELS = { system: 'System', light: 'Light', dark: 'Dark' } as const;
const TIME_LABELS = { relative: 'Relative', local: 'Local', utc: 'UTC' } as const;

function Choice<T extends string>({
  legend,
  pref,
  options,
  labels,
}: {
  legend: string;
  pref: Preference<T>;
  options: readonly T[];
  labels: Record<T, string>;
}) {
  const value = usePreference(pref);
  const name = useId();
  return (
    <fieldset className="flex flex-col gap-1">
      <legend className="mb-1 text-xs font-medium text-slate-600">{legend}</legend>
      <div className="flex rounded border border-slate-300">
        {options.map((o) => (
          <label
            key={o}
            className="flex-1 cursor-pointer px-2 py-1 text-center text-xs text-slate-700 first:rounded-l last:rounded-r has-checked:bg-blue-600 has-checked:text-white has-focus-visible:ring-2 has-focus-visible:ring-blue-600"
          >
            <input
              type="radio"
              name={name}
              value={o}
              checked={value === o}
              onChange={() => pref.set(o)}
              className="sr-only"
            />
            {labels[o]}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** Theme and time zone behind one header button: they fit a phone's header, and stay out of the way. */
export function DisplaySettings({ onShowShortcuts }: { onShowShortcuts: () => void }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    const onPointer = (e: PointerEvent) => {
      if (e.target instanceof Node && !root.current?.contains(e.target)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);
  return (
    <div ref={root} className="relative">
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls="display-settings"
        onClick={() => setOpen((o) => !o)}
        className="rounded border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
      >
        Display
      </button>
      {open && (
        <div
          id="display-settings"
          role="group"
          aria-label="Display settings"
          className="absolute top-full right-0 z-30 mt-1 flex w-64 flex-col gap-3 rounded-md border border-slate-200 bg-white p-3 shadow-lg"
        >
          <Choice legend="Theme" pref={themePreference} options={THEME_CHOICES} labels={THEME_LABELS} />
          <Choice legend="Times" pref={timeModePreference} options={TIME_MODES} labels={TIME_LABELS} />
          <button
            type="button"
            onClick={() => {
              // Focus goes back to the Display button first: this menu closes under it, and the help dialog returns
              // focus to whatever held it when it opened (Esc would otherwise drop it on the page body).
              button.current?.focus();
              setOpen(false);
              onShowShortcuts();
            }}
            className="rounded text-left text-xs text-blue-700 underline focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
          >
            Keyboard shortcuts <kbd className="font-mono">?</kbd>
          </button>
        </div>
      )}
    </div>
  );
}
