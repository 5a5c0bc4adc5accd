/**
 * The four channels: how a group of events becomes one request (or one e-mail), and how a channel's answer is
 * classified: sent, retry (5xx, 429, network errors, timeouts) or failed (any other 4xx: retrying cannot help).
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Transporter } from 'nodemailer';
import type { AlertEvent } from './events.ts';
import type { ChannelConfig } from './config.ts';

export type SendResult = { ok: true } | { ok: false; retry: boolean; reason: string; retryAfterMs?: number };

export interface Channel {
  name: string;
  type: ChannelConfig['type'];
  /** PagerDuty: one request per incident; the others: one message per group. */
  perIncident: boolean;
  send(events: AlertEvent[], opts: { test?: boolean }): Promise<SendResult>;
  close(): void;
}

export const SIGNATURE_HEADER = 'X-Atlas-Alerts-Signature';
export const TIMESTAMP_HEADER = 'X-Atlas-Alerts-Timestamp';
export const DELIVERY_HEADER = 'X-Atlas-Alerts-Delivery';

/** `v1=` + hex HMAC-SHA256 of `<timestamp>.<body>` with the channel's secret. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

const KIND_LABEL: Record<AlertEvent['kind'], string> = {
  failed: 'Export failed',
  stuck: 'Export stuck',
  overdue: 'Export overdue',
  recovered: 'Recovered',
};

export function createChannel(
  name: string,
  cfg: ChannelConfig,
  env: Record<string, string>,
  timeoutMs: number,
): Channel {
  const secret = (ref: { env: string }) => env[ref.env] ?? '';
  switch (cfg.type) {
    case 'slack':
      return http(name, cfg.type, false, timeoutMs, (events, test) => ({
        url: secret(cfg.url),
        body: JSON.stringify(slackMessage(events, test)),
        headers: {},
      }));
    case 'webhook':
      return http(name, cfg.type, false, timeoutMs, (events, test) => {
        const body = JSON.stringify({ test: !!test, events });
        const ts = Math.floor(Date.now() / 1000);
        return {
          url: cfg.url,
          body,
          headers: {
            [TIMESTAMP_HEADER]: String(ts),
            [SIGNATURE_HEADER]: signWebhook(secret(cfg.secret), ts, body),
            [DELIVERY_HEADER]: deliveryId(events),
          },
        };
      });
    case 'pagerduty':
      return http(name, cfg.type, true, timeoutMs, (events, test) => ({
        url: cfg.url ?? 'https://events.pagerduty.com/v2/enqueue',
        body: JSON.stringify(pagerDutyEvent(events, secret(cfg.routingKey), cfg.severity ?? 'error', test)),
        headers: {},
      }));
    case 'email':
      return email(name, cfg, env, timeoutMs);
  }
}

function deliveryId(events: AlertEvent[]): string {
  return createHmac('sha256', 'delivery')
    .update(events.map((e) => e.id).join('\n'))
    .digest('hex')
    .slice(0, 32);
}

function http(
  name: string,
  type: ChannelConfig['type'],
  perIncident: boolean,
  timeoutMs: number,
  build: (events: AlertEvent[], test?: boolean) => { url: string; body: string; headers: Record<string, string> },
): Channel {
  return {
    name,
    type,
    perIncident,
    async send(events, opts) {
      const req = build(events, opts.test);
      try {
        const res = await fetch(req.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'atlas-export-jobs-dashboard', ...req.headers },
          body: req.body,
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'error',
        });
        const text = (await res.text().catch(() => '')).slice(0, 200);
        if (res.ok) return { ok: true };
        const retry = res.status >= 500 || res.status === 429 || res.status === 408;
        const ra = Number(res.headers.get('retry-after'));
        return {
          ok: false,
          retry,
          reason: `HTTP ${res.status}${text ? `: ${text.replace(/\s+/g, ' ')}` : ''}`,
          ...(Number.isFinite(ra) && ra > 0 ? { retryAfterMs: Math.min(ra, 3600) * 1000 } : {}),
        };
      } catch (err) {
        const e = err as Error;
        const reason = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `network error: ${causeOf(e)}`;
        return { ok: false, retry: true, reason };
      }
    },
    close() {},
  };
}

function causeOf(e: Error): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? e.message;
}

export function slackMessage(events: AlertEvent[], test?: boolean) {
  const title = test
    ? 'Test message from the Atlas export-jobs dashboard'
    : events.length === 1
      ? events[0]!.summary
      : `${events.length} export alerts`;
  const blocks: unknown[] = [{ type: 'header', text: { type: 'plain_text', text: title.slice(0, 150), emoji: false } }];
  for (const e of events.slice(0, 45)) {
    const lines = [
      `*${KIND_LABEL[e.kind]}* · ${esc(e.orgName ?? e.orgId)} / ${esc(e.projectName)} / *${esc(e.clusterName)}*`,
    ];
    if (e.reason || e.reasonCode) lines.push(`Reason: ${esc([e.reasonCode, e.reason].filter(Boolean).join(': '))}`);
    if (e.kind !== 'failed' && e.kind !== 'recovered') lines.push(esc(e.summary));
    if (e.snapshotId) lines.push(`Snapshot \`${e.snapshotId}\``);
    if (e.bucketId)
      lines.push(`Partial data left in bucket \`${e.bucketId}\`${e.prefix ? ` under \`${esc(e.prefix)}\`` : ''}`);
    lines.push(`<${e.link}|${e.jobId ? `Open job ${e.jobId}` : 'Open the cluster’s exports'}>`);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n').slice(0, 3000) } });
  }
  if (events.length > 45)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `and ${events.length - 45} more` }] });
  return { text: title, blocks };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One Events API v2 call for the events of one incident (the newest one describes it). */
