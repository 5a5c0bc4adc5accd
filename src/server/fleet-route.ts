/**
 * `GET /api/fleet`: every fleet row as the watch holds it, one JSON body with a strong ETag (a 304 when nothing
 * changed) and gzip or brotli when the browser accepts it. The body and its compressed forms are built once per
 * watch version, so any number of viewers cost one serialization and no Atlas call.
 * `GET /api/fleet/find?id=<24 hex>`: the clusters holding a job or snapshot with that id.
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Hono } from 'hono';
import { apiError } from '../atlas/index.ts';
import type { Watch } from '../atlas-watch/watch.ts';
import type { Env } from './app.ts';

interface Built {
  version: number;
  etag: string;
  json: Buffer;
  gzip?: Buffer;
  br?: Buffer;
}

/** A watch that changes every few seconds still serializes at most this often. */
const MIN_REBUILD_MS = 1_000;

export function registerFleet(app: Hono<Env>, watch: Watch | undefined): void {
  let built: Built | undefined;
  let builtAt = 0;
  const body = (): Built => {
    const v = watch!.version();
    if (built && (built.version === v || performance.now() - builtAt < MIN_REBUILD_MS)) return built;
    const json = Buffer.from(JSON.stringify(watch!.snapshot()));
    builtAt = performance.now();
    built = { version: v, etag: `"fleet-${v}-${json.length}"`, json };
    return built;
  };

  app.get('/api/fleet', (c) => {
    c.set('route', '/api/fleet');
    if (!watch) return c.json(watchOff(), 503);
    const b = body();
    const headers: Record<string, string> = {
      etag: b.etag,
      'cache-control': 'private, no-cache',
      vary: 'accept-encoding',
      'content-type': 'application/json; charset=utf-8',
    };
    if (matches(c.req.header('if-none-match'), b.etag)) return c.body(null, 304, headers);
    const accepts = c.req.header('accept-encoding') ?? '';
    if (/\bbr\b/.test(accepts)) {
      b.br ??= brotliCompressSync(b.json, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } });
      return c.body(new Uint8Array(b.br), 200, { ...headers, 'content-encoding': 'br' });
    }
    if (/\bgzip\b/.test(accepts)) {
      b.gzip ??= gzipSync(b.json, { level: 6 });
      return c.body(new Uint8Array(b.gzip), 200, { ...headers, 'content-encoding': 'gzip' });
    }
    return c.body(new Uint8Array(b.json), 200, headers);
  });

  app.get('/api/fleet/find', (c) => {
    c.set('route', '/api/fleet/find');
    if (!watch) return c.json(watchOff(), 503);
    const id = c.req.query('id') ?? '';
    if (!/^[a-f0-9]{24}$/.test(id))
      return c.json(
        apiError(400, 'INVALID_QUERY_PARAMETER', 'id must be a job or snapshot id: 24 hexadecimal characters.'),
        400,
      );
    return c.json({ id, clusters: watch.find(id) }, 200, { 'cache-control': 'no-store' });
  });
}

function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || t.trim() === '*');
}

const watchOff = () =>
  apiError(
    503,
    'WATCH_OFF',
    'The watch is off on this server (WATCH=off): the fleet view needs it. Turn it on, or use a replica that runs it.',
  );
