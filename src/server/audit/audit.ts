/**
 * The audit trail of write attempts: one JSON object per line, appended to `${DATA_DIR}/audit.jsonl` (never
 * rewritten), echoed as a structured log line, and the newest records kept in memory for `GET /api/activity`.
 * Nothing secret goes in: no credentials, no tokens, no cookies, no CSRF token; the idempotency key is the
 * client's random id.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AuditRecord } from '../../atlas/index.ts';
import type { Logger } from '../logger.ts';

export type { AuditRecord };

export interface AuditLog {
  record(entry: Omit<AuditRecord, 'id' | 'at'>): Promise<AuditRecord>;
  /** Newest first. */
  recent(limit: number): AuditRecord[];
  readonly file: string;
}

const KEEP = 1000;

export async function openAuditLog(file: string, logger: Logger, now: () => number = Date.now): Promise<AuditLog> {
  await mkdir(dirname(file), { recursive: true });
  const kept: AuditRecord[] = [];
  try {
    const text = await readFile(file, 'utf8');
    for (const line of text.split('\n').slice(-KEEP - 1)) {
      if (!line.trim()) continue;
      try {
        kept.push(JSON.parse(line) as AuditRecord);
      } catch {
        // A torn last line (a crash mid-append) is skipped, not fatal.
      }
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  let chain: Promise<unknown> = Promise.resolve();
  return {
    file,
    async record(entry) {
      const rec: AuditRecord = { id: randomUUID(), at: new Date(now()).toISOString(), ...entry };
      kept.push(rec);
      if (kept.length > KEEP) kept.splice(0, kept.length - KEEP);
      logger.info('audit', { audit: rec });
      // One appendFile (O_APPEND) per record, in order: lines never interleave.
      const write = chain.then(() => appendFile(file, JSON.stringify(rec) + '\n', { mode: 0o600 }));
      chain = write.catch(() => undefined);
      try {
        await write;
      } catch (err) {
        logger.error('audit file not written', { err, file });
        throw err;
      }
      return rec;
    },
    recent(limit) {
      return kept.slice(-limit).reverse();
    },
  };
}
