/**
 * The alerts configuration: one YAML file (ALERTS_CONFIG). Channels are named; routes pick events by kind and by
 * organization, project and cluster name patterns (`*` matches any run of characters, case-insensitive) and send
 * them to channels. Secrets (Slack's webhook URL, PagerDuty's routing key, the SMTP password, the webhook's signing
 * secret) are only ever `{ env: NAME }` references: an inline secret stops the start. A bad file stops the start
 * with `ALERTS_CONFIG <file>, line N: <the problem>`.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { z } from 'zod';
import { EVENT_KINDS, DEFAULT_THRESHOLDS, type EventKind, type Thresholds } from './events.ts';

const envRef = z.object({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name') }).strict();
const secretRef = z.union([envRef, z.string()]).superRefine((v, ctx) => {
  if (typeof v === 'string')
    ctx.addIssue({
      code: 'custom',
      message: 'a secret must be a reference to an environment variable, { env: NAME }, never inline',
    });
});
type EnvRef = z.infer<typeof envRef>;

const httpUrl = z.string().refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), 'an http(s) URL');

const slack = z.object({ type: z.literal('slack'), url: secretRef }).strict();
const pagerduty = z
  .object({
    type: z.literal('pagerduty'),
    routingKey: secretRef,
    /** The Events API v2 endpoint (default https://events.pagerduty.com/v2/enqueue). */
    url: httpUrl.optional(),
    severity: z.enum(['critical', 'error', 'warning', 'info']).optional(),
  })
  .strict();
const webhook = z.object({ type: z.literal('webhook'), url: httpUrl, secret: secretRef }).strict();
const email = z
  .object({
    type: z.literal('email'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(587),
    /** starttls (default: the upgrade is required), implicit (port 465), none (only for a relay on localhost). */
    tls: z.enum(['starttls', 'implicit', 'none']).default('starttls'),
    user: z.string().optional(),
    password: secretRef.optional(),
    caFile: z.string().optional(),
    serverName: z.string().optional(),
    from: z.string().min(3),
    to: z.array(z.string().includes('@', { message: 'an e-mail address' })).min(1),
  })
  .strict();

const channel = z.discriminatedUnion('type', [slack, pagerduty, webhook, email]);

const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)$/, 'a duration such as 500ms, 30s, 15m, 26h or 2d')
  .transform((s) => {
    const [, n, u] = /^(\d+)(ms|s|m|h|d)$/.exec(s)!;
    return Number(n) * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[u as 'ms'];
  });

const route = z
  .object({
    kinds: z
      .array(z.enum(EVENT_KINDS as [EventKind, ...EventKind[]]))
      .min(1)
      .optional(),
    org: z.string().optional(),
    project: z.string().optional(),
    cluster: z.string().optional(),
    channels: z.array(z.string()).min(1),
  })
  .strict();

const file = z
  .object({
    /** The dashboard's address, for links in messages. */
    dashboardUrl: httpUrl,
    /** Events for one channel within this window go out as one message. */
    groupWindow: duration.default(30_000),
    timeout: duration.default(10_000),
    thresholds: z
      .object({ queued: duration.optional(), stalled: duration.optional(), overdue: duration.optional() })
      .strict()
      .default({}),
    channels: z.record(z.string().regex(/^[a-zA-Z0-9_-]{1,40}$/, 'a name of letters, digits, - and _'), channel),
    routes: z.array(route).min(1),
  })
  .strict();

type RawChannel = z.infer<typeof channel>;
/** A channel as configured, with every secret an environment reference. */
export type ChannelConfig = RawChannel extends infer C ? (C extends unknown ? Secretless<C> : never) : never;
type Secretless<C> = {
  [K in keyof C]: K extends SecretKey ? (C[K] extends string ? C[K] : Exclude<C[K], string>) : C[K];
};
type SecretKey = 'url' | 'routingKey' | 'secret' | 'password';

export interface Route {
  kinds: EventKind[];
  org: RegExp;
  project: RegExp;
  cluster: RegExp;
  channels: string[];
  /** As written, for the Alerts page. */
  text: { kinds: EventKind[]; org: string; project: string; cluster: string };
}

export interface AlertsConfig {
  file: string;
  dashboardUrl: string;
  groupWindowMs: number;
  timeoutMs: number;
  thresholds: Thresholds;
  channels: Record<string, ChannelConfig>;
  routes: Route[];
  /** The referenced environment variables' values, read once at start (never shown or logged). */
  secrets: Record<string, string>;
}

export class AlertsConfigError extends Error {
  override name = 'AlertsConfigError';
}

