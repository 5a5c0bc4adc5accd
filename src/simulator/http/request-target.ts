import type { Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';

/** The node request behind a Hono context, when served by @hono/node-server (absent under app.request()). */
export function incoming(c: Context): HttpBindings['incoming'] | undefined {
  const env: unknown = c.env;
  if (typeof env !== 'object' || env === null || !('incoming' in env)) return undefined;
  return (env as HttpBindings).incoming;
}

/**
 * The request-target exactly as the client sent it (path + query, still percent-encoded). Digest signs this
 * string and routing validates it undecoded, so it must not go through URL normalisation.
 */
export function requestTarget(c: Context): string {
  const raw = incoming(c)?.url;
  if (raw && raw.startsWith('/')) return raw;
  const u = new URL(c.req.url);
  return u.pathname + u.search;
}

export function splitTarget(target: string): { path: string; search: string } {
  const q = target.indexOf('?');
  return q < 0 ? { path: target, search: '' } : { path: target.slice(0, q), search: target.slice(q + 1) };
}
