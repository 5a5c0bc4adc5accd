import { describe, expect, it } from 'vitest';
import { progressPercent } from '../components/progress-bar.tsx';
import { explainError, whoAnswered } from '../components/error-panel.tsx';
import { AtlasRequestError, parseRetryAfter } from './api-client.ts';
import { formatBytes, formatDuration, formatRelative } from './format.ts';
import { formatZoned } from './time-mode.ts';

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates, ignores junk', () => {
    expect(parseRetryAfter('30')).toBe(30_000);
    expect(parseRetryAfter(' 0 ')).toBe(0);
    const now = Date.parse('2026-11-29T10:00:00Z');
    expect(parseRetryAfter('Sun, 29 Nov 2026 10:00:12 GMT', now)).toBe(12_000);
    expect(parseRetryAfter('Sun, 29 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('-5')).toBeUndefined();
  });
});

describe('progressPercent', () => {
  it('never yields NaN and shows a finished 0-of-0 export as complete', () => {
    expect(progressPercent(0, 0, true)).toBe(100);
    expect(progressPercent(undefined, undefined, true)).toBe(100);
    expect(progressPercent(0, 0, false)).toBe(0);
    expect(progressPercent(undefined, 42, false)).toBe(0);
    expect(progressPercent(21, 42, false)).toBe(50);
    expect(progressPercent(50, 42, false)).toBe(100);
    expect(progressPercent(12, 42, true)).toBeCloseTo(28.57, 1);
  });
});

describe('format', () => {
  it('formats durations compactly', () => {
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(192_000)).toBe('3m 12s');
    expect(formatDuration(2 * 3600_000 + 5 * 60_000)).toBe('2h 05m');
    expect(formatDuration(3 * 86_400_000 + 4 * 3600_000)).toBe('3d 4h');
    expect(formatDuration(-1)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
  });
  it('formats relative times, past and future', () => {
    const now = Date.parse('2026-11-29T10:00:00Z');
    expect(formatRelative(now - 2_000, now)).toBe('just now');
    expect(formatRelative(now - 42_000, now)).toBe('42 s ago');
    expect(formatRelative(now - 42_000, now, true)).toBe('<1 min ago');
    expect(formatRelative(now - 3 * 60_000, now)).toBe('3 min ago');
    // Rounded to the nearest unit: 1m 50s is "2 min ago", 59m 40s is "1 h ago", 47.6 h is "2 d ago".
    expect(formatRelative(now - 110_000, now)).toBe('2 min ago');
    expect(formatRelative(now - 3_580_000, now)).toBe('1 h ago');
    expect(formatRelative(now - 47.6 * 3600_000, now)).toBe('2 d ago');
    expect(formatRelative(now - 5 * 3600_000, now)).toBe('5 h ago');
    expect(formatRelative(now - 12 * 86_400_000, now)).toBe('12 d ago');
    expect(formatRelative(now + 10_000, now)).toBe('just now');
    expect(formatRelative(now + 12 * 86_400_000, now)).toBe('in 12 d');
  });
  it('formats UTC and bytes', () => {
    expect(formatZoned(Date.parse('2026-11-29T08:41:07.123Z'), 'utc')).toBe('2026-11-29 08:41:07 UTC');
    expect(formatBytes(1.2 * 1024 ** 3)).toBe('1.2 GiB');
    expect(formatBytes(735_051_776)).toBe('701 MiB');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(undefined)).toBe('—');
  });
});

describe('explainError', () => {
  const http = (status: number, errorCode: string) =>
    new AtlasRequestError('http', status, 'x', { error: status, errorCode, reason: null, detail: null });
  it('says what to do for each failure users meet', () => {
    expect(explainError(http(502, 'UPSTREAM_AUTH')).title).toMatch(/credentials/);
    expect(explainError(http(401, 'UNAUTHORIZED')).transient).toBe(false);
    expect(explainError(http(403, 'USER_UNAUTHORIZED')).body).toMatch(/Project Backup Manager/);
    expect(explainError(http(404, 'RESOURCE_NOT_FOUND')).title).toBe('Project or cluster not found');
    expect(explainError(http(429, 'RATE_LIMITED'), 'x', 7).body).toMatch(/in 7 s/);
    expect(explainError(http(502, 'UPSTREAM_ERROR')).transient).toBe(true);
    expect(explainError(new AtlasRequestError('network', 0, 'down')).title).toMatch(/Cannot reach/);
    expect(explainError(http(504, 'UPSTREAM_TIMEOUT')).title).toMatch(/slow/);
  });
  it('names Atlas’s own status and which side answered, not the gateway’s 502', () => {
    const atlas503 = new AtlasRequestError(
      'http',
      502,
      'x',
      { error: 502, errorCode: 'UPSTREAM_ERROR', reason: null, detail: 'Atlas answered HTTP 503 (3 attempts).' },
      undefined,
      { atlasStatus: 503 },
    );
    expect(explainError(atlas503).title).toBe('Atlas is unavailable');
    expect(whoAnswered(atlas503)).toBe('Atlas answered 503 Service Unavailable (UPSTREAM_ERROR)');
    expect(whoAnswered(http(429, 'RATE_LIMITED'))).toBe('Atlas answered 429 Too Many Requests (RATE_LIMITED)');
    const busy = new AtlasRequestError('http', 429, 'x', undefined, 1000, { source: 'dashboard' });
    expect(whoAnswered(busy)).toBe('The dashboard server answered 429 Too Many Requests');
    expect(whoAnswered(new AtlasRequestError('network', 0, 'down'))).toBe('No answer from the dashboard server');
    const token = http(503, 'TOKEN_ERROR');
    expect(explainError(token).title).toBe('Atlas’s sign-in service is failing');
    expect(whoAnswered(token)).toBe('Atlas’s token endpoint failed (TOKEN_ERROR)');
    expect(explainError(http(502, 'UPSTREAM_ERROR')).body).not.toMatch(/Atlas or the dashboard/);
  });
});
