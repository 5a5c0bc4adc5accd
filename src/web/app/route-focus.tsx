import { useRouter } from '@tanstack/react-router';
import { useEffect, useState } from 'react';

/** How long to wait for a new page's heading (it appears once its data has loaded). */
const HEADING_WAIT_MS = 3_000;

function waitForHeading(signal: { cancelled: boolean }): Promise<HTMLElement | null> {
  const deadline = Date.now() + HEADING_WAIT_MS;
  return new Promise((resolve) => {
    const look = () => {
      if (signal.cancelled) return resolve(null);
      const h1 = document.querySelector<HTMLElement>('main h1');
      if (h1 || Date.now() > deadline) return resolve(h1);
      requestAnimationFrame(look);
    };
    look();
  });
}

function focusLost(): boolean {
  const el = document.activeElement;
  return !el || el === document.body || el.hasAttribute('disabled');
}

/**
 * After a client-side navigation, focus the new page's heading and say its name (a screen reader otherwise hears
 * nothing, and the next Tab starts from the top of the page). A page change inside a view keeps focus where it
 * is, unless the control that had it disappeared or disabled itself ("last page").
 */
export function RouteFocus() {
  const router = useRouter();
  const [message, setMessage] = useState('');
  useEffect(() => {
    let signal = { cancelled: false };
    return router.subscribe('onResolved', (event) => {
      const first = !event.fromLocation;
      const moved = event.pathChanged;
      if (first || (!moved && !focusLost())) return;
      signal.cancelled = true;
      signal = { cancelled: false };
      void waitForHeading(signal).then((h1) => {
        if (!h1 || (!moved && !focusLost())) return;
        h1.tabIndex = -1;
        h1.focus({ preventScroll: !moved });
        setMessage(h1.textContent ?? '');
      });
    });
  }, [router]);
  return (
    <p className="sr-only" aria-live="polite" aria-atomic="true" data-testid="route-announcer">
      {message}
    </p>
  );
}