function pattern(p: string | undefined): RegExp {
  const s = (p ?? '*').replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${s}$`, 'i');
}

/** Reads and checks the file; throws AlertsConfigError naming the file, the line and the problem. */
export function loadAlertsConfig(path: string, env: NodeJS.ProcessEnv): AlertsConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new AlertsConfigError(`ALERTS_CONFIG ${path}: cannot read it (${(err as NodeJS.ErrnoException).code})`);
  }
  return parseAlertsConfig(text, path, env);
}

export function parseAlertsConfig(text: string, path: string, env: NodeJS.ProcessEnv): AlertsConfig {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined) => (offset === undefined ? '' : `, line ${lc.linePos(offset).line}`);
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new AlertsConfigError(`ALERTS_CONFIG ${path}${at(e.pos[0])}: ${e.message.split('\n')[0]}`);
  }
  const parsed = file.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const keys = issue.path.map((k) => (typeof k === 'symbol' ? String(k) : k));
    // An unknown key is reported on its own line.
    if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) keys.push(issue.keys[0]!);
    // The deepest node that exists (a missing key is reported at its parent).
    let line = '';
    for (let n = keys.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(keys.slice(0, n), true);
      if (isNode(node) && node.range) {
        line = at(node.range[0]);
        break;
      }
    }
    const where = keys.length ? ` (${keys.join('.')})` : '';
    throw new AlertsConfigError(`ALERTS_CONFIG ${path}${line}${where}: ${issue.message}`);
  }
  const c = parsed.data;
  c.routes.forEach((r, i) => {
    for (const name of r.channels)
      if (!c.channels[name]) {
        const node = doc.getIn(['routes', i, 'channels'], true);
        throw new AlertsConfigError(
          `ALERTS_CONFIG ${path}${at(isNode(node) ? node.range?.[0] : undefined)} (routes.${i}.channels): no channel named "${name}" (channels: ${Object.keys(c.channels).join(', ') || 'none'})`,
        );
      }
  });
  for (const [name, ch] of Object.entries(c.channels)) {
    for (const key of ['url', 'routingKey', 'secret', 'password'] as const) {
      const ref = (ch as Record<string, unknown>)[key];
      if (ref && typeof ref === 'object' && !env[(ref as EnvRef).env]) {
        const node = doc.getIn(['channels', name, key], true);
        throw new AlertsConfigError(
          `ALERTS_CONFIG ${path}${at(isNode(node) ? node.range?.[0] : undefined)} (channels.${name}.${key}): the environment variable ${(ref as EnvRef).env} is not set`,
        );
      }
    }
    if (ch.type === 'slack' && !URL.canParse(env[(ch.url as EnvRef).env]!))
      throw new AlertsConfigError(
        `ALERTS_CONFIG ${path} (channels.${name}.url): ${(ch.url as EnvRef).env} does not hold a URL`,
      );
  }
  const secrets: Record<string, string> = {};
  for (const ch of Object.values(c.channels))
    for (const key of ['url', 'routingKey', 'secret', 'password'] as const) {
      const ref = (ch as Record<string, unknown>)[key];
      if (ref && typeof ref === 'object') secrets[(ref as EnvRef).env] = env[(ref as EnvRef).env]!;
    }
  return {
    secrets,
    file: path,
    dashboardUrl: c.dashboardUrl,
    groupWindowMs: c.groupWindow,
    timeoutMs: c.timeout,
    thresholds: {
      queuedMs: c.thresholds.queued ?? DEFAULT_THRESHOLDS.queuedMs,
      stalledMs: c.thresholds.stalled ?? DEFAULT_THRESHOLDS.stalledMs,
      overdueMs: c.thresholds.overdue ?? DEFAULT_THRESHOLDS.overdueMs,
    },
    channels: c.channels as Record<string, ChannelConfig>,
    routes: c.routes.map((r) => ({
      kinds: r.kinds ?? [...EVENT_KINDS],
      org: pattern(r.org),
      project: pattern(r.project),
      cluster: pattern(r.cluster),
      channels: r.channels,
      text: {
        kinds: r.kinds ?? [...EVENT_KINDS],
        org: r.org ?? '*',
        project: r.project ?? '*',
        cluster: r.cluster ?? '*',
      },
    })),
  };
}

/** The channels an event goes to (each once, whatever number of routes match). */
export function channelsFor(
  routes: Route[],
  e: { kind: EventKind; orgName?: string; orgId: string; projectName: string; clusterName: string },
): string[] {
  const out = new Set<string>();
  for (const r of routes)
    if (
      r.kinds.includes(e.kind) &&
      r.org.test(e.orgName ?? e.orgId) &&
      r.project.test(e.projectName) &&
      r.cluster.test(e.clusterName)
    )
      for (const c of r.channels) out.add(c);
  return [...out];
}
