/**
 * Alerts with no tab open: reads the watch's snapshot, derives events (events.ts), routes them to channels
 * (config.ts) and delivers them (channels.ts) at least once, each event once per channel.
 *
 * Delivery: an event is written to the state file as pending before anything is sent, and marked sent after the
 * channel accepted it, so a crash in between re-sends it (at-least-once) and a restart never re-sends what was
 * accepted (de-duplication by event id). Events for one channel that arrive within `groupWindowMs` of the first go
 * out as one message. 5xx, 429 and network errors are retried with jittered exponential back-off (up to 5 min
 * apart, for 24 h); any other 4xx fails at once with the channel's answer as the reason.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FleetSnapshot } from '../export-health/index.ts';
import { createChannel, type Channel, type SendResult } from './channels.ts';
import { channelsFor, type AlertsConfig } from './config.ts';
import { detect, emptyDetectorState, type AlertEvent, type DetectorState } from './events.ts';

export interface DeliveryStatus {
  status: 'pending' | 'sent' | 'retrying' | 'failed';
  attempts: number;
  /** When it was queued, sent, or last tried. */
  at: number;
  queuedAt: number;
  nextAt?: number;
  reason?: string;
}

export interface EventRecord {
  event: AlertEvent;
  deliveries: Record<string, DeliveryStatus>;
}

interface SavedAlerts {
  format: 1;
  savedAt: number;
  detector: DetectorState;
  events: EventRecord[];
}

export interface Alerts {
  start(): void;
  stop(): Promise<void>;
  /** Evaluate the watch's snapshot now and flush what is due (tests and the poll loop). */
  tick(): Promise<void>;
  /** Sends a test message to one channel; the result as the channel answered. */
  sendTest(channel: string): Promise<SendResult>;
  records(): EventRecord[];
  channelNames(): string[];
  config: AlertsConfig;
}

const MAX_EVENTS = 500;
const GIVE_UP_MS = 24 * 3_600_000;
const MAX_BACKOFF_MS = 300_000;

