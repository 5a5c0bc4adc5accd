import { describe, expect, it } from 'vitest';
import { backoff, withRetries } from './retry.ts';
import { UpstreamError, type UpstreamResponse } from './upstream.ts';

const res = (status: number, headers: Record<string, string> = {}): UpstreamResponse => ({
  status,
  headers,
  body: Buffer.from('{}'),
  ms: 1,
});
const noSleep = async () => undefined;

describe('retries', () => {
  it('case 33 backoff is exponential with jitter: bounded, and not identical across runs', () => {
    for (let n = 0; n < 3; n++) {
      const step = 100 * 2 ** n;
      expect(backoff(n, 100, () => 0)).toBe(step / 2);
      expect(backoff(n, 100, () => 0.999)).toBeLessThan(step);
    }
    const delays = new Set(Array.from({ length: 20 }, () => backoff(1, 100, Math.random)));
    expect(delays.size).toBeGreaterThan(1);
  });

  it('retries 5xx and connection errors at most maxRetries times; never a timeout or a 4xx', async () => {
    let calls = 0;
    const always = (r: () => UpstreamResponse) => () => (calls++, Promise.resolve(r()));
    await withRetries(
      always(() => res(502)),
      { maxRetries: 2, baseMs: 1, budgetMs: 1000, sleep: noSleep },
    );
    expect(calls).toBe(3);
    calls = 0;
    await withRetries(
      always(() => res(404)),
      { maxRetries: 2, baseMs: 1, budgetMs: 1000, sleep: noSleep },
    );
    expect(calls).toBe(1);
    calls = 0;
    const failing = (kind: 'connect' | 'timeout') => () => (calls++, Promise.reject(new UpstreamError(kind, kind)));
    await expect(
      withRetries(failing('connect'), { maxRetries: 2, baseMs: 1, budgetMs: 1000, sleep: noSleep }),
    ).rejects.toThrow('connect');
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      withRetries(failing('timeout'), { maxRetries: 2, baseMs: 1, budgetMs: 1000, sleep: noSleep }),
    ).rejects.toThrow('timeout');
    expect(calls).toBe(1);
  });

  it('case 34 honours Retry-After, and gives up at once when it exceeds the budget', async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    let calls = 0;
    const r1 = await withRetries(() => (calls++, Promise.resolve(res(503, { 'retry-after': '2' }))), {
      maxRetries: 2,
      baseMs: 1,
      budgetMs: 10_000,
      sleep,
    });
    expect(waits).toEqual([2000, 2000]);
    expect(r1.attempts).toBe(3);
    calls = 0;
    const r2 = await withRetries(() => (calls++, Promise.resolve(res(503, { 'retry-after': '60' }))), {
      maxRetries: 2,
      baseMs: 1,
      budgetMs: 10_000,
      sleep,
    });
    expect(calls).toBe(1);
    expect(r2.res.status).toBe(503);
  });
});
