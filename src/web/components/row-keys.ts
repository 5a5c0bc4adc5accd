/**
 * Keyboard movement through a table's rows, one tab stop for the whole table (roving tabindex): the focused row
 * is the table's single stop; ↑/↓ (or j/k) move between rows, → and ← between the links and buttons inside a
 * row, Enter opens the row's link. Works on the DOM rows as rendered (plain or windowed), so the table
 * components only mark their rows with `data-row-id` and hand their container to `attachRowKeys`.
 */

const ROW = 'tr[data-row-id]';
const INSIDE = 'a[href], button, input, select, textarea, [tabindex]:not(tr)';

function rowsOf(container: Element): HTMLTableRowElement[] {
  return [...container.querySelectorAll<HTMLTableRowElement>(ROW)];
}

function focusablesIn(row: Element): HTMLElement[] {
  return [...row.querySelectorAll<HTMLElement>(INSIDE)].filter((el) => !el.hasAttribute('disabled'));
}

/** Makes `active` (or the first row) the table's tab stop, and takes everything inside rows out of the Tab order. */
export function syncRowTabStops(container: Element, active?: Element | null): void {
  const rows = rowsOf(container);
  const current = active ?? rows.find((r) => r.tabIndex === 0) ?? rows[0];
  // Only real changes are written: a refresh that changed nothing must leave the DOM untouched.
  for (const row of rows) {
    const want = row === current ? 0 : -1;
    if (row.tabIndex !== want) row.tabIndex = want;
    for (const el of focusablesIn(row)) if (el.tabIndex !== -1) el.tabIndex = -1;
  }
}

export function focusRow(container: Element, row: HTMLTableRowElement): void {
  syncRowTabStops(container, row);
  row.focus();
  row.scrollIntoView({ block: 'nearest' });
}

/** Moves to the row `delta` away from the one holding focus (or to the table's tab stop when focus is elsewhere). */
export function moveRow(container: Element, delta: number): boolean {
  const rows = rowsOf(container);
  if (rows.length === 0) return false;
  const here = document.activeElement?.closest(ROW);
  const index = here ? rows.indexOf(here as HTMLTableRowElement) : -1;
  const target =
    index === -1
      ? (rows.find((r) => r.tabIndex === 0) ?? rows[0])
      : rows[Math.min(rows.length - 1, Math.max(0, index + delta))];
  if (!target) return false;
  focusRow(container, target);
  return true;
}

function onKeyDown(container: Element, e: KeyboardEvent): void {
  if (e.altKey || e.ctrlKey || e.metaKey || !(e.target instanceof HTMLElement)) return;
  const row = e.target.closest<HTMLTableRowElement>(ROW);
  if (!row) return;
  const onRow = e.target === row;
  const inside = focusablesIn(row);
  const at = inside.indexOf(e.target);
  const go = (el: HTMLElement | undefined) => {
    if (!el) return;
    e.preventDefault();
    el.focus();
  };
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    moveRow(container, e.key === 'ArrowDown' ? 1 : -1);
  } else if (e.key === 'Home' || e.key === 'End') {
    const rows = rowsOf(container);
    const target = e.key === 'Home' ? rows[0] : rows[rows.length - 1];
    if (target) {
      e.preventDefault();
      focusRow(container, target);
    }
  } else if (e.key === 'ArrowRight') go(onRow ? inside[0] : inside[at + 1]);
  else if (e.key === 'ArrowLeft') go(onRow || at <= 0 ? row : inside[at - 1]);
  else if (e.key === 'Escape' && !onRow) go(row);
  else if (e.key === 'Enter' && onRow) {
    e.preventDefault();
    (row.querySelector<HTMLElement>('a[data-row-primary]') ?? row.querySelector<HTMLElement>('a[href]'))?.click();
  }
}

/**
 * Only what was added needs taking out of the Tab order (a page change adds a few dozen elements; walking every
 * row again would cost more than the change itself); a full pass only when the table's stop itself went away.
 */
function onMutations(container: Element, records: MutationRecord[]): void {
  const stop = container.querySelector(`${ROW}[tabindex="0"]`);
  if (!stop) return syncRowTabStops(container);
  const quiet = (el: HTMLElement) => {
    if (el !== stop && el.tabIndex !== -1) el.tabIndex = -1;
  };
  for (const record of records) {
    for (const node of record.addedNodes) {
      if (!(node instanceof HTMLElement)) continue;
      // Something added inside a row, or rows (or a whole body of them) added to the table.
      const rows = node.closest(ROW) ? [node] : [...node.querySelectorAll<HTMLElement>(ROW)];
      for (const el of rows) {
        if (el.matches(`${ROW}, ${INSIDE}`)) quiet(el);
        el.querySelectorAll<HTMLElement>(INSIDE).forEach(quiet);
      }
    }
  }
}

/** Wires a table container for row navigation; returns the clean-up. */
export function attachRowKeys(container: HTMLElement): () => void {
  const keydown = (e: KeyboardEvent) => onKeyDown(container, e);
  const focusin = (e: FocusEvent) => {
    const row = e.target instanceof Element ? e.target.closest(ROW) : null;
    if (row && row.getAttribute('tabindex') !== '0') syncRowTabStops(container, row);
  };
  // Rows come and go (paging, refresh, windowing): keep exactly one stop, and nothing inside rows, tabbable.
  const observer = new MutationObserver((records) => onMutations(container, records));
  observer.observe(container, { childList: true, subtree: true });
  syncRowTabStops(container);
  container.addEventListener('keydown', keydown);
  container.addEventListener('focusin', focusin);
  return () => {
    observer.disconnect();
    container.removeEventListener('keydown', keydown);
    container.removeEventListener('focusin', focusin);
  };
}
