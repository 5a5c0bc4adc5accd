/**
 * Real receivers for the alerts' channels: one HTTP server standing in for Slack, PagerDuty and a webhook
 * consumer (it records every request and answers what the test tells it to), and a real SMTP server
 * (`smtp-server`) that requires STARTTLS with a certificate made for the test.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { SMTPServer } from 'smtp-server';
import { selfSignedCert } from '../../support/self-signed.ts';

export interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  body: unknown;
}

export interface HttpReceiver {
  url: string;
  requests: Received[];
  /** Answer this status on a path until changed (default 200; PagerDuty's path answers 202). */
  status: Map<string, number>;
  on(path: string): Received[];
  close(): Promise<void>;
}

export async function startHttpReceiver(): Promise<HttpReceiver> {
  const requests: Received[] = [];
  const status = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      const code = status.get(path) ?? (path === '/pd' ? 202 : 200);
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
      // Only what was accepted counts as received; refused attempts are kept apart.
      requests.push({ path: code < 300 ? path : `${path} (refused ${code})`, headers: req.headers, raw, body });
      res.writeHead(code, { 'content-type': 'text/plain' }).end(code < 300 ? 'ok' : 'receiver down');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    status,
    on: (path) => requests.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface Mail {
  from: string;
  to: string[];
  raw: string;
  /** The session had been upgraded with STARTTLS before the message. */
  secure: boolean;
}

export interface SmtpReceiver {
  port: number;
  caFile: string;
  mails: Mail[];
  close(): Promise<void>;
}

export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const { key, cert } = selfSignedCert();
  // The dashboard's SMTP settings name the CA as a file.
  const dir = mkdtempSync(`${tmpdir()}/smtp-cert-`);
  writeFileSync(`${dir}/cert.pem`, cert);
  const mails: Mail[] = [];
  const server = new SMTPServer({
    secure: false,
    key,
    cert,
    authOptional: true,
    disabledCommands: ['AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          secure: session.secure,
        });
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    caFile: `${dir}/cert.pem`,
    mails,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