export function pagerDutyEvent(events: AlertEvent[], routingKey: string, severity: string, test?: boolean) {
  const e = events[events.length - 1]!;
  const more = events.length > 1 ? ` (${events.length} events)` : '';
  if (e.kind === 'recovered') return { routing_key: routingKey, event_action: 'resolve', dedup_key: e.incident };
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: e.incident,
    payload: {
      summary: (test ? `[test] ${e.summary}` : `${e.summary}${more}`).slice(0, 1024),
      source: `${e.projectName}/${e.clusterName}`,
      severity: e.kind === 'failed' ? severity : 'warning',
      component: e.clusterName,
      group: e.projectName,
      class: `export ${e.kind}`,
      custom_details: {
        organization: e.orgName ?? e.orgId,
        project: e.projectName,
        cluster: e.clusterName,
        job: e.jobId,
        snapshot: e.snapshotId,
        bucket: e.bucketId,
        prefix: e.prefix,
        reason: [e.reasonCode, e.reason].filter(Boolean).join(': ') || undefined,
      },
    },
    links: [{ href: e.link, text: e.jobId ? `Job ${e.jobId} in the dashboard` : 'Cluster in the dashboard' }],
  };
}

function email(
  name: string,
  cfg: Extract<ChannelConfig, { type: 'email' }>,
  env: Record<string, string>,
  timeoutMs: number,
): Channel {
  let transport: Transporter | undefined;
  // nodemailer is loaded with the first e-mail, not at every start of the server.
  const get = async () =>
    (transport ??= (await import('nodemailer')).createTransport({
      host: cfg.host,
      port: cfg.port,
      secure: cfg.tls === 'implicit',
      requireTLS: cfg.tls === 'starttls',
      ignoreTLS: cfg.tls === 'none',
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      ...(cfg.user ? { auth: { user: cfg.user, pass: cfg.password ? (env[cfg.password.env] ?? '') : '' } } : {}),
      tls: {
        ...(cfg.caFile ? { ca: readCa(cfg.caFile) } : {}),
        ...(cfg.serverName ? { servername: cfg.serverName } : {}),
      },
    }));
  return {
    name,
    type: 'email',
    perIncident: false,
    async send(events, opts) {
      const subject = opts.test
        ? 'Test message from the Atlas export-jobs dashboard'
        : events.length === 1
          ? events[0]!.summary
          : `${events.length} export alerts`;
      const text = events.map(plainText).join('\n\n');
      try {
        await (await get()).sendMail({ from: cfg.from, to: cfg.to, subject: subject.slice(0, 200), text });
        return { ok: true };
      } catch (err) {
        const e = err as Error & { responseCode?: number; code?: string };
        // SMTP 5xx are permanent refusals; 4xx and connection trouble pass with time.
        const permanent = e.responseCode !== undefined && e.responseCode >= 500;
        return {
          ok: false,
          retry: !permanent,
          reason: e.responseCode ? `SMTP ${e.responseCode}: ${e.message}` : `${e.code ?? 'error'}: ${e.message}`,
        };
      }
    },
    close() {
      transport?.close();
    },
  };
}

function readCa(file: string): string {
  return readFileSync(file, 'utf8');
}

export function plainText(e: AlertEvent): string {
  return [
    `${KIND_LABEL[e.kind]}: ${e.summary}`,
    `Organization: ${e.orgName ?? e.orgId}`,
    `Project: ${e.projectName}`,
    `Cluster: ${e.clusterName}`,
    e.jobId ? `Job: ${e.jobId}` : '',
    e.snapshotId ? `Snapshot: ${e.snapshotId}` : '',
    e.reason || e.reasonCode ? `Reason: ${[e.reasonCode, e.reason].filter(Boolean).join(': ')}` : '',
    e.bucketId ? `Partial data left in bucket ${e.bucketId}${e.prefix ? ` under ${e.prefix}` : ''}` : '',
    `Link: ${e.link}`,
  ]
    .filter(Boolean)
    .join('\n');
}
