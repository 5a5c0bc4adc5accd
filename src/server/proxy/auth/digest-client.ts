/**
 * API-key auth: HTTP Digest on node:crypto (the math is src/atlas/auth/digest.ts). Atlas's nonce is reused with
 * an increasing nonce count (RFC 7616 section 3.4), so after the first challenge every call is one exchange, not
 * two. The count is taken synchronously (one event loop: two requests can never sign the same nc), each
 * signature has a fresh cnonce, and every retry is signed anew. Cold start: concurrent calls wait for one
 * challenge. A 401 on a reused nonce (expired: stale=true; or refused, say as a replay) carries a fresh challenge,
 * which is adopted and signed once; a 401 on a fresh nonce without stale=true means the key is wrong, and we stop
 * there: never a loop.
 *
 * A rejected key backs off as the service-account path does (RejectionBackoff): after a rejection every call
 * fails fast, with no exchange with Atlas, for an interval that doubles on each further rejection. And until a
 * key has been accepted (at start, and after each rejection) one request at a time tries it while the others
 * wait for its verdict: 100 requests with a wrong key cost one challenge and one signed attempt, not 186.
 */
import {
  authorizationHeader,
  DigestChallengeError,
  parseChallenge,
  type DigestChallenge,
} from '../../../atlas/auth/digest.ts';
import { mediaType, operation } from '../../../atlas/operations.ts';
import { buildPath } from '../../../atlas/routing.ts';
import type { Logger } from '../../logger.ts';
import type { Upstream, UpstreamRequest, UpstreamResponse } from '../upstream.ts';
import { AuthError, type Authenticator } from './authenticator.ts';
import { RejectionBackoff } from './rejection-backoff.ts';

// The cheapest authenticated read, built from the operation table like every proxied call.
const PROBE_OP = operation('listGroups');
const PROBE_PATH = `${buildPath(PROBE_OP, {})}?itemsPerPage=1&includeCount=false`;
const PROBE_ACCEPT = mediaType(PROBE_OP.version);
const READINESS_TTL_MS = 60_000;

export function createDigestAuth(o: {
  upstream: Upstream;
  publicKey: string;
  privateKey: string;
  logger: Logger;
  /** The first back-off after a rejected key (PROXY_TOKEN_BACKOFF_MS); doubles up to 15 minutes. */
  backoffMs?: number;
  now?: () => number;
}): Authenticator {
  const now = o.now ?? Date.now;
  const backoff = new RejectionBackoff(o.backoffMs ?? 30_000, now);
  /** Has Atlas accepted the key since start or since the last rejection? Until then, one request tries it. */
  let accepted = false;
  let trying: Promise<unknown> | null = null;
  const backingOff = (waitMs: number) =>
    `Atlas rejected the API key (HTTP 401); backing off, next attempt in ${Math.ceil(waitMs / 1000)} s`;
  const creds = { username: o.publicKey, password: o.privateKey };
  let lastAuth: { ok: boolean; at: number } | null = null;
  let probe: Promise<unknown> | null = null;
  /** The nonce in use and the last count signed with it. Replaced, never mutated except for `nc`. */
  let current: NonceState | null = null;
  /** Cold start: the one unsigned request whose challenge every concurrent caller waits for. */
  let firstChallenge: Promise<UpstreamResponse> | null = null;

  const signed = (req: UpstreamRequest, state: NonceState): UpstreamRequest => ({
    ...req,
    headers: {
      ...req.headers,
      authorization: authorizationHeader(state.challenge, creds, req.method, req.path, ++state.nc),
    },
  });

  /** Returns the response to answer with when there is nothing to sign (no challenge: not Digest, or no auth). */
  async function ensureNonce(req: UpstreamRequest, signal?: AbortSignal): Promise<UpstreamResponse | undefined> {
    if (current) return undefined;
    if (firstChallenge) {
      await firstChallenge.catch(() => undefined);
      if (current) return undefined;
    }
    firstChallenge = o.upstream.send(req, signal);
    try {
      const first = await firstChallenge;
      const challenge = first.status === 401 ? challengeOf(first, o.logger) : undefined;
      if (!challenge) return first;
      current = { challenge, nc: 0 };
      return undefined;
    } finally {
      firstChallenge = null;
    }
  }

  async function send(req: UpstreamRequest, signal?: AbortSignal): Promise<UpstreamResponse> {
    for (;;) {
      const wait = backoff.blockedForMs();
      if (wait > 0) throw new AuthError('rejected', backingOff(wait), wait);
      if (accepted) return exchange(req, signal);
      if (!trying) break;
      await trying.catch(() => undefined);
    }
    const attempt = exchange(req, signal);
    trying = attempt;
    try {
      return await attempt;
    } finally {
      trying = null;
    }
  }

  async function exchange(req: UpstreamRequest, signal?: AbortSignal): Promise<UpstreamResponse> {
    const unsigned = await ensureNonce(req, signal);
    if (unsigned) return unsigned;
    for (let attempt = 0; ; attempt++) {
      const state = current!;
      const res = await o.upstream.send(signed(req, state), signal);
      if (res.status !== 401) {
        lastAuth = { ok: true, at: now() };
        accepted = true;
        backoff.accepted();
        return res;
      }
      const next = challengeOf(res, o.logger);
      // A reused nonce may have expired or been refused; a fresh one failing without stale=true is the key.
      if (attempt === 0 && next && (next.stale || state.nc > 1)) {
        if (current === state) current = { challenge: next, nc: 0 };
        continue;
      }
      if (current === state) current = null;
      lastAuth = { ok: false, at: now() };
      // The key was refused: every call stops for the back-off interval, then one request tries again.
      accepted = false;
      if (backoff.blockedForMs() === 0) {
        const waitMs = backoff.block();
        o.logger.warn('atlas rejected the api key; backing off', { waitSec: Math.ceil(waitMs / 1000) });
      }
      return res;
    }
  }

  return {
    kind: 'apiKey',
    identity: `key:${o.publicKey}`,
    send,
    async readiness() {
      const wait = backoff.blockedForMs();
      if (wait > 0) return { ready: false, detail: backingOff(wait) };
      if (!lastAuth || now() - lastAuth.at > READINESS_TTL_MS) {
        // One probe at a time, at most once per READINESS_TTL_MS: probes must not spend the Atlas quota.
        probe ??= send({ method: 'GET', path: PROBE_PATH, headers: { accept: PROBE_ACCEPT } })
          .catch(() => {
            lastAuth = { ok: false, at: now() };
          })
          .finally(() => {
            probe = null;
            lastAuth ??= { ok: false, at: now() };
          });
        await probe;
      }
      return lastAuth?.ok
        ? { ready: true, detail: 'api key accepted' }
        : { ready: false, detail: 'Atlas did not accept the API key (or could not be reached)' };
    },
    close: async () => undefined,
  };
}

interface NonceState {
  challenge: DigestChallenge;
  nc: number;
}

function challengeOf(res: UpstreamResponse, logger: Logger): DigestChallenge | undefined {
  const header = res.headers['www-authenticate'];
  if (!header) return undefined;
  try {
    return parseChallenge(header);
  } catch (err) {
    logger.warn('unusable digest challenge from atlas', {
      reason: err instanceof DigestChallengeError ? err.message : 'parse error',
    });
    return undefined;
  }
}
