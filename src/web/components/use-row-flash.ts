import { useEffect, useRef, type RefObject } from 'react';

const FLASH_MS = 2_000;

/** Ids that are new, or whose object changed, since `before`; empty when most rows differ (another page). */
export function changedIds<T>(before: ReadonlyMap<string, T>, after: ReadonlyMap<string, T>): string[] {
  if (before.size === 0) return [];
  let kept = 0;
  const changed: string[] = [];
  for (const [id, row] of after) {
    const old = before.get(id);
    if (old !== undefined) kept++;
    if (old !== row) changed.push(id);
  }
  // A page change or a new filter swaps most rows: that is navigation, not news, and nothing should blink.
  return kept * 2 < after.size ? [] : changed;
}

/**
 * Briefly highlights rows a refresh added or changed, so a job sliding in at the top is seen. Relies on Query's
 * structural sharing: an unchanged job keeps its object. The highlight is CSS (styles/comfort.css) and is off
 * under prefers-reduced-motion.
 */
export function useRowFlash<T>(container: RefObject<HTMLElement | null>, rows: readonly T[], idOf: (row: T) => string) {
  const previous = useRef<ReadonlyMap<string, T>>(new Map());
  useEffect(() => {
    const now = new Map(rows.map((r) => [idOf(r), r] as const));
    const ids = changedIds(previous.current, now);
    previous.current = now;
    const el = container.current;
    if (!el || ids.length === 0) return;
    const flashed: Element[] = [];
    for (const id of ids) {
      const tr = el.querySelector(`tr[data-row-id="${CSS.escape(id)}"]`);
      if (!tr) continue;
      tr.classList.add('row-flash');
      flashed.push(tr);
    }
    const timer = setTimeout(() => flashed.forEach((tr) => tr.classList.remove('row-flash')), FLASH_MS);
    return () => clearTimeout(timer);
  }, [container, rows, idOf]);
}
