import { useRef, useState, type KeyboardEvent } from 'react';

const STEP_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown']);

/**
 * Rows per page. A closed native select changes its value on every arrow key (Chromium fires `change` each time),
 * and each change reloads the table: here arrow keys only move the choice, and Enter or leaving the menu applies
 * it. A pick with the pointer (or from the open list) applies at once.
 */
export function PerPageSelect({
  value,
  options,
  onPick,
}: {
  value: number;
  options: readonly number[];
  onPick: (perPage: number) => void;
}) {
  const [draft, setDraft] = useState<number | undefined>(undefined);
  const stepping = useRef(false);
  const shown = draft ?? value;
  const commit = () => {
    if (draft !== undefined && draft !== value) onPick(draft);
    setDraft(undefined);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLSelectElement>) => {
    stepping.current = STEP_KEYS.has(e.key);
    if (e.key === 'Enter') commit();
    if (e.key === 'Escape') setDraft(undefined);
  };
  return (
    <select
      value={shown}
      onKeyDown={onKeyDown}
      onChange={(e) => {
        const n = Number(e.target.value);
        if (stepping.current) setDraft(n);
        else {
          setDraft(undefined);
          if (n !== value) onPick(n);
        }
        stepping.current = false;
      }}
      onBlur={commit}
      onPointerDown={() => {
        stepping.current = false;
      }}
      className="rounded border border-slate-300 bg-white px-1.5 py-1 text-sm focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
    >
      {options.map((n) => (
        <option key={n} value={n}>
          {n}
        </option>
      ))}
    </select>
  );
}
