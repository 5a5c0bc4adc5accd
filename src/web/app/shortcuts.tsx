import { useRouter } from '@tanstack/react-router';
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { moveRow } from '../components/row-keys.ts';

/** The whole keyboard map, in the order the help dialog lists it. */
export const SHORTCUTS: ReadonlyArray<{ keys: string[]; what: string }> = [
  { keys: ['/'], what: 'Search' },
  { keys: ['j'], what: 'Next row' },
  { keys: ['k'], what: 'Previous row' },
  { keys: ['Enter'], what: 'Open the row' },
  { keys: ['←', '→'], what: 'Links and buttons inside a row' },
  { keys: ['n'], what: 'Next page' },
  { keys: ['p'], what: 'Previous page' },
  { keys: ['r'], what: 'Refresh now' },
  { keys: ['g', 'f'], what: 'Go to the fleet' },
  { keys: ['g', 'p'], what: 'Go to the projects' },
  { keys: ['?'], what: 'This list' },
  { keys: ['Esc'], what: 'Close' },
];

// Open/closed lives outside React so the header's menu can open the dialog without a shared provider.
let helpOpen = false;
const helpListeners = new Set<() => void>();
export function setShortcutsHelp(open: boolean): void {
  helpOpen = open;
  helpListeners.forEach((l) => l());
}
function useHelpOpen(): boolean {
  return useSyncExternalStore(
    (l) => (helpListeners.add(l), () => helpListeners.delete(l)),
    () => helpOpen,
  );
}

function typingIn(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

/** Presses the first enabled control a page marks (or labels) for this action, if the page has one. */
function press(selector: string): boolean {
  const el = document.querySelector<HTMLElement>(selector);
  if (!el || el.hasAttribute('disabled')) return false;
  el.click();
  return true;
}

function focusSearch(): boolean {
  const box = document.querySelector<HTMLElement>('[data-shortcut="search"], [role="searchbox"], input[type="search"]');
  box?.focus();
  return Boolean(box);
}

function rowsContainer(): Element {
  return document.getElementById('main') ?? document.body;
}

export function KeyboardShortcuts() {
  const router = useRouter();
  const pendingG = useRef(0);
  useEffect(() => {
    const go = (path: string) => void router.navigate({ href: path });
    const projectsPath = () => (Object.keys(router.routesByPath).includes('/projects') ? '/projects' : '/');
    const actions: Record<string, () => boolean> = {
      '/': focusSearch,
      j: () => moveRow(rowsContainer(), 1),
      k: () => moveRow(rowsContainer(), -1),
      n: () => press('button[aria-label="Next page"]'),
      p: () => press('button[aria-label="Previous page"]'),
      r: () => press('[data-shortcut="refresh"]'),
      '?': () => (setShortcutsHelp(true), true),
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typingIn(e.target)) return;
      if (pendingG.current > Date.now() && (e.key === 'f' || e.key === 'p')) {
        pendingG.current = 0;
        e.preventDefault();
        go(e.key === 'f' ? '/' : projectsPath());
        return;
      }
      if (e.key === 'g') {
        // A two-key sequence, as in GitHub and Gmail: "g" then a letter within a second and a half.
        pendingG.current = Date.now() + 1500;
        return;
      }
      const action = actions[e.key];
      if (action?.()) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [router]);
  return <ShortcutsHelp />;
}

function ShortcutsHelp() {
  const open = useHelpOpen();
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      opener.current = document.activeElement;
      d.showModal();
    }
    if (!open && d.open) d.close();
  }, [open]);
  // However the dialog closes (Esc, Close, a click outside), focus returns to where it was, never to the body.
  const onClose = () => {
    setShortcutsHelp(false);
    const back = opener.current;
    opener.current = null;
    if (back instanceof HTMLElement && back.isConnected && back !== document.body) back.focus();
  };
  return (
    <dialog
      ref={dialog}
      aria-labelledby="shortcuts-title"
      onClose={onClose}
      onClick={(e) => e.target === e.currentTarget && setShortcutsHelp(false)}
      className="m-auto w-80 max-w-[calc(100vw-2rem)] rounded-md border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-black/50"
    >
      <div className="flex items-center justify-between border-b border-slate-200 px-4 py-2">
        <h2 id="shortcuts-title" className="text-sm font-semibold">
          Keyboard shortcuts
        </h2>
        <button
          type="button"
          onClick={() => setShortcutsHelp(false)}
          className="rounded px-1.5 text-xs text-slate-700 hover:bg-slate-100 focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
        >
          Close
        </button>
      </div>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1.5 px-4 py-3 text-sm">
        {SHORTCUTS.map((s) => (
          <div key={s.what} className="contents">
            <dt className="flex gap-1">
              {s.keys.map((k) => (
                <kbd
                  key={k}
                  className="min-w-6 rounded border border-slate-300 bg-slate-50 px-1 text-center font-mono text-xs"
                >
                  {k}
                </kbd>
              ))}
            </dt>
            <dd className="text-slate-700">{s.what}</dd>
          </div>
        ))}
      </dl>
    </dialog>
  );
}
