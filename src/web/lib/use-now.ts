import { useSyncExternalStore } from 'react';

/**
 * A shared clock per resolution. Only components that call useNow re-render on a tick (a badge's elapsed time,
 * "updated N s ago"), never the table around them; the timer runs only while someone listens.
 */
interface Clock {
  now: number;
  listeners: Set<() => void>;
  timer: ReturnType<typeof setInterval> | undefined;
}

const clocks = new Map<number, Clock>();

function clockFor(resolutionMs: number): Clock {
  let clock = clocks.get(resolutionMs);
  if (!clock) {
    clock = { now: Date.now(), listeners: new Set(), timer: undefined };
    clocks.set(resolutionMs, clock);
  } else if (!clock.timer) {
    // Nobody listened for a while: the stored time is stale.
    clock.now = Date.now();
  }
  return clock;
}

function subscribe(clock: Clock, resolutionMs: number, listener: () => void): () => void {
  clock.listeners.add(listener);
  if (!clock.timer) {
    clock.now = Date.now();
    clock.timer = setInterval(() => {
      clock.now = Date.now();
      for (const l of clock.listeners) l();
    }, resolutionMs);
  }
  return () => {
    clock.listeners.delete(listener);
    if (clock.listeners.size === 0 && clock.timer) {
      clearInterval(clock.timer);
      clock.timer = undefined;
    }
  };
}

export function useNow(resolutionMs = 1000): number {
  const clock = clockFor(resolutionMs);
  return useSyncExternalStore(
    (listener) => subscribe(clock, resolutionMs, listener),
    () => clock.now,
  );
}
