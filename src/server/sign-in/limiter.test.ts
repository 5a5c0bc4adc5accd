import { describe, expect, it } from 'vitest';
import { createLogger, memorySink } from '../logger.ts';
import { clientKey, SignInLimiter } from './limiter.ts';

describe('clientKey', () => {
  it('keys IPv4 (also IPv4-mapped IPv6) by address and IPv6 by its /64', () => {
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey(undefined)).toBe('unknown');
  });
});

describe('SignInLimiter', () => {
  it('free typos, then doubling waits capped at 30 s, then a lock; a success starts afresh', () => {
    let t = 0;
    const sink = memorySink();
    const limiter = new SignInLimiter({ logger: createLogger({ level: 'info', sink }), now: () => t });
    const fail = () => {
      expect(limiter.gate('a')).toEqual({ ok: true });
      expect(limiter.begin('a')).toBe(true);
      limiter.end('a', 'failed');
    };
    fail();
    fail();
    expect(limiter.gate('a')).toEqual({ ok: true });
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      fail();
      const gate = limiter.gate('a');
      if (gate.ok) throw new Error('expected a wait');
      waits.push(gate.retryAfterSec);
      t += gate.retryAfterSec * 1000;
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 30, 30, 900]); // the tenth failure locks for 15 min
    expect(limiter.gate('b')).toEqual({ ok: true });
    expect(sink.lines.some((l) => l.includes('"level":"warn"') && l.includes('locked'))).toBe(true);

    t += 1;
    limiter.begin('b');
    limiter.end('b', 'failed');
    limiter.begin('b');
    limiter.end('b', 'ok');
    limiter.begin('b');
    limiter.end('b', 'failed');
    limiter.begin('b');
    limiter.end('b', 'failed');
    expect(limiter.gate('b')).toEqual({ ok: true }); // the success reset the count: two failures, still free
  });

  it('one check per address at once; a check that never ran does not count, a refused one does', () => {
    const limiter = new SignInLimiter({ logger: createLogger({ level: 'error', sink: memorySink() }) });
    expect(limiter.begin('a')).toBe(true);
    expect(limiter.begin('a')).toBe(false);
    expect(limiter.begin('c')).toBe(true);
    limiter.end('a', 'not-checked');
    expect(limiter.begin('a')).toBe(true);
    for (let i = 0; i < 5; i++) limiter.end('a', 'not-checked');
    expect(limiter.gate('a')).toEqual({ ok: true });
    expect(limiter.failures('a')).toBe(0);
    // Refused by a full queue: counted, so an address that keeps the queue full is slowed like a guesser.
    for (let i = 0; i < 3; i++) {
      expect(limiter.begin('d')).toBe(true);
      limiter.end('d', 'refused');
    }
    expect(limiter.failures('d')).toBe(3);
    expect(limiter.gate('d').ok).toBe(false);
  });

  it('a served lock, or a quiet spell as long as one, starts the address afresh; a shorter spell does not', () => {
    let t = 0;
    const limiter = new SignInLimiter({ logger: createLogger({ level: 'error', sink: memorySink() }), now: () => t });
    const fail = (address: string) => {
      expect(limiter.begin(address)).toBe(true);
      limiter.end(address, 'failed');
    };
    // Five failures (two past the free three), then quiet for just under a lock's length: still counted.
    for (let i = 0; i < 5; i++) {
      fail('q');
      t += 31_000;
    }
    expect(limiter.failures('q')).toBe(5);
    t += 15 * 60_000 - 31_000;
    expect(limiter.failures('q')).toBe(5);
    fail('q');
    expect(limiter.gate('q').ok).toBe(false);
    // Quiet for longer than a lock: the next failure is a free one again.
    t += 15 * 60_000 + 1;
    expect(limiter.failures('q')).toBe(0);
    fail('q');
    expect(limiter.failures('q')).toBe(1);
    expect(limiter.gate('q')).toEqual({ ok: true });

    // Ten failures lock the address; once the lock has been served, it starts afresh too.
    for (let i = 0; i < 10; i++) {
      fail('l');
      const gate = limiter.gate('l');
      if (!gate.ok && i < 9) t += gate.retryAfterSec * 1000;
    }
    expect(limiter.gate('l')).toEqual({ ok: false, retryAfterSec: 900 });
    t += 900_000;
    expect(limiter.gate('l')).toEqual({ ok: true });
    fail('l');
    expect(limiter.failures('l')).toBe(1);
    expect(limiter.gate('l')).toEqual({ ok: true });
  });
});
