import { describe, expect, it } from 'vitest';
import { apiError } from '../../../atlas/api-error.ts';
import type { ExportJob } from '../../../atlas/types.ts';
import { httpError } from '../../lib/api-client.ts';
import type { AnySnapshot } from '../exports/api/export-lookups.ts';
import { costEstimate, notExportable, refusalText, retryCustomData } from './write-api.ts';

const fromAtlas = (status: number, code: string, detail: string, source?: 'dashboard') =>
  httpError(
    { status, statusText: '', headers: new Headers(source ? { 'x-error-source': source } : {}) },
    apiError(status, code, detail),
  );

describe('refusals in plain words', () => {
  it('403 from Atlas names the missing role; 409 says an export is already running; 404 says what is gone', () => {
    expect(
      refusalText(
        fromAtlas(
          403,
          'USER_UNAUTHORIZED',
          'Current user is not authorized to perform this action. It requires the Project Backup Export Operator role on group 0123.',
        ),
      ),
    ).toMatch(/lack the Project Backup Export Operator role on this project/);
    expect(refusalText(fromAtlas(409, 'EXPORT_ALREADY_IN_PROGRESS', 'x'))).toBe(
      'An export of this snapshot is already running.',
    );
    expect(refusalText(fromAtlas(404, 'SNAPSHOT_NOT_FOUND', 'x'))).toMatch(/no longer has this snapshot/);
    expect(refusalText(fromAtlas(404, 'EXPORT_BUCKET_NOT_FOUND', 'x'))).toMatch(/no longer has this export bucket/);
    expect(refusalText(fromAtlas(403, 'CSRF_TOKEN_INVALID', 'x', 'dashboard'))).toMatch(/reload the page/);
  });
});

describe('exportable snapshots and re-export bodies', () => {
  const snap = (o: Partial<AnySnapshot>): AnySnapshot =>
    ({
      id: 'a'.repeat(24),
      status: 'completed',
      snapshotType: 'scheduled',
      expiresAt: '2030-01-01T00:00:00Z',
      ...o,
    }) as AnySnapshot;
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('only completed, non-fallback, unexpired snapshots without a running export', () => {
    expect(notExportable(snap({}), new Set(), now)).toBeUndefined();
    expect(notExportable(undefined, new Set(), now)).toMatch(/no longer exists/);
    expect(notExportable(snap({ snapshotType: 'fallback' }), new Set(), now)).toMatch(/fallback/);
    expect(notExportable(snap({ status: 'inProgress' }), new Set(), now)).toMatch(/inProgress/);
    expect(notExportable(snap({ expiresAt: '2025-01-01T00:00:00Z' }), new Set(), now)).toMatch(/expired/);
    expect(notExportable(snap({}), new Set(['a'.repeat(24)]), now)).toMatch(/already running/);
  });
  it('a re-export keeps the custom data and names the job it retries (once)', () => {
    const job = {
      id: 'f'.repeat(24),
      customData: [
        { key: 'team', value: 'ops' },
        { key: 'retryOf', value: 'old' },
      ],
    } as ExportJob;
    expect(retryCustomData(job)).toEqual([
      { key: 'team', value: 'ops' },
      { key: 'retryOf', value: 'f'.repeat(24) },
    ]);
  });
  it('the estimate is size in GiB times the assumed rate', () => {
    expect(costEstimate(8 * 1024 ** 3)).toEqual({ gb: 8, usd: 1 });
    expect(costEstimate(undefined)).toBeUndefined();
  });
});
