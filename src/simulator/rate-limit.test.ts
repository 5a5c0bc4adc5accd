import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { childCoverageEnv } from '../../tests/support/child-coverage.ts';
import { OptionError, rateLimitsFromEnv } from './options.ts';
import { createRateLimiter } from './rate-limit.ts';
import { createClock } from './world/clock.ts';

const spec = { set: 'cloudBackups', scope: 'GROUP', capacity: 1200, refillPerMinute: 500 } as const;

describe('token bucket', () => {
  it('spends capacity, refuses with the seconds until one token is back, refills continuously', () => {
    const clock = createClock(0, 0);
    const rl = createRateLimiter({ capacity: 2, refillPerMinute: 30 }, clock);
    expect(rl.take(spec, 'g1')).toEqual({ ok: true, limit: 2, remaining: 1 });
    expect(rl.take(spec, 'g1')).toEqual({ ok: true, limit: 2, remaining: 0 });
    expect(rl.take(spec, 'g1')).toEqual({ ok: false, limit: 2, retryAfterSec: 2 });
    expect(rl.take(spec, 'g2')).toMatchObject({ ok: true });
    clock.advance(1_999);
    expect(rl.take(spec, 'g1')).toMatchObject({ ok: false, retryAfterSec: 1 });
    clock.advance(1);
    expect(rl.take(spec, 'g1')).toMatchObject({ ok: true, remaining: 0 });
  });

  it('uses the documented numbers by default, scales them, or is off', () => {
    const clock = createClock(0, 0);
    expect(createRateLimiter(true, clock).take(spec, 'g')).toEqual({ ok: true, limit: 1200, remaining: 1199 });
    expect(createRateLimiter({ scale: 0.01 }, clock).take(spec, 'g')).toEqual({ ok: true, limit: 12, remaining: 11 });
    expect(createRateLimiter(false, clock).take(spec, 'g')).toBeUndefined();
  });

  it('keeps a drained bucket drained when many other scope keys arrive', () => {
    const clock = createClock(0, 0);
    const rl = createRateLimiter({ capacity: 1, refillPerMinute: 1 }, clock);
    rl.take(spec, 'victim');
    for (let i = 0; i < 10_050; i++) rl.take({ ...spec, capacity: 1 }, `made-up-${i}`);
    expect(rl.take(spec, 'victim')).toMatchObject({ ok: false });
  });
});

describe('switching rate limits off (load tests measure the proxy, not the quota)', () => {
  it('SIMULATOR_RATE_LIMITS accepts on/off only', () => {
    expect(rateLimitsFromEnv(undefined)).toBe(true);
    expect(rateLimitsFromEnv('on')).toBe(true);
    expect(rateLimitsFromEnv('off')).toBe(false);
    expect(() => rateLimitsFromEnv('no')).toThrow(OptionError);
  });

  it('with rate limits off, no bucket ever refuses', () => {
    const rl = createRateLimiter(false, createClock(0, 0));
    for (let i = 0; i < 5_000; i++) expect(rl.take(spec, 'g1')).toBeUndefined();
  });

  it('npm run simulator -- --no-rate-limits starts with rate limits off', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/simulator/main.ts', '--no-rate-limits'], {
      env: { PATH: process.env.PATH ?? '', SIMULATOR_PORT: '0', ...childCoverageEnv() },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [first] = (await once(child.stdout!, 'data')) as [Buffer];
      expect(first.toString()).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+ \(.*rate limits off/);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
