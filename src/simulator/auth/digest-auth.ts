import { randomBytes } from 'node:crypto';
import { digestResponse, parseAuthorization } from '../../atlas/auth/digest.ts';
import type { SimClock } from '../world/clock.ts';
import { safeEqual } from './secrets.ts';

export const DIGEST_REALM = 'MMS Public API';
/** Bounds memory under load: each challenge mints a nonce; expired ones are swept past this size. */
const MAX_NONCES = 20_000;
/**
 * Nonce counts (RFC 7616 section 3.4): a client may reuse a nonce with an increasing nc. Requests signed
 * concurrently can arrive out of order, so a sliding window is accepted (as IPsec's anti-replay window does):
 * an nc already seen, or older than the window, is a replay and refused.
 */
const NC_WINDOW = 64;

interface NonceState {
  expires: number;
  /** Highest nc accepted so far, and the ncs accepted within the window below it. */
  maxNc: number;
  seen: Set<number>;
}

export type DigestResult = { ok: true; identity: string } | { ok: false; stale: boolean };

export interface DigestAuth {
  /** The WWW-Authenticate value for a fresh nonce, in Atlas's exact layout. */
  challenge(stale: boolean): string;
  verify(header: string, method: string, requestTarget: string): DigestResult;
  reset(): void;
}

export function createDigestAuth(o: {
  clock: SimClock;
  nonceLifetimeMs: number;
  publicKey: string;
  privateKey: string;
}): DigestAuth {
  const nonces = new Map<string, NonceState>();
  const sweep = () => {
    const now = o.clock.now();
    for (const [n, st] of nonces) if (st.expires <= now) nonces.delete(n);
    // Still too many live ones (a flood of challenges): drop the oldest tenth, so sweeps stay rare.
    for (const n of nonces.keys()) {
      if (nonces.size <= MAX_NONCES * 0.9) break;
      nonces.delete(n);
    }
  };
  const issue = () => {
    if (nonces.size >= MAX_NONCES) sweep();
    const nonce = randomBytes(24).toString('base64');
    nonces.set(nonce, { expires: o.clock.now() + o.nonceLifetimeMs, maxNc: 0, seen: new Set() });
    return nonce;
  };
  return {
    challenge: (stale) =>
      `Digest realm="${DIGEST_REALM}", domain="", nonce="${issue()}", algorithm=MD5, qop="auth", stale=${stale}`,
    verify(header, method, requestTarget) {
      const creds = parseAuthorization(header);
      if (!creds || creds.realm !== DIGEST_REALM || creds.qop !== 'auth' || !creds.nc || !creds.cnonce)
        return { ok: false, stale: false };
      // The signed uri must be this very request-target, or a signature could be replayed on another resource.
      if (creds.uri !== requestTarget || !safeEqual(creds.username, o.publicKey)) return { ok: false, stale: false };
      const expected = digestResponse({
        algorithm: creds.algorithm,
        username: creds.username,
        realm: DIGEST_REALM,
        password: o.privateKey,
        method,
        uri: creds.uri,
        nonce: creds.nonce,
        qop: 'auth',
        nc: creds.nc,
        cnonce: creds.cnonce,
      });
      if (!safeEqual(creds.response.toLowerCase(), expected)) return { ok: false, stale: false };
      const state = nonces.get(creds.nonce);
      // A correct signature over a nonce we no longer honour: RFC 7616 says answer stale=true, no new password prompt.
      if (state === undefined || state.expires <= o.clock.now()) return { ok: false, stale: true };
      // A replayed count is not "stale": the signature was seen before, so it is refused outright.
      if (!acceptNonceCount(state, creds.nc)) return { ok: false, stale: false };
      return { ok: true, identity: `apiKey:${creds.username}` };
    },
    reset: () => nonces.clear(),
  };
}

function acceptNonceCount(state: NonceState, ncHex: string): boolean {
  if (!/^[0-9a-f]{8}$/i.test(ncHex)) return false;
  const nc = parseInt(ncHex, 16);
  if (nc < 1 || nc <= state.maxNc - NC_WINDOW || state.seen.has(nc)) return false;
  state.seen.add(nc);
  if (nc > state.maxNc) {
    state.maxNc = nc;
    for (const old of state.seen) if (old <= nc - NC_WINDOW) state.seen.delete(old);
  }
  return true;
}
