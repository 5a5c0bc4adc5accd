/**
 * The floor for a proxy written in Node on this machine, run beside nginx and the dashboard's proxy in the nginx
 * bench: `node:http` in front of one undici Pool, the same client the proxy uses, and nothing else. No
 * allowlist, token manager, coalescing, log, metrics or security headers; Content-Type and Content-Length only.
 * `cache` mode keeps every 200 body in a Map for good (a hit is one lookup and one write), `pass` stores nothing.
 * A gap between the proxy and nginx then splits into what Node itself costs and what the proxy adds to it.
 *
 * Plain JavaScript, started with the same Node flags as the compiled server:
 *   node node-floor.mjs <atlas origin> <bearer token> <accept> cache|pass <port>
 */
import { createServer } from 'node:http';
import { setFlagsFromString } from 'node:v8';

const [origin, bearer, accept, mode, port] = process.argv.slice(2);
if (!origin || !bearer || !accept || (mode !== 'cache' && mode !== 'pass') || !port)
  throw new Error('usage: node-floor.mjs <origin> <bearer> <accept> cache|pass <port>');
// As the proxy does before it loads undici (src/server/proxy/upstream.ts): same parser code, same memory.
setFlagsFromString('--liftoff-only');
// undici is loaded by the first request, as in the proxy: the floor's start is a bare node:http server's.
let pool;
let loading;
const withPool = (fn) => {
  if (pool) return fn(pool);
  loading ??= import('undici').then(
    ({ Pool }) => (pool = new Pool(origin, { connections: 32, keepAliveTimeout: 4_000 })),
  );
  loading.then(fn);
};
const headers = { authorization: `Bearer ${bearer}`, accept };
const cache = new Map();

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
}

createServer((req, res) => {
  const url = req.url ?? '/';
  if (url === '/healthz') return send(res, 200, Buffer.from('{"status":"ok"}'));
  const hit = cache.get(url);
  if (hit) return send(res, 200, hit);
  const chunks = [];
  let status = 502;
  withPool((p) =>
    p.dispatch(
      { origin, path: url, method: 'GET', headers },
      {
        onConnect() {},
        onHeaders(code) {
          status = code;
          return true;
        },
        onData(chunk) {
          chunks.push(chunk);
          return true;
        },
        onComplete() {
          const body = Buffer.concat(chunks);
          if (mode === 'cache' && status === 200) cache.set(url, body);
          send(res, status, body);
        },
        onError() {
          send(res, 502, Buffer.from('{"error":502}'));
        },
      },
    ),
  );
}).listen(Number(port), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
