/**
 * Nonce counts (RFC 7616 section 3.4) as the simulator enforces them, so the proxy's nonce reuse is tested
 * against a server that would catch a mistake: a nonce may be reused with a new nc, a replayed nc is refused
 * (plain 401, not stale: the signature was seen before), and an expired nonce answers stale=true.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationHeader, parseChallenge, type DigestChallenge } from '../../src/atlas/auth/digest.ts';
import { SIMULATOR_CREDENTIALS as CR } from '../../src/simulator/credentials.ts';
import { startSimulator, type RunningSimulator } from '../../src/simulator/server.ts';
import { ACCEPT, API } from '../support/sim-client.ts';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ rateLimits: false, nonceLifetimeSec: 60 });
});
afterAll(() => sim.close());

const creds = { username: CR.publicKey, password: CR.privateKey };
const PATH = `${API}/groups`;

async function challenge(): Promise<DigestChallenge> {
  const res = await fetch(sim.url + PATH, { headers: { accept: ACCEPT } });
  expect(res.status).toBe(401);
  return parseChallenge(res.headers.get('www-authenticate') ?? '');
}

const signedGet = (authorization: string) => fetch(sim.url + PATH, { headers: { accept: ACCEPT, authorization } });

describe('simulator Digest nonce counts', () => {
  it('accepts one nonce with increasing counts, also slightly out of order', async () => {
    const ch = await challenge();
    for (const nc of [1, 2, 4, 3, 5]) {
      const res = await signedGet(authorizationHeader(ch, creds, 'GET', PATH, nc));
      expect(res.status, `nc ${nc}`).toBe(200);
    }
  });

  it('refuses a replayed count with a plain 401 and a fresh challenge', async () => {
    const ch = await challenge();
    const header = authorizationHeader(ch, creds, 'GET', PATH, 1);
    expect((await signedGet(header)).status).toBe(200);
    const replay = await signedGet(header);
    expect(replay.status).toBe(401);
    const next = parseChallenge(replay.headers.get('www-authenticate') ?? '');
    expect(next.stale).toBe(false);
    expect(next.nonce).not.toBe(ch.nonce);
    // Same nc, fresh cnonce: still a reused count, still refused.
    expect((await signedGet(authorizationHeader(ch, creds, 'GET', PATH, 1))).status).toBe(401);
    expect((await signedGet(authorizationHeader(ch, creds, 'GET', PATH, 2))).status).toBe(200);
  });

  it('refuses a count that fell behind the window (non-increasing), and nc 0', async () => {
    const ch = await challenge();
    expect((await signedGet(authorizationHeader(ch, creds, 'GET', PATH, 100))).status).toBe(200);
    expect((await signedGet(authorizationHeader(ch, creds, 'GET', PATH, 10))).status).toBe(401);
    expect((await signedGet(authorizationHeader(ch, creds, 'GET', PATH, 0))).status).toBe(401);
  });

  it('answers stale=true for a correctly signed request over an expired nonce', async () => {
    const ch = await challenge();
    expect((await signedGet(authorizationHeader(ch, creds, 'GET', PATH, 1))).status).toBe(200);
    sim.simulator.clock.advance(61_000);
    const res = await signedGet(authorizationHeader(ch, creds, 'GET', PATH, 2));
    expect(res.status).toBe(401);
    expect(parseChallenge(res.headers.get('www-authenticate') ?? '').stale).toBe(true);
  });
});
