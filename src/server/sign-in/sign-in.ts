/**
 * Basic auth for non-loopback deployments, built to survive password guessing: the per-address limiter runs
 * before any check, bcrypt runs on a bounded worker pool (excess checks refused at once, and counted against
 * the address that sent them), plain-text passwords compare in constant time, and a correct header's verdict
 * is remembered under a keyed hash (never the password itself) while it is in use. Health endpoints never
 * pass through here.
 *
 * Availability under a flood (issue 16): one check per address at a time; requests carrying the same header
 * while its check runs share that check (the SPA keeps several reads in flight); an address with no recent
 * failures is checked ahead of addresses that keep failing; and credentials already verified are served from
 * the remembered verdict before the limiter is asked, so a lock on a shared address (a NAT, a reverse proxy)
 * never shuts out a browser that has already signed in.
 *
 * `verify()` is the entry point for anything that needs the Basic verdict without the middleware (a session
 * layer that signs a browser in once and then trusts its cookie).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';
import { LRUCache } from 'lru-cache';
import { apiError } from '../../atlas/index.ts';
import type { BasicAuth } from '../config.ts';
import { isSameHost } from '../health.ts';
import type { Logger } from '../logger.ts';
import { createBcryptPool, PoolBusyError, type BcryptPool } from './bcrypt-pool.ts';
import { clientKey, SignInLimiter } from './limiter.ts';

type NodeEnv = { Bindings: Partial<HttpBindings> };

/** The outcome of one sign-in attempt: the user, or the answer to send (401, 429 or 503). */
export type SignInVerdict = { ok: true; user: string } | { ok: false; response: Response };

export interface SignIn {
  middleware: MiddlewareHandler<NodeEnv>;
  /**
   * Checks one request's `Authorization` header for a client address (the limiter's key; see `clientKey`).
   * Every limiter, queue and remembered-verdict rule applies; never throws for bad input.
   */
  verify(authorization: string | undefined, remoteAddress: string | undefined): Promise<SignInVerdict>;
  close(): Promise<void>;
}

/** A remembered verdict lasts this long after its last use (use extends it); the process never trusts it longer than VERDICT_MAX_MS. */
const VERDICT_IDLE_MS = 15 * 60_000;
const VERDICT_MAX_MS = 12 * 60 * 60_000;
/** RFC 7617: the scheme name is case-insensitive. */
const BASIC = /^basic +([A-Za-z0-9+/=]{1,1024}) *$/i;

const refuse = (status: number, code: string, detail: string, headers: Record<string, string>) =>
  new Response(JSON.stringify(apiError(status, code, detail)), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });

const challenge = () =>
  refuse(401, 'UNAUTHORIZED', 'Sign in to the dashboard.', {
    'www-authenticate': 'Basic realm="Atlas export jobs", charset="UTF-8"',
  });

export function createSignIn(config: BasicAuth, o: { logger: Logger; now?: () => number }): SignIn {
  const now = o.now ?? Date.now;
  const limiter = new SignInLimiter({ logger: o.logger, now });
  const pool: BcryptPool | null = 'bcryptHash' in config ? createBcryptPool() : null;
  // Only correct headers are ever stored, so an attacker cannot evict the operator's entry.
  const verified = new LRUCache<string, { since: number; used: number }>({ max: 256 });
  const pending = new Map<string, { address: string; verdict: Promise<boolean> }>();
  const verdictKey = randomBytes(32);
  const digest = (s: string) => createHash('sha256').update(s).digest();

  const check = async (user: string, password: string, rank: number): Promise<boolean> => {
    const userOk = timingSafeEqual(digest(user), digest(config.user));
    const passOk =
      'bcryptHash' in config
        ? await pool!.compare(password, config.bcryptHash, rank)
        : timingSafeEqual(digest(password), digest(config.password));
    return userOk && passOk;
  };

  const isVerified = (key: string) => {
    const v = verified.get(key);
    if (v === undefined) return false;
    const t = now();
    if (t - v.used <= VERDICT_IDLE_MS && t - v.since <= VERDICT_MAX_MS) {
      v.used = t; // use extends it
      return true;
    }
    verified.delete(key);
    return false;
  };

  const verify = async (authorization: string | undefined, remote: string | undefined): Promise<SignInVerdict> => {
    const m = BASIC.exec(authorization ?? '');
    const decoded = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
    const at = decoded.indexOf(':');
    if (at < 0) return { ok: false, response: challenge() };
    const user = decoded.slice(0, at);
    const key = createHmac('sha256', verdictKey).update(decoded).digest('base64url');
    // Already verified: served whatever the limiter says about this address (a lock may be someone else's).
    if (isVerified(key)) return { ok: true, user };
    const address = clientKey(remote);
    const gate = limiter.gate(address);
    if (!gate.ok) return { ok: false, response: tooMany(gate.retryAfterSec) };

    const shared = pending.get(key);
    if (shared) {
      // The same credentials are being checked for another request: share that check's verdict.
      const ok = await shared.verdict.catch(() => null);
      if (ok === null) return { ok: false, response: busy() };
      // One typo from a browser with four reads in flight is one failure, not four; other addresses pay their own.
      if (shared.address !== address) limiter.record(address, ok ? 'ok' : 'failed');
      return ok ? { ok: true, user } : { ok: false, response: challenge() };
    }
    if (!limiter.begin(address)) return { ok: false, response: oneAtATime() };
    const running = check(user, decoded.slice(at + 1), limiter.failures(address));
    pending.set(key, { address, verdict: running });
    let ok: boolean;
    try {
      ok = await running;
    } catch (err) {
      limiter.end(address, err instanceof PoolBusyError ? 'refused' : 'not-checked');
      if (err instanceof PoolBusyError) return { ok: false, response: busy() };
      throw err;
    } finally {
      pending.delete(key);
    }
    limiter.end(address, ok ? 'ok' : 'failed');
    if (!ok) return { ok: false, response: challenge() };
    verified.set(key, { since: now(), used: now() });
    return { ok: true, user };
  };

  const middleware: MiddlewareHandler<NodeEnv> = async (c, next) => {
    // /healthz reveals nothing. /readyz tells whether Atlas accepts the credentials: free only on this host.
    const path = c.req.path;
    if (path === '/healthz' || (path === '/readyz' && isSameHost(remoteAddress(c)))) return next();
    const verdict = await verify(c.req.header('authorization'), remoteAddress(c));
    return verdict.ok ? next() : verdict.response;
  };

  return { middleware, verify, close: async () => pool?.close() };
}

function remoteAddress(c: Context<NodeEnv>): string | undefined {
  // The access middleware's client address (behind a trusted proxy: the real client's, from X-Forwarded-For).
  const client = (c as unknown as Context<{ Variables: { clientAddress?: string } }>).get('clientAddress');
  // Undefined outside a node:http server (app.request in unit tests): those share one 'unknown' bucket.
  return client ?? c.env?.incoming?.socket.remoteAddress;
}

function tooMany(retryAfterSec: number): Response {
  return refuse(
    429,
    'SIGN_IN_RATE_LIMITED',
    `Too many failed sign-ins from this address; try again in ${retryAfterSec} s.`,
    { 'retry-after': String(retryAfterSec) },
  );
}

function oneAtATime(): Response {
  return refuse(
    429,
    'SIGN_IN_RATE_LIMITED',
    'A sign-in from this address is already being checked; try again in 1 s.',
    { 'retry-after': '1' },
  );
}

function busy(): Response {
  return refuse(503, 'SIGN_IN_BUSY', 'The dashboard is checking too many sign-ins at once; try again shortly.', {
    'retry-after': '1',
  });
}
