import { useLayoutEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';

/** The links and buttons that rove; text fields keep their own tab stop and their arrow keys. */
const ITEM = 'a[href], button:not([disabled])';

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

/**
 * A WAI-ARIA toolbar (roving tabindex): a row of filter chips and actions is one Tab stop, and the arrow keys,
 * Home and End move inside it. Without it the exports page put a dozen chips between its heading and the table.
 */
export function Toolbar({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  const bar = useRef<HTMLDivElement>(null);
  // After every render: chips come and go (a count loads, a filter turns on) and each new one must leave the order.
  useLayoutEffect(() => {
    if (bar.current) syncStops(bar.current);
  });
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = STEP[e.key];
    if (!step || e.altKey || e.ctrlKey || e.metaKey || !bar.current || !(e.target instanceof HTMLElement)) return;
    const items = itemsOf(bar.current);
    const at = items.indexOf(e.target);
    if (at === -1) return;
    const next = items[step(at, items.length)];
    if (!next) return;
    e.preventDefault();
    syncStops(bar.current, next);
    next.focus();
  };
  return (
    <div
      ref={bar}
      role="toolbar"
      aria-label={label}
      className={className}
      onKeyDown={onKeyDown}
      onFocus={(e) => bar.current && syncStops(bar.current, e.target)}
    >
      {children}
    </div>
  );
}
