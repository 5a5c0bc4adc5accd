import { useEffect, useMemo, useRef, useState } from 'react';
import { withFilters, type ExportsSearch } from '../api/exports-search.ts';

/** How long typing may pause before the search is written to the URL (one history entry per pause, not per key). */
export const URL_WRITE_DELAY_MS = 300;

/**
 * The search box filters at once, from what is typed; the URL follows when typing pauses. A router navigation per
 * keystroke costs several times more than filtering the whole history does.
 */
export function useDraftSearch(search: ExportsSearch, onSearch: (s: ExportsSearch, o?: { replace?: boolean }) => void) {
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const [seenQ, setSeenQ] = useState(search.q);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  if (seenQ !== search.q) {
    // The URL moved (our own write landing, or back/forward): it wins unless more was typed since.
    setSeenQ(search.q);
    if (timer.current === undefined) setDraft(undefined);
  }
  useEffect(() => () => clearTimeout(timer.current), []);
  const effective = useMemo(
    () => (draft === undefined ? search : withFilters(search, { q: draft.trim() ? draft : undefined })),
    [search, draft],
  );
  const onType = (text: string) => {
    setDraft(text);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = undefined;
      onSearch(withFilters(search, { q: text.trim() ? text : undefined }), { replace: Boolean(search.q) });
    }, URL_WRITE_DELAY_MS);
  };
  return { effective, typed: draft ?? search.q ?? '', onType };
}
