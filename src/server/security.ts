/**
 * Who may use the proxy, and the response headers every answer carries. The proxy is a credential oracle:
 * anyone who can make it send a request reads Atlas with its key. So: loopback by default, the Host header
 * checked (DNS rebinding), cross-site API calls refused (CSRF-style reads from a malicious page), optional Basic
 * auth (sign-in/), and no CORS at all.
 */
import type { MiddlewareHandler } from 'hono';
import { apiError } from '../atlas/index.ts';

export const SPA_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

const json = (status: number, code: string, detail: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(apiError(status, code, detail)), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });

export const isApiPath = (path: string) => path === '/api' || path.startsWith('/api/') || path === '/readyz';

const COMMON_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
} as const;

/** Everything securityHeaders() sets on an API answer, for the node:http fast path (fast-api.ts). */
export const API_RESPONSE_HEADERS = {
  ...COMMON_HEADERS,
  'content-security-policy': API_CSP,
  'cache-control': 'no-store',
} as const;

/** Headers on every response; API answers get the strictest set, pages the CSP the built SPA runs under. */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    for (const [name, value] of Object.entries(COMMON_HEADERS)) h.set(name, value);
    for (const name of ['server', 'x-powered-by', 'set-cookie', 'www-authenticate', 'strict-transport-security']) {
      if (name !== 'www-authenticate' || c.res.status !== 401) h.delete(name);
    }
    if (isApiPath(c.req.path) || c.req.path === '/healthz') {
      h.set('content-security-policy', API_CSP);
      // /api/fleet revalidates with its ETag (304s instead of the whole fleet at every poll); private: never a
      // shared cache. Every other API answer is not stored at all.
      h.set('cache-control', c.req.path === '/api/fleet' && h.has('etag') ? 'private, no-cache' : 'no-store');
    } else {
      h.set('content-security-policy', SPA_CSP);
    }
  };
}

/** DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends `Host: evil.example`; refuse it. */
export function hostCheck(allowedHosts: readonly string[], exempt: readonly string[] = []): MiddlewareHandler {
  const allowed = new Set(allowedHosts.map((h) => h.toLowerCase()));
  return async (c, next) => {
    if (exempt.includes(c.req.path)) return next();
    if (!hostAllowed(allowed, c.req.header('host'))) {
      return json(
        421,
        'HOST_NOT_ALLOWED',
        'The dashboard does not answer this Host name: add it to DASHBOARD_ALLOWED_HOSTS if it is yours.',
      );
    }
    return next();
  };
}

/** The Host header's name (port and IPv6 brackets handled) is one of `allowed` (lower-case). */
export function hostAllowed(allowed: ReadonlySet<string>, hostHeader: string | undefined): boolean {
  const host = (hostHeader ?? '').toLowerCase();
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return allowed.has(name);
}

/**
 * Fetch metadata: the SPA calls the API same-origin; a cross-site or same-site (another localhost port) page
 * must not. Requests without the header (curl, scripts) are allowed: on loopback they are local users, and a
 * non-loopback bind requires Basic auth. Page navigations from other sites (a wiki link) stay allowed.
 */
export function fetchMetadataCheck(): MiddlewareHandler {
  return async (c, next) => {
    const site = c.req.header('sec-fetch-site');
    if (isApiPath(c.req.path) && (site === 'cross-site' || site === 'same-site')) {
      return json(403, 'CROSS_SITE_REQUEST', 'The dashboard API only answers its own pages.');
    }
    return next();
  };
}