export function createAlerts(opts: {
  config: AlertsConfig;
  snapshot: () => Pick<FleetSnapshot, 'clusters'>;
  /** The watch's version: the snapshot is read when it changed, and at least every 10 s (time-based events). */
  version?: () => number;
  stateFile?: string;
  now?: () => number;
  random?: () => number;
  /** How often the snapshot is read (ms). */
  pollMs?: number;
  /** Base of the retry back-off (ms). */
  retryBaseMs?: number;
  log?: (level: 'info' | 'warn', msg: string, fields?: Record<string, unknown>) => void;
}): Alerts {
  const cfg = opts.config;
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const retryBase = opts.retryBaseMs ?? 5_000;
  const log = opts.log ?? (() => {});
  const channels = new Map<string, Channel>(
    Object.entries(cfg.channels).map(([name, c]) => [name, createChannel(name, c, cfg.secrets, cfg.timeoutMs)]),
  );
  const saved = opts.stateFile ? load(opts.stateFile) : undefined;
  const detector = saved?.detector ?? emptyDetectorState();
  const records: EventRecord[] = saved?.events ?? [];
  const byId = new Map(records.map((r) => [r.event.id, r]));
  // Sends interrupted by a stop or a crash go again (at-least-once).
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let ticking: Promise<void> | undefined;
  const sending = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  let seenVersion: number | undefined;
  let detectedAt = 0;

  function add(events: AlertEvent[]): number {
    let added = 0;
    for (const e of events) {
      if (byId.has(e.id)) continue;
      const names = channelsFor(cfg.routes, e);
      const t = now();
      const rec: EventRecord = {
        event: e,
        deliveries: Object.fromEntries(names.map((n) => [n, { status: 'pending', attempts: 0, at: t, queuedAt: t }])),
      };
      records.push(rec);
      byId.set(e.id, rec);
      added++;
      log('info', 'alert event', { event: e.id, kind: e.kind, cluster: e.clusterName, channels: names });
    }
    while (records.length > MAX_EVENTS) {
      const old = records.findIndex((r) =>
        Object.values(r.deliveries).every((d) => d.status === 'sent' || d.status === 'failed'),
      );
      if (old < 0) break;
      byId.delete(records[old]!.event.id);
      records.splice(old, 1);
    }
    return added;
  }

  /** Per channel, what is due: pending ones once the oldest has waited the group window, retries when due. */
  function due(t: number): Map<string, EventRecord[]> {
    const out = new Map<string, EventRecord[]>();
    for (const name of channels.keys()) {
      if (sending.has(name)) continue;
      const waiting = records.filter((r) => {
        const d = r.deliveries[name];
        return d && (d.status === 'pending' || d.status === 'retrying');
      });
      if (waiting.length === 0) continue;
      const ready = waiting.some((r) => {
        const d = r.deliveries[name]!;
        return d.status === 'pending' ? t - d.queuedAt >= cfg.groupWindowMs : (d.nextAt ?? 0) <= t;
      });
      // A retry waits for its back-off; anything pending joins it (one message, not two).
      if (
        ready &&
        !waiting.some((r) => r.deliveries[name]!.status === 'retrying' && (r.deliveries[name]!.nextAt ?? 0) > t)
      )
        out.set(name, waiting);
    }
    return out;
  }

  async function deliver(name: string, group: EventRecord[]): Promise<void> {
    const ch = channels.get(name)!;
    sending.add(name);
    try {
      // PagerDuty: one call per incident (its dedup_key); the others: the whole group in one message.
      const batches = ch.perIncident ? byIncident(group) : [group];
      for (const batch of batches) {
        const result = await ch.send(
          batch.map((r) => r.event),
          {},
        );
        const t = now();
        for (const r of batch) {
          const d = r.deliveries[name]!;
          d.attempts++;
          d.at = t;
          if (result.ok) {
            d.status = 'sent';
            delete d.reason;
            delete d.nextAt;
          } else if (result.retry && t - d.queuedAt < GIVE_UP_MS) {
            d.status = 'retrying';
            d.reason = result.reason;
            const backoff = Math.min(MAX_BACKOFF_MS, retryBase * 2 ** (d.attempts - 1));
            d.nextAt = t + Math.max(result.retryAfterMs ?? 0, Math.round(backoff * (0.5 + random())));
          } else {
            d.status = 'failed';
            d.reason = result.retry ? `gave up after 24 h: ${result.reason}` : result.reason;
            delete d.nextAt;
          }
        }
        const fields = { channel: name, events: batch.length, attempt: batch[0]!.deliveries[name]!.attempts };
        if (result.ok) log('info', 'alert sent', fields);
        else log('warn', 'alert delivery failed', { ...fields, reason: result.reason, retry: result.retry });
        await persist();
      }
    } finally {
      sending.delete(name);
    }
  }

  async function tick(): Promise<void> {
    if (ticking) return ticking;
    ticking = (async () => {
      const v = opts.version?.();
      const t = Date.now();
      const fresh = v === undefined || v !== seenVersion || t - detectedAt >= 10_000;
      const events = fresh
        ? detect(detector, opts.snapshot(), now(), { thresholds: cfg.thresholds, baseUrl: cfg.dashboardUrl })
        : [];
      if (fresh) {
        seenVersion = v;
        detectedAt = t;
      }
      // Written before anything is sent: a crash now re-sends, never loses.
      if (add(events) > 0 || fresh) await persist();
      // Each channel on its own: a slow or hanging receiver never holds back detection or the other channels.
      for (const [name, group] of due(now())) {
        const p: Promise<void> = deliver(name, group)
          .catch((err: unknown) => log('warn', 'alert delivery error', { channel: name, err: String(err) }))
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
    })().finally(() => (ticking = undefined));
    return ticking;
  }

  let writing: Promise<void> = Promise.resolve();
  let lastWritten = '';
  function persist(): Promise<void> {
    const file = opts.stateFile;
    if (!file) return Promise.resolve();
    const body = JSON.stringify({ format: 1, savedAt: 0, detector, events: records } satisfies SavedAlerts);
    if (body === lastWritten) return writing;
    lastWritten = body;
    writing = writing.then(async () => {
      try {
        await mkdir(dirname(file), { recursive: true });
        await writeFile(`${file}.tmp`, body);
        await rename(`${file}.tmp`, file);
      } catch (err) {
        log('warn', 'could not save the alerts state', { err: String(err) });
      }
    });
    return writing;
  }

  function loop(): void {
    timer = setTimeout(() => {
      tick()
        .catch((err: unknown) => log('warn', 'alerts tick failed', { err: String(err) }))
        .finally(() => running && loop());
    }, opts.pollMs ?? 1_000);
    timer.unref?.();
  }

  return {
    config: cfg,
    start() {
      if (running) return;
      running = true;
      loop();
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      await ticking?.catch(() => {});
      // Sends under way get their timeout to finish; what does not is still pending in the state file.
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => setTimeout(r, cfg.timeoutMs).unref())]);
      await writing;
      if (opts.stateFile) {
        try {
          mkdirSync(dirname(opts.stateFile), { recursive: true });
          writeFileSync(
            `${opts.stateFile}.tmp`,
            JSON.stringify({ format: 1, savedAt: now(), detector, events: records }),
          );
          renameSync(`${opts.stateFile}.tmp`, opts.stateFile);
        } catch (err) {
          log('warn', 'could not save the alerts state', { err: String(err) });
        }
      }
      for (const c of channels.values()) c.close();
    },
    tick,
    async sendTest(name) {
      const ch = channels.get(name);
      if (!ch) return { ok: false, retry: false, reason: `no channel named ${name}` };
      const t = now();
      const test: AlertEvent = {
        id: `test:${t}`,
        kind: 'failed',
        incident: `test:${name}`,
        at: t,
        summary: 'Test alert from the Atlas export-jobs dashboard: this channel is wired correctly',
        orgId: 'test',
        orgName: 'Test organization',
        groupId: 'test',
        projectName: 'Test project',
        clusterName: 'test-cluster',
        link: cfg.dashboardUrl,
      };
      const r = await ch.send([test], { test: true });
      if (r.ok && ch.perIncident)
        await ch.send([{ ...test, kind: 'recovered', resolves: [test.incident] }], { test: true });
      return r;
    },
    records: () => records,
    channelNames: () => [...channels.keys()],
  };
}

function byIncident(group: EventRecord[]): EventRecord[][] {
  const m = new Map<string, EventRecord[]>();
  for (const r of group) m.set(r.event.incident, [...(m.get(r.event.incident) ?? []), r]);
  return [...m.values()];
}

function load(file: string): SavedAlerts | undefined {
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as SavedAlerts;
    if (s.format !== 1 || typeof s.detector !== 'object' || !Array.isArray(s.events)) return undefined;
    return s;
  } catch {
    return undefined;
  }
}
