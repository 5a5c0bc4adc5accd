import { describe, expect, it, vi } from 'vitest';
import { createRequestLimiter } from './request-limiter.ts';

function deferred() {
  let resolve!: (v: string) => void;
  const promise = new Promise<string>((r) => (resolve = r));
  return { promise, resolve };
}

describe('request limiter', () => {
  it('never runs more than max tasks at once, and starts the rest in arrival order', async () => {
    const limiter = createRequestLimiter(2);
    const tasks = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    let peak = 0;
    const results = tasks.map((d, i) =>
      limiter.run(() => {
        started.push(i);
        peak = Math.max(peak, limiter.inFlight());
        return d.promise;
      }),
    );
    expect(started).toEqual([0, 1]);
    tasks[1]!.resolve('b');
    await results[1];
    expect(started).toEqual([0, 1, 2]);
    tasks[0]!.resolve('a');
    tasks[2]!.resolve('c');
    tasks[3]!.resolve('d');
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c', 'd']);
    expect(peak).toBe(2);
    expect(limiter.inFlight()).toBe(0);
  });

  it('a failed task frees its slot and passes its error on', async () => {
    const limiter = createRequestLimiter(1);
    const failing = limiter.run(() => Promise.reject(new Error('429')));
    const next = limiter.run(() => Promise.resolve('ok'));
    await expect(failing).rejects.toThrow('429');
    await expect(next).resolves.toBe('ok');
  });

  it('starts nothing while paused, then resumes on its own when the pause ends', async () => {
    vi.useFakeTimers();
    try {
      const limiter = createRequestLimiter(4, () => Date.now());
      limiter.pauseFor(5_000);
      const task = vi.fn(() => Promise.resolve(1));
      const result = limiter.run(task);
      await vi.advanceTimersByTimeAsync(4_900);
      expect(task).not.toHaveBeenCalled();
      expect(limiter.queued()).toBe(1);
      // A shorter pause does not cut the longer one short.
      limiter.pauseFor(1);
      await vi.advanceTimersByTimeAsync(50);
      expect(task).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(100);
      expect(task).toHaveBeenCalledOnce();
      await expect(result).resolves.toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('an aborted waiter leaves the queue without running', async () => {
    const limiter = createRequestLimiter(1);
    const first = deferred();
    const running = limiter.run(() => first.promise);
    const controller = new AbortController();
    const task = vi.fn(() => Promise.resolve('late'));
    const waiting = limiter.run(task, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeDefined();
    first.resolve('done');
    await running;
    expect(task).not.toHaveBeenCalled();
    expect(limiter.queued()).toBe(0);
  });
});
