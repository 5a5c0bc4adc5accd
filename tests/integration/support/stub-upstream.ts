/**
 * A tiny raw node:http(s) server standing in for Atlas where the simulator cannot misbehave the way a test
 * needs (drip-fed body, lying Content-Length, redirect, HTML, huge body, self-signed TLS). A real server on
 * 127.0.0.1, not a mock of our code; it records every request it receives.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { selfSignedCert } from '../../support/self-signed.ts';

export interface StubCall {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

export interface Stub {
  url: string;
  calls: StubCall[];
  close(): Promise<void>;
}

export type StubHandler = (req: http.IncomingMessage, res: http.ServerResponse, call: number) => void;

export async function startStub(handler: StubHandler, opts: { tls?: boolean } = {}): Promise<Stub> {
  const calls: StubCall[] = [];
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    calls.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    // Token revocation at proxy shutdown: answered here so no test waits on it.
    if (req.method === 'POST' && req.url === '/api/oauth/revoke') return void res.end();
    handler(req, res, calls.length);
  };
  const server = opts.tls ? https.createServer(selfSignedCert(), listener) : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Answers a service-account token request so API calls reach the stub's other behaviour. */
export function isTokenRequest(req: http.IncomingMessage): boolean {
  return req.method === 'POST' && req.url === '/api/oauth/token';
}

export function sendToken(res: http.ServerResponse, token = 'stub-access-token-0123456789', expiresIn = 3600): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ access_token: token, expires_in: expiresIn, token_type: 'Bearer' }));
}

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/vnd.atlas.2023-01-01+json', ...headers });
  res.end(JSON.stringify(body));
}
