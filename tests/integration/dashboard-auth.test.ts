/**
 * Issue 7 item 1: dashboard sign-in under attack. Every wrong password used to cost a bcrypt check on the event
 * loop with no limit: 200 concurrent guesses made even /healthz time out. Client addresses are real: Linux
 * routes all of 127/8 to loopback, so each request below comes from the source address it names.
 */
import bcrypt from 'bcryptjs';
import { afterEach, describe, expect, it } from 'vitest';
import { requestFrom, type Reply } from './support/from-address.ts';
import { startHarness, type Harness } from './support/harness.ts';

const getFrom = (base: string, from: string, path: string, headers: Record<string, string> = {}) =>
  requestFrom(base, from, path, { headers });

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const USER = 'operator';
const PASSWORD = 'correct-horse-battery';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const GOOD = basic(USER, PASSWORD);

/** A clock the test moves by hand (the sign-in limiter's back-off and lock windows). */
function manualClock() {
  let offset = 0;
  return { now: () => Date.now() + offset, advance: (ms: number) => (offset += ms) };
}

describe('dashboard sign-in under a password-guessing flood', () => {
  it('200 concurrent wrong passwords: /healthz keeps answering and a signed-in user keeps being served', async () => {
    const hash = bcrypt.hashSync(PASSWORD, 10);
    h = await startHarness({ env: { DASHBOARD_BASIC_AUTH: `${USER}:${hash}` } });
    expect((await getFrom(h.url, '127.0.0.9', '/api/atlas/v2/groups', { authorization: GOOD })).status).toBe(200);

    let settled = 0;
    const flood = Array.from({ length: 200 }, (_, i) =>
      getFrom(h!.url, `127.0.1.${i + 1}`, '/api/atlas/v2/groups', {
        authorization: basic(USER, `wrong-guess-${i}`),
      }).finally(() => settled++),
    );
    // Probe while the flood runs; each probe must answer promptly (a liveness probe's own timeout).
    const probes: number[] = [];
    do {
      const probe = await fetch(`${h.url}/healthz`, { signal: AbortSignal.timeout(5_000) });
      probes.push(probe.status);
      const user = await getFrom(h.url, '127.0.0.9', '/api/atlas/v2/groups?pageNum=2', { authorization: GOOD });
      expect(user.status).toBe(200);
      expect((await fetch(`${h.url}/readyz`, { signal: AbortSignal.timeout(5_000) })).status).toBe(200);
    } while (settled < 200 && probes.length < 50);
    expect(probes.every((s) => s === 200)).toBe(true);

    const replies = await Promise.all(flood);
    for (const r of replies) expect([401, 429, 503]).toContain(r.status);
    // Checks beyond the bounded queue are refused at once, in the ApiError shape, with a Retry-After.
    const busy = replies.filter((r) => r.status === 503);
    expect(busy.length).toBeGreaterThan(100);
    expect(busy[0]!.headers['retry-after']).toMatch(/^\d+$/);
    expect(JSON.parse(busy[0]!.body)).toMatchObject({ error: 503, errorCode: 'SIGN_IN_BUSY' });
    expect(await h.simCalls('listGroups')).toBeGreaterThanOrEqual(1);
  });

  it('locks an address after repeated failures (warn log, no password), while other addresses are served', async () => {
    const clock = manualClock();
    h = await startHarness({ env: { DASHBOARD_BASIC_AUTH: `${USER}:${PASSWORD}` }, now: clock.now });
    const attacker = '127.0.0.5';
    const guesses: string[] = [];
    let checked = 0;
    let lock: Reply | undefined;
    for (let i = 0; i < 60 && !lock; i++) {
      const guess = `guess-number-${i}-zz`;
      guesses.push(guess);
      const r = await getFrom(h.url, attacker, '/api/atlas/v2/groups', { authorization: basic(USER, guess) });
      if (r.status === 401) checked++;
      else {
        expect(r.status).toBe(429);
        expect(JSON.parse(r.body)).toMatchObject({ error: 429, errorCode: 'SIGN_IN_RATE_LIMITED' });
        const wait = Number(r.headers['retry-after']);
        expect(wait).toBeGreaterThan(0);
        if (wait >= 60) lock = r;
        else clock.advance(wait * 1000); // a patient attacker waits out each back-off step
      }
    }
    expect(lock).toBeDefined();
    expect(checked).toBeGreaterThanOrEqual(3); // a few typos never lock anyone out
    expect(checked).toBeLessThanOrEqual(10);

    // Locked: even the right password is not checked from that address...
    expect((await getFrom(h.url, attacker, '/', { authorization: GOOD })).status).toBe(429);
    // ...but everyone else is served, and health never asks for a password.
    expect((await getFrom(h.url, '127.0.0.6', '/api/atlas/v2/groups', { authorization: GOOD })).status).toBe(200);
    expect((await getFrom(h.url, attacker, '/healthz')).status).toBe(200);

    const lines = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    const locked = lines.find((l) => l.level === 'warn' && /locked/i.test(String(l.msg)));
    expect(locked).toMatchObject({ address: attacker });
    const all = h.logs.join('\n');
    for (const g of [...guesses, PASSWORD]) expect(all).not.toContain(g);

    clock.advance(Number(lock!.headers['retry-after']) * 1000);
    expect((await getFrom(h.url, attacker, '/api/atlas/v2/groups', { authorization: GOOD })).status).toBe(200);
  });
});
