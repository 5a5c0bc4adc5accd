/**
 * Basic auth for non-loopback deployments, built to survive password guessing: the per-address limiter runs
 * before any check, bcrypt runs on a bounded worker pool (excess checks refused at once), plain-text passwords
 * compare in constant time, and a correct header's verdict is remembered briefly under a keyed hash (never the
 * password itself). Health endpoints never pass through here.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';
import { LRUCache } from 'lru-cache';
import { apiError } from '../../atlas/index.ts';
import type { BasicAuth } from '../config.ts';
import type { Logger } from '../logger.ts';
import { createBcryptPool, PoolBusyError, type BcryptPool } from './bcrypt-pool.ts';
import { clientKey, SignInLimiter } from './limiter.ts';

type NodeEnv = { Bindings: Partial<HttpBindings> };

export interface SignIn {
  middleware: MiddlewareHandler<NodeEnv>;
  close(): Promise<void>;
}

const EXEMPT = new Set(['/healthz', '/readyz']);
const VERDICT_TTL_MS = 60_000;

const refuse = (status: number, code: string, detail: string, headers: Record<string, string>) =>
  new Response(JSON.stringify(apiError(status, code, detail)), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });

const challenge = () =>
  refuse(401, 'UNAUTHORIZED', 'Sign in to the dashboard.', {
    'www-authenticate': 'Basic realm="Atlas export jobs", charset="UTF-8"',
  });

export function createSignIn(config: BasicAuth, o: { logger: Logger; now?: () => number }): SignIn {
  const limiter = new SignInLimiter({ logger: o.logger, ...(o.now ? { now: o.now } : {}) });
  const pool: BcryptPool | null = 'bcryptHash' in config ? createBcryptPool() : null;
  const verified = new LRUCache<string, true>({ max: 256, ttl: VERDICT_TTL_MS });
  const verdictKey = randomBytes(32);
  const digest = (s: string) => createHash('sha256').update(s).digest();

  const check = async (user: string, password: string): Promise<boolean> => {
    const userOk = timingSafeEqual(digest(user), digest(config.user));
    const passOk =
      'bcryptHash' in config
        ? await pool!.compare(password, config.bcryptHash)
        : timingSafeEqual(digest(password), digest(config.password));
    return userOk && passOk;
  };

  const middleware: MiddlewareHandler<NodeEnv> = async (c, next) => {
    if (EXEMPT.has(c.req.path)) return next();
    const header = c.req.header('authorization') ?? '';
    const m = /^Basic ([A-Za-z0-9+/=]{1,1024})$/.exec(header);
    const decoded = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
    const at = decoded.indexOf(':');
    if (at < 0) return challenge();
    const address = clientKey(remoteAddress(c));
    const gate = limiter.gate(address);
    if (!gate.ok) return tooMany(gate.retryAfterSec);
    const key = createHmac('sha256', verdictKey).update(header).digest('base64url');
    if (verified.has(key)) return next();
    if (!limiter.begin(address)) return tooMany(1);
    let ok: boolean;
    try {
      ok = await check(decoded.slice(0, at), decoded.slice(at + 1));
    } catch (err) {
      limiter.end(address, 'not-checked');
      if (err instanceof PoolBusyError) return busy();
      throw err;
    }
    limiter.end(address, ok ? 'ok' : 'failed');
    if (!ok) return challenge();
    verified.set(key, true);
    return next();
  };

  return { middleware, close: async () => pool?.close() };
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

function busy(): Response {
  return refuse(503, 'SIGN_IN_BUSY', 'The dashboard is checking too many sign-ins at once; try again shortly.', {
    'retry-after': '1',
  });
}
