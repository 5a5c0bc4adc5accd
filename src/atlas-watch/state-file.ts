/**
 * The watch's memory across restarts, in one JSON file under DATA_DIR, written atomically (temporary file, then
 * rename): the digests, when each cluster is next due, and the last minute of calls per project. A restarted
 * watch shows the fleet at once, resumes its pass where it stopped, and keeps each project within its budget
 * across the restart.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { writeFile, rename, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ClusterHealth, WatchError } from '../export-health/index.ts';

export interface SavedCluster {
  health: ClusterHealth;
  ids: string[];
  nextCheckAt: number;
  nextScheduleAt: number;
}

export interface SavedState {
  format: 1;
  savedAt: number;
  orgs: [string, string][];
  projects: { id: string; name: string; orgId: string; nextListAt: number; error?: WatchError }[];
  clusters: SavedCluster[];
  /** Call times of the last minute, per project. */
  calls: Record<string, number[]>;
}

/** Older than this, a saved state says too little about now to be worth showing. */
const MAX_AGE_MS = 24 * 3_600_000;

export function loadState(file: string, now: number): SavedState | undefined {
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as SavedState;
    if (s.format !== 1 || !Array.isArray(s.clusters) || !(now - s.savedAt < MAX_AGE_MS)) return undefined;
    return s;
  } catch {
    return undefined;
  }
}

export function saveStateSync(file: string, state: SavedState): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(state));
  renameSync(`${file}.tmp`, file);
}

export async function saveState(file: string, state: SavedState): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, JSON.stringify(state));
  await rename(`${file}.tmp`, file);
}
