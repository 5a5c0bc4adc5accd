import {
  useLayoutEffect,
  useRef,
  type ComponentProps,
  type FocusEvent,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
} from 'react';

/**
 * The links, buttons and checkboxes that rove; text fields and selects keep their own tab stop and their arrow keys.
 */
const ITEM = 'a[href], button:not([disabled]), input[type="checkbox"]:not([disabled])';

function itemsOf(bar: Element): HTMLElement[] {
  return [...bar.querySelectorAll<HTMLElement>(ITEM)];
}

/** One stop for the bar: the item that last had focus, else the first one that is on, else the first. */
function syncStops(bar: Element, active?: Element): void {
  const items = itemsOf(bar);
  const current =
    items.find((el) => el === active) ??
    items.find((el) => el.tabIndex === 0) ??
    items.find((el) => el.dataset.active !== undefined) ??
    items[0];
  for (const el of items) {
    const want = el === current ? 0 : -1;
    if (el.tabIndex !== want) el.tabIndex = want;
  }
}

const STEP: Record<string, (i: number, n: number) => number> = {
  ArrowRight: (i, n) => (i + 1) % n,
  ArrowDown: (i, n) => (i + 1) % n,
  ArrowLeft: (i, n) => (i - 1 + n) % n,
  ArrowUp: (i, n) => (i - 1 + n) % n,
  Home: () => 0,
  End: (_i, n) => n - 1,
};

/** A row of column headers: ← and → only, so ↑ and ↓ stay with the page and the rows below. */
const HORIZONTAL: Record<string, (i: number, n: number) => number> = {
  ArrowRight: STEP.ArrowRight!,
  ArrowLeft: STEP.ArrowLeft!,
  Home: STEP.Home!,
  End: STEP.End!,
};

export interface RovingStops<T extends HTMLElement> {
  ref: RefObject<T | null>;
  onKeyDown: (e: KeyboardEvent<T>) => void;
  onFocus: (e: FocusEvent<T>) => void;
}

/**
 * Roving tabindex for any container: its links and buttons are one Tab stop, the one that last had focus, and the
 * arrow keys (or only ← → with `horizontal`), Home and End move inside. Spread the result on the container.
 */
export function useRovingStops<T extends HTMLElement>(horizontal = false): RovingStops<T> {
  const ref = useRef<T>(null);
  // After every render: items come and go (a count loads, a filter turns on) and each new one must leave the order.
  useLayoutEffect(() => {
    if (ref.current) syncStops(ref.current);
  });
  const keys = horizontal ? HORIZONTAL : STEP;
  return {
    ref,
    onKeyDown: (e) => {
      const step = keys[e.key];
      if (!step || e.altKey || e.ctrlKey || e.metaKey || !ref.current || !(e.target instanceof HTMLElement)) return;
      const items = itemsOf(ref.current);
      const at = items.indexOf(e.target);
      if (at === -1) return;
      const next = items[step(at, items.length)];
      if (!next) return;
      e.preventDefault();
      syncStops(ref.current, next);
      next.focus();
    },
    onFocus: (e) => {
      if (ref.current) syncStops(ref.current, e.target);
    },
  };
}

/**
 * A WAI-ARIA toolbar (roving tabindex): a row of filter chips and actions is one Tab stop, and the arrow keys,
 * Home and End move inside it. Without it the exports page put a dozen chips between its heading and the table.
 */
export function Toolbar({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  const roving = useRovingStops<HTMLDivElement>();
  return (
    <div role="toolbar" aria-label={label} className={className} {...roving}>
      {children}
    </div>
  );
}

/**
 * A header row whose sort buttons are one Tab stop, ← and → between them: a sortable table's headers otherwise put
 * one stop per column between the filters and the rows.
 */
export function SortHeaderRow({ children, ...rest }: Omit<ComponentProps<'tr'>, 'ref' | 'onKeyDown' | 'onFocus'>) {
  const roving = useRovingStops<HTMLTableRowElement>(true);
  return (
    <tr {...rest} {...roving}>
      {children}
    </tr>
  );
}
