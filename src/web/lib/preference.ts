import { useSyncExternalStore } from 'react';
import * as z from 'zod/mini';

// Zod probes `new Function` to decide whether to compile parsers; under the strict CSP that probe is reported as
// a violation even though it is caught. Parsing a few settings needs no compiler.
z.config({ jitless: true });

/** The part of a zod schema a preference needs. */
export interface Parser<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

/**
 * A small setting remembered in localStorage (theme, time zone, pause, page size, watches), readable from any
 * component without a provider. Values are parsed with zod on the way in: storage is outside input, and an old
 * or hand-edited value falls back to the default instead of crashing a render.
 */
export interface Preference<T> {
  get(): T;
  set(value: T): void;
  subscribe(listener: () => void): () => void;
}

type Where = 'localStorage' | 'sessionStorage';

function readStored(key: string, where: Where): unknown {
  let raw: string | null;
  try {
    raw = window[where].getItem(key);
  } catch {
    // Storage can be disabled (privacy settings): then there is no preference.
    return undefined;
  }
  return raw === null ? undefined : safeJson(raw);
}

/** `sessionStorage` for what should last as long as the tab (watches), not follow the user to every tab. */
export function createPreference<T>(
  key: string,
  schema: Parser<T>,
  fallback: T,
  where: Where = 'localStorage',
): Preference<T> {
  const listeners = new Set<() => void>();
  const parse = (raw: unknown): T => {
    const parsed = schema.safeParse(raw);
    return parsed.success ? parsed.data : fallback;
  };
  let value = typeof window === 'undefined' ? fallback : parse(readStored(key, where));
  const notify = () => listeners.forEach((l) => l());
  if (typeof window !== 'undefined' && where === 'localStorage') {
    // Another tab changed it: follow, so two open dashboards never disagree about the theme or a pause.
    window.addEventListener('storage', (e) => {
      if (e.key !== key) return;
      value = parse(e.newValue === null ? undefined : safeJson(e.newValue));
      notify();
    });
  }
  return {
    get: () => value,
    set(next) {
      value = next;
      try {
        window[where].setItem(key, JSON.stringify(next));
      } catch {
        // Not persisted (storage full or disabled); the setting still holds for this tab.
      }
      notify();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

export function usePreference<T>(pref: Preference<T>): T {
  return useSyncExternalStore(pref.subscribe, pref.get, pref.get);
}
