/**
 * `GET /api/fleet`: every fleet row as the watch holds it, one JSON body with a strong ETag (a 304 when nothing
 * changed) and gzip or brotli when the browser accepts it. The body and its compressed forms are built once per
 * watch version, so any number of viewers cost one serialization and no Atlas call.
 * `GET /api/fleet/find?id=<24 hex>`: the clusters holding a job or snapshot with that id.
 */
import { brotliCompress, constants, gzip } from 'node:zlib';
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

/** How often a changed fleet is serialized again; requests never wait for it (the last body is served). */
const REBUILD_MS = 500;

export function registerFleet(app: Hono<Env>, watch: Watch | undefined): void {
  let built: Built | undefined;
  let building = false;
  /**
   * Serializes the watch's snapshot and compresses it on libuv's threads, off the event loop. A watch that
   * changes every few milliseconds at 6,000 clusters costs one JSON pass and two compressions a second, and a
   * request costs a buffer write.
   */
  const rebuild = () => {
    if (!watch || building || built?.version === watch.version()) return;
    building = true;
    const version = watch.version();
    const json = Buffer.from(JSON.stringify(watch.snapshot()));
    const next: Built = { version, etag: `"fleet-${version}-${json.length}"`, json };
    let pending = 2;
    const done = () => {
      if (--pending > 0) return;
      built = next;
      building = false;
    };
    gzip(json, { level: 6 }, (err, out) => {
      if (!err) next.gzip = out;
      done();
    });
    brotliCompress(json, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }, (err, out) => {
      if (!err) next.br = out;
      done();
    });
    if (!built) built = next; // the very first request does not wait for compression
  };
  if (watch) setInterval(rebuild, REBUILD_MS).unref();
  const body = (): Built => {
    if (!built) rebuild();
    return built!;
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
    if (b.br && /\bbr\b/.test(accepts))
      return c.body(new Uint8Array(b.br), 200, { ...headers, 'content-encoding': 'br' });
    if (b.gzip && /\bgzip\b/.test(accepts))
      return c.body(new Uint8Array(b.gzip), 200, { ...headers, 'content-encoding': 'gzip' });
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
