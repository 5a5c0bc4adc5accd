import * as z from 'zod/mini';
import { createPreference, usePreference } from './preference.ts';

/** How times read across the dashboard: "3 min ago", the browser's own zone, or UTC as Atlas reports them. */
export const TIME_MODES = ['relative', 'local', 'utc'] as const;
export type TimeMode = (typeof TIME_MODES)[number];

export const timeModePreference = createPreference<TimeMode>('atlas-dashboard.time', z.enum(TIME_MODES), 'relative');

export function useTimeMode(): TimeMode {
  return usePreference(timeModePreference);
}

const localParts = new Intl.DateTimeFormat('en-CA', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
});

export interface ZonedTime {
  date: string;
  time: string;
  zone: string;
}

/**
 * Local times already formatted: every time cell renders its local form (shown or in its tooltip), and
 * `Intl.DateTimeFormat.formatToParts` was the largest single cost of re-rendering a page of rows per keystroke.
 * The same few hundred instants come back on every render; the cache is dropped whole when it grows past its bound.
 */
const localCache = new Map<number, ZonedTime>();
const LOCAL_CACHE_MAX = 5_000;

/** `2026-11-29`, `08:41:07`, `UTC` (or the local zone's short name, `GMT+5:30`): every absolute time names its zone. */
export function zonedParts(ms: number, zone: 'local' | 'utc'): ZonedTime {
  if (zone === 'local') {
    const hit = localCache.get(ms);
    if (hit) return hit;
    if (localCache.size >= LOCAL_CACHE_MAX) localCache.clear();
    const parts = localZonedParts(ms);
    localCache.set(ms, parts);
    return parts;
  }
  const iso = new Date(ms).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 19), zone: 'UTC' };
}

function localZonedParts(ms: number): ZonedTime {
  const parts = Object.fromEntries(localParts.formatToParts(ms).map((p) => [p.type, p.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}:${parts.second}`,
    zone: parts.timeZoneName ?? '',
  };
}

export function formatZoned(ms: number, zone: 'local' | 'utc', seconds = true): string {
  const p = zonedParts(ms, zone);
  return `${p.date} ${seconds ? p.time : p.time.slice(0, 5)} ${p.zone}`;
}
