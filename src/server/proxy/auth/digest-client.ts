/**
 * API-key auth: HTTP Digest on node:crypto (the math is src/atlas/auth/digest.ts). Stateless like the Atlas Go
 * SDK: every call fetches a fresh challenge, so there is no shared nonce/nc state to race under concurrency and
 * every retry is signed anew (a replayed nc/cnonce would be refused). `stale=true` re-signs once; a 401 without
 * it means the key is wrong, and we stop there: challenge + one attempt, never a loop.
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
import type { Authenticator } from './authenticator.ts';

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
  now?: () => number;
}): Authenticator {
  const now = o.now ?? Date.now;
  const creds = { username: o.publicKey, password: o.privateKey };
  let lastAuth: { ok: boolean; at: number } | null = null;
  let probe: Promise<unknown> | null = null;

  const signed = (req: UpstreamRequest, challenge: DigestChallenge): UpstreamRequest => ({
    ...req,
    headers: { ...req.headers, authorization: authorizationHeader(challenge, creds, req.method, req.path) },
  });

  async function send(req: UpstreamRequest, signal?: AbortSignal): Promise<UpstreamResponse> {
    const first = await o.upstream.send(req, signal);
    if (first.status !== 401) return first;
    let challenge = challengeOf(first, o.logger);
    if (!challenge) return first;
    for (let attempt = 0; ; attempt++) {
      const res = await o.upstream.send(signed(req, challenge), signal);
      if (res.status !== 401) {
        lastAuth = { ok: true, at: now() };
        return res;
      }
      const next = challengeOf(res, o.logger);
      if (attempt === 0 && next?.stale) {
        challenge = next;
        continue;
      }
      lastAuth = { ok: false, at: now() };
      return res;
    }
  }

  return {
    kind: 'apiKey',
    identity: `key:${o.publicKey}`,
    send,
    async readiness() {
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
