/**
 * The built SPA, read into memory once, by the first request for a page or asset (an API-only process never holds
 * its 600 KB). Serving only files that existed in dist/ then (looked up by exact path in a map, never joined
 * onto the filesystem) makes path traversal impossible by construction.
 * Route-like paths (no extension) get index.html so deep links work, and so does anything under the SPA's own
 * route prefixes (a hand-edited `/projects/x/clusters/a.b` or `a%2Fb`): the app explains a bad address itself.
 * Hashed assets are immutable.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type * as Zlib from 'node:zlib';
import type { Context } from 'hono';
import { apiError } from '../atlas/index.ts';

/** zlib is loaded with the first compressed answer, not at start (only pages and assets are compressed). */
let zlibModule: typeof Zlib | undefined;
const zlib = () => (zlibModule ??= createRequire(import.meta.url)('node:zlib') as typeof Zlib);

interface StaticFile {
  body: Buffer;
  /** Compressed on first request, not at start: level 9 over the bundle was a large share of start time. */
  compressible: boolean;
  gzip?: Buffer;
  type: string;
  etag: string;
  cacheControl: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

export interface StaticSite {
  readonly ready: boolean;
  serve(c: Context, rawPath: string): Response;
}

export function loadStaticSite(distDir: string): StaticSite {
  const ready = existsSync(path.join(distDir, 'index.html'));
  let files: Map<string, StaticFile> | undefined;
  return {
    ready,
    serve(c, rawPath) {
      files ??= readSite(distDir);
      const index = files.get('/index.html');
      const file = files.get(rawPath) ?? (looksLikeRoute(rawPath) || isSpaRoute(rawPath) ? index : undefined);
      if (!file) {
        if (!index && (looksLikeRoute(rawPath) || isSpaRoute(rawPath)))
          return refusal(
            503,
            'UI_NOT_BUILT',
            'The dashboard UI is not built yet: run `npm run build` (npm start does it).',
          );
        return refusal(404, 'RESOURCE_NOT_FOUND', 'The dashboard has nothing at this path.');
      }
      return respond(c, file);
    },
  };
}

function readSite(distDir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  if (existsSync(path.join(distDir, 'index.html'))) {
    for (const rel of walk(distDir)) {
      const ext = path.extname(rel);
      // Source maps are for developers with the source; they are not shipped to browsers.
      if (ext === '.map' || !TYPES[ext]) continue;
      const body = readFileSync(path.join(distDir, rel));
      const urlPath = '/' + rel.split(path.sep).join('/');
      const compressible = /^(text\/|application\/json|image\/svg)/.test(TYPES[ext]!) && body.length > 1024;
      files.set(urlPath, {
        body,
        compressible,
        type: TYPES[ext]!,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
        cacheControl: urlPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
    }
  }
  return files;
}

/** The SPA's route prefixes: every path below them is a page of the app, whatever its characters. */
const SPA_PREFIXES = ['/projects'];

/** `/projects`, `/projects/anything/at%2Fall`; never `/api/…` or `/assets/…` (other prefixes). */
function isSpaRoute(p: string): boolean {
  // The server answers dot segments (even encoded) with 400 before this point; refusing them here as well keeps
  // this check safe on its own. A backslash is never part of the app's URLs.
  if (p.includes('\\') || /(^|\/)(\.|%2e){1,2}(\/|$)/i.test(p)) return false;
  return SPA_PREFIXES.some((prefix) => p === prefix || p.startsWith(`${prefix}/`));
}

/** `/projects/abc/clusters/x` yes; `/app.js`, `/.env`, `/assets/../x` no. */
function looksLikeRoute(p: string): boolean {
  if (!p.startsWith('/') || p.includes('%') || p.includes('\\')) return false;
  const segments = p.split('/').slice(1);
  return segments.every((s) => !s.startsWith('.') && !s.includes('.'));
}

function respond(c: Context, file: StaticFile): Response {
  const headers: Record<string, string> = {
    'content-type': file.type,
    etag: file.etag,
    'cache-control': file.cacheControl,
    vary: 'accept-encoding',
  };
  if (c.req.header('if-none-match') === file.etag) return new Response(null, { status: 304, headers });
  const gzip = file.compressible && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
  if (gzip) file.gzip ??= zlib().gzipSync(file.body, { level: 9 });
  if (gzip) headers['content-encoding'] = 'gzip';
  const body = gzip ? file.gzip! : file.body;
  headers['content-length'] = String(body.length);
  return new Response(c.req.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
}

/** A missing file is refused like every other dashboard refusal: an ApiError in JSON, never text/plain. */
function refusal(status: number, code: string, detail: string): Response {
  return new Response(JSON.stringify(apiError(status, code, detail)), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
}

function* walk(root: string, rel = ''): Generator<string> {
  for (const name of readdirSync(path.join(root, rel))) {
    // dist/server is the compiled server (npm run build), not something to hand to browsers.
    if (rel === '' && name === 'server') continue;
    const child = path.join(rel, name);
    if (statSync(path.join(root, child)).isDirectory()) yield* walk(root, child);
    else yield child;
  }
}
