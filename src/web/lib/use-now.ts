import { useSyncExternalStore } from 'react';

/**
 * A shared clock per resolution. Only components that call useNow re-render on a tick (a row's elapsed time,
 * "updated N s ago"), never the table around them; each clock's timer runs only while someone listens.
 * The value is the current time floored to the resolution, so every reader in one render sees the same number
 * (a snapshot that changed between two reads would make React render again and again).
 */
interface Clock {
  listeners: Set<() => void>;
  timer: ReturnType<typeof setInterval> | undefined;
}

const clocks = new Map<number, Clock>();

function clockFor(resolutionMs: number): Clock {
  let clock = clocks.get(resolutionMs);
  if (!clock) {
    clock = { listeners: new Set(), timer: undefined };
    clocks.set(resolutionMs, clock);
  }
  return clock;
}

function subscribe(clock: Clock, resolutionMs: number, listener: () => void): () => void {
  clock.listeners.add(listener);
  if (!clock.timer) {
    clock.timer = setInterval(() => {
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

export function flooredNow(resolutionMs: number, now = Date.now()): number {
  return Math.floor(now / resolutionMs) * resolutionMs;
}

export function useNow(resolutionMs = 1000): number {
  const clock = clockFor(resolutionMs);
  return useSyncExternalStore(
    (listener) => subscribe(clock, resolutionMs, listener),
    () => flooredNow(resolutionMs),
  );
}
