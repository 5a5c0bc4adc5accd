/**
 * The part of undici the proxy uses (Pool, its dispatch() API, errors, and the header-name helper), for the
 * server bundle only (scripts/build-server.mjs resolves `undici` to this file). undici's index loads fetch,
 * WebSocket, the cache, the mock agent and the request/stream API too: code compiled for nothing. Mirrors
 * undici's index.js for these exports; undici is pinned, and the production-start test runs the bundle through it.
 */
import Pool from 'undici/lib/dispatcher/pool.js';
import errors from 'undici/lib/core/errors.js';
import coreUtil from 'undici/lib/core/util.js';

export const util = { parseHeaders: coreUtil.parseHeaders, headerNameToString: coreUtil.headerNameToString };

export { Pool, errors };
