/**
 * Refusals written before Hono sees the request (a request target no URL parser may touch, a request Node's
 * HTTP parser rejected). Same ApiError body, security headers and `X-Error-Source: dashboard` as every other
 * refusal, so the browser and the SPA cannot tell which layer answered.
 */
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { apiError } from '../atlas/index.ts';
import { internalFailure } from './proxy/refusals.ts';
import { API_CSP } from './security.ts';

function headersFor(body: string): Record<string, string | number> {
  return {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy': API_CSP,
    'x-error-source': 'dashboard',
    'content-length': Buffer.byteLength(body),
  };
}

export function refuseTarget(res: ServerResponse): void {
  const body = JSON.stringify(
    apiError(400, 'INVALID_REQUEST_TARGET', 'The dashboard does not accept this request path.'),
  );
  res.writeHead(400, headersFor(body));
  res.end(body);
}

/**
 * A Host header no URL can be built from (user info, a port that is not a number, stray characters), or none
 * at all on HTTP/1.1 (RFC 9112 section 3.2). Node and Hono used to answer these with an empty 400.
 */
export function refuseHost(res: ServerResponse, missing: boolean): void {
  const body = JSON.stringify(
    apiError(
      400,
      missing ? 'MISSING_HOST' : 'INVALID_HOST',
      missing
        ? 'The dashboard needs a Host header on HTTP/1.1 requests.'
        : 'The dashboard does not accept this Host header: a host name or address, optionally with a numeric port.',
    ),
  );
  res.writeHead(400, { ...headersFor(body), connection: 'close' });
  res.end(body);
}

/** A Host header's syntax: a name or IPv4 address, or a bracketed IPv6 address, and an optional numeric port. */
const HOST_SYNTAX = /^(?:[A-Za-z0-9_.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/** Why this request's Host cannot be used (`missing` or `invalid`), or undefined when it can. */
export function hostProblem(host: string | undefined, httpVersion: string): 'missing' | 'invalid' | undefined {
  if (host === undefined) return httpVersion === '1.0' ? undefined : 'missing';
  return HOST_SYNTAX.test(host) ? undefined : 'invalid';
}

/** The server could not load a part it needed for this request (never expected): Hono's onError answer. */
export function internalError(res: ServerResponse): void {
  const body = JSON.stringify(internalFailure());
  res.writeHead(500, headersFor(body));
  res.end(body);
}

const CLIENT_ERRORS: Readonly<Record<string, [number, string, string]>> = {
  HPE_HEADER_OVERFLOW: [
    431,
    'REQUEST_HEADERS_TOO_LARGE',
    'The dashboard does not accept request headers larger than 16 KiB.',
  ],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'REQUEST_TIMEOUT', 'The dashboard stopped waiting for this request.'],
};

/**
 * A page address (not the API, not a probe) typed or pasted into the browser: `GET /projects/…` at the start of
 * what Node read. Such a request gets a page a person can read, not a JSON body shown raw.
 */
function isPageRequest(raw: Buffer | undefined): boolean {
  if (!raw) return false;
  const start = raw.subarray(0, 16).toString('latin1');
  if (!start.startsWith('GET /')) return false;
  return !/^GET \/(?:api(?:\/|\s|\?)|readyz|healthz|metrics)/.test(start);
}

const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The same refusal as a small HTML page: what happened, why, and a way back into the dashboard. */
function pageFor(status: number, detail: string): { body: string; headers: Record<string, string | number> } {
  const title = status === 431 ? 'This address is too long' : 'The dashboard could not read this request';
  const why =
    status === 431
      ? 'The address (or the request headers) is over 16 KiB, which the dashboard does not accept. A search longer than 200 characters is cut anyway: shorten the search in the address, or start again from the projects.'
      : detail;
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title} · Atlas export jobs</title></head><body style="font:14px/1.5 system-ui,sans-serif;margin:2rem;color:#0f172a"><h1 style="font-size:1.125rem">${title}</h1><p style="max-width:40rem">${why}</p><p><a href="/">Go to the projects</a></p><p style="color:#64748b;font-size:12px">The dashboard answered ${status}.</p></body></html>`;
  return {
    body,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': PAGE_CSP,
      'x-error-source': 'dashboard',
      'content-length': Buffer.byteLength(body),
    },
  };
}

/** `clientError`: Node's parser refused the request; answer as the dashboard (Node's default has no body). */
export function onClientError(err: Error & { code?: string; rawPacket?: Buffer }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const known = err.code && Object.hasOwn(CLIENT_ERRORS, err.code) ? CLIENT_ERRORS[err.code] : undefined;
  const [status, code, detail] = known ?? [400, 'INVALID_REQUEST', 'The dashboard could not parse this request.'];
  const json = JSON.stringify(apiError(status, code, detail));
  const { body, headers } = isPageRequest(err.rawPacket)
    ? pageFor(status, detail)
    : { body: json, headers: headersFor(json) };
  const head = Object.entries({ ...headers, connection: 'close' })
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n');
  socket.end(`HTTP/1.1 ${status} ${REASON[status] ?? 'Bad Request'}\r\n${head}\r\n\r\n${body}`);
}

const REASON: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};
