/**
 * Alerts end to end: the simulator fails, queues and stops jobs; the real server's watch sees it; the alerts reach
 * real receivers (an HTTP server for Slack, PagerDuty and the webhook, a real SMTP server over STARTTLS). The
 * alerts' clock follows the simulator's (both move when the test advances time).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATOR_CREDENTIALS } from '../../src/simulator/credentials.ts';
import { startSimulator, type RunningSimulator } from '../../src/simulator/server.ts';
import { loadConfig } from '../../src/server/config.ts';
import { createLogger, memorySink } from '../../src/server/logger.ts';
import { startServer, type RunningServer } from '../../src/server/start.ts';
import { eventually } from './support/harness.ts';
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver, type SmtpReceiver } from './support/receivers.ts';

const SLACK_URL_SECRET = 'T00000000/B00000000/slack-webhook-secret-path';
const PD_KEY = 'R0UTINGKEY0123456789abcdefabcdef';
const HOOK_SECRET = 'whsec-test-8c1f0e2b9a7d4c3e';

let sim: RunningSimulator;
let http: HttpReceiver;
let smtp: SmtpReceiver;
let dataDir: string;
let configFile: string;
let dash: RunningServer | undefined;
let advanced = 0;
let GROUP_ID = '';
const sink = memorySink();

beforeAll(async () => {
  sim = await startSimulator({ rateLimits: false, tokenLifetimeSec: 30 * 86_400 });
  const world = (await (await fetch(`${sim.url}/__sim/world`)).json()) as {
    projects: { id: string; name: string }[];
  };
  // A small project (3 clusters) with an export bucket: the watch gets through it quickly.
  GROUP_ID = world.projects.find((p) => p.name === 'payments-staging')!.id;
  http = await startHttpReceiver();
  smtp = await startSmtpReceiver();
  dataDir = mkdtempSync(`${tmpdir()}/alerts-it-`);
  configFile = `${dataDir}/alerts.yaml`;
  writeFileSync(
    configFile,
    `# alerts for the integration test
dashboardUrl: https://exports.example.test
groupWindow: 1500ms
timeout: 5s
thresholds:
  queued: 10m
  stalled: 20m
  overdue: 3h
channels:
  slack:
    type: slack
    url: { env: T_SLACK_URL }
  pd:
    type: pagerduty
    routingKey: { env: T_PD_KEY }
    url: ${http.url}/pd
  hook:
    type: webhook
    url: ${http.url}/hook
    secret: { env: T_HOOK_SECRET }
  mail:
    type: email
    host: 127.0.0.1
    port: ${smtp.port}
    caFile: ${smtp.caFile}
    from: dashboard@example.test
    to: [oncall@example.test]
routes:
  - cluster: "alerts-*"
    channels: [slack, pd, hook, mail]
`,
  );
});

afterAll(async () => {
  await dash?.close();
  await Promise.all([sim.close(), http.close(), smtp.close()]);
});

async function server(): Promise<RunningServer> {
  const config = loadConfig({
    PORT: '0',
    MONGODB_ATLAS_BASE_URL: sim.url,
    MONGODB_ATLAS_CLIENT_ID: SIMULATOR_CREDENTIALS.clientId,
    MONGODB_ATLAS_CLIENT_SECRET: SIMULATOR_CREDENTIALS.clientSecret,
    PROXY_RETRY_BASE_MS: '20',
    PROXY_MAX_RETRIES: '0',
    PROXY_CACHE_TTL_MS: '0',
    SHUTDOWN_GRACE_MS: '500',
    DATA_DIR: dataDir,
    WATCH: 'on',
    WATCH_ACTIVE_INTERVAL_MS: '300',
    WATCH_IDLE_INTERVAL_MS: '600',
    // The clusters are all made before the first start: discovery at start finds them, and re-listing every
    // second only competed with the checks for the proxy's request budget (on a loaded machine, for 30 s).
    WATCH_DISCOVERY_INTERVAL_MS: '60000',
    WATCH_SCHEDULE_INTERVAL_MS: '2000',
    WATCH_MAX_CALLS_PER_MIN: '20000',
    WATCH_PROJECT_CALLS_PER_MIN: '500',
    ALERTS_CONFIG: configFile,
    T_SLACK_URL: `${http.url}/slack/${SLACK_URL_SECRET}`,
    T_PD_KEY: PD_KEY,
    T_HOOK_SECRET: HOOK_SECRET,
  });
  return startServer(config, {
    logger: createLogger({ level: 'info', sink }),
    alerts: { now: () => Date.now() + advanced, pollMs: 150, retryBaseMs: 200 },
  });
}

const slackPath = `/slack/${SLACK_URL_SECRET}`;
const post = (path: string, body: unknown) =>
  fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(async (r) => {
    expect(r.status).toBe(200);
    return (await r.json()) as { id: string; snapshotId: string };
  });
async function advance(ms: number) {
  advanced += ms;
  await post('/__sim/clock', { advanceMs: ms });
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Every cluster named has been read by the watch at least `n` more times after this call. */
async function checkedAfter(names: string[], after = Date.now()) {
  await eventually(
    () => {
      const rows = dash!.watch!.snapshot().clusters.filter((c) => names.includes(c.clusterName ?? ''));
      if (rows.length < names.length || rows.some((c) => (c.checkedAt ?? 0) <= after)) throw new Error('not yet');
    },
    30_000,
    50,
  );
  // Evaluated now, not by the poll's timing: a tick already under way may have read the snapshot before those
  // checks, so a second one follows it (on a loaded machine the poll alone could miss a baseline).
  await dash!.alerts!.tick();
  await dash!.alerts!.tick();
  await sleep(400); // two alert ticks
}

type Slack = { text: string; blocks: { type: string; text?: { text: string } }[] };
type Pd = {
  routing_key: string;
  event_action: string;
  dedup_key: string;
  payload?: { summary: string };
  links?: { href: string }[];
};
type Hook = {
  test: boolean;
  events: {
    id: string;
    kind: string;
    clusterName: string;
    reason?: string;
    link: string;
    bucketId?: string;
    prefix?: string;
  }[];
};

function verifyHook(r: { headers: Record<string, string | string[] | undefined>; raw: string }) {
  const ts = String(r.headers['x-atlas-alerts-timestamp']);
  const sig = String(r.headers['x-atlas-alerts-signature']);
  const expected = `v1=${createHmac('sha256', HOOK_SECRET).update(`${ts}.${r.raw}`).digest('hex')}`;
  expect(timingSafeEqual(Buffer.from(sig), Buffer.from(expected))).toBe(true);
  expect(Math.abs(Date.now() / 1000 - Number(ts))).toBeLessThan(300);
  // A replay of the body under another timestamp does not verify.
  const replayed = `v1=${createHmac('sha256', HOOK_SECRET)
    .update(`${Number(ts) - 600}.${r.raw}`)
    .digest('hex')}`;
  expect(replayed).not.toBe(sig);
}

describe.sequential('alerts through the simulator to real receivers', { timeout: 120_000 }, () => {
  let failedJob = '';

  it('a baseline sends nothing; a job failing yields one message per channel with cluster, reason and link', async () => {
    await post('/__sim/clusters', { groupId: GROUP_ID, name: 'alerts-a' });
    await post('/__sim/clusters', { groupId: GROUP_ID, name: 'alerts-b' });
    await post('/__sim/clusters', { groupId: GROUP_ID, name: 'alerts-c' });
    // Failed before the dashboard first looked: the baseline, never sent.
    await post('/__sim/jobs', { groupId: GROUP_ID, clusterName: 'alerts-a', outcome: 'Failed' });
    await advance(100_000);
    dash = await server();
    await checkedAfter(['alerts-a', 'alerts-b', 'alerts-c']);
    await sleep(2_000);
    expect(http.requests).toEqual([]);
    expect(smtp.mails).toEqual([]);

    failedJob = (await post('/__sim/jobs', { groupId: GROUP_ID, clusterName: 'alerts-a', outcome: 'Failed' })).id;
    await advance(100_000);
    await eventually(
      () => {
        if (smtp.mails.length !== 1)
          throw new Error(
            `mails: ${smtp.mails.length}; deliveries: ${JSON.stringify(dash!.alerts!.records().map((r) => r.deliveries))}; alerts-a: ${JSON.stringify(dash!.watch!.snapshot().clusters.find((c) => c.clusterName === 'alerts-a'))}; now ${Date.now()}`,
          );
      },
      30_000,
      50,
    );
    await sleep(2_500); // a second group window: nothing more arrives
    expect(http.on(slackPath)).toHaveLength(1);
    expect(http.on('/pd')).toHaveLength(1);
    expect(http.on('/hook')).toHaveLength(1);
    expect(smtp.mails).toHaveLength(1);

    const link = `https://exports.example.test/projects/${GROUP_ID}/clusters/alerts-a/exports/${failedJob}`;
    const slack = http.on(slackPath)[0]!.body as Slack;
    expect(slack.text).toMatch(/^Export failed on .+ \/ alerts-a: .+/);
    const section = slack.blocks.find((b) => b.type === 'section')!.text!.text;
    expect(section).toContain('*alerts-a*');
    expect(section).toContain(`<${link}|Open job ${failedJob}>`);
    expect(section).toMatch(/Reason: .+/);
    expect(section).toMatch(/Partial data left in bucket `[0-9a-f]{24}`/);

    const pd = http.on('/pd')[0]!.body as Pd;
    expect(pd).toMatchObject({
      routing_key: PD_KEY,
      event_action: 'trigger',
      dedup_key: `failed:${GROUP_ID}/alerts-a`,
      links: [{ href: link }],
    });
    expect(pd.payload!.summary).toContain('alerts-a');

    const hookReq = http.on('/hook')[0]!;
    verifyHook(hookReq);
    const hook = hookReq.body as Hook;
    expect(hook.events).toHaveLength(1);
    expect(hook.events[0]).toMatchObject({ id: `failed:${failedJob}`, kind: 'failed', clusterName: 'alerts-a', link });
    expect(hook.events[0]!.reason).toBeTruthy();
    expect(hook.events[0]!.bucketId).toMatch(/^[0-9a-f]{24}$/);

    const mail = smtp.mails[0]!;
    expect(mail.secure).toBe(true); // STARTTLS before the message
    expect(mail.to).toEqual(['oncall@example.test']);
    expect(mail.raw).toContain('Cluster: alerts-a');
    expect(mail.raw).toContain(`Job: ${failedJob}`);
    expect(mail.raw).toContain('Reason: ');
    // The secrets never reach the log.
    const log = sink.lines.join('\n');
    for (const secret of [SLACK_URL_SECRET, PD_KEY, HOOK_SECRET]) expect(log).not.toContain(secret);
    expect(log).toContain('"alert sent"');
  });

  it('a restart sends nothing again', async () => {
    const before = http.requests.length;
    await dash!.close();
    dash = await server();
    await checkedAfter(['alerts-a', 'alerts-b', 'alerts-c']);
    await sleep(2_000);
    expect(http.requests.length).toBe(before);
    expect(smtp.mails).toHaveLength(1);
  });

  it('a receiver answering 500 gets the message once it recovers; recovered resolves the PagerDuty incident', async () => {
    http.status.set(slackPath, 500);
    await post('/__sim/jobs', { groupId: GROUP_ID, clusterName: 'alerts-a', outcome: 'Successful' });
    await advance(200_000);
    await eventually(() => expect(http.on('/pd')).toHaveLength(2), 30_000, 50);
    const resolve = http.on('/pd')[1]!.body as Pd;
    expect(resolve).toEqual({ routing_key: PD_KEY, event_action: 'resolve', dedup_key: `failed:${GROUP_ID}/alerts-a` });
    await eventually(
      () => expect(http.requests.filter((r) => r.path.endsWith('(refused 500)')).length).toBeGreaterThan(1),
      30_000,
      50,
    );
    const rec = dash!.alerts!.records().find((r) => r.event.kind === 'recovered')!;
    expect(rec.deliveries.slack).toMatchObject({ status: 'retrying', reason: expect.stringContaining('HTTP 500') });
    http.status.delete(slackPath);
    await eventually(() => expect(http.on(slackPath)).toHaveLength(2), 30_000, 50);
    expect((http.on(slackPath)[1]!.body as Slack).text).toMatch(/^Export recovered on .+ \/ alerts-a/);
    await sleep(1_000);
    expect(http.on(slackPath)).toHaveLength(2);
    expect(dash!.alerts!.records().find((r) => r.event.kind === 'recovered')!.deliveries.slack!.status).toBe('sent');
  });

  it('a 4xx is not retried: failed with the reason', async () => {
    http.status.set('/hook', 410);
    const before = http.requests.filter((r) => r.path === '/hook (refused 410)').length;
    const job = (await post('/__sim/jobs', { groupId: GROUP_ID, clusterName: 'alerts-a', outcome: 'Failed' })).id;
    await advance(100_000);
    await eventually(
      () => {
        const r = dash!.alerts!.records().find((x) => x.event.id === `failed:${job}`);
        expect(r?.deliveries.hook).toMatchObject({ status: 'failed', reason: expect.stringContaining('HTTP 410') });
      },
      30_000,
      50,
    );
    await sleep(1_500);
    const refused = http.requests.filter((r) => r.path === '/hook (refused 410)').slice(before);
    expect(refused.length).toBe(1);
    http.status.delete('/hook');
  });

  it('a job queued too long is stuck; a cluster with no success is overdue (moving the clock)', async () => {
    const queued = (
      await post('/__sim/jobs', { groupId: GROUP_ID, clusterName: 'alerts-a', outcome: 'Successful', queueSec: 86_400 })
    ).id;
    await advance(1_000);
    await checkedAfter(['alerts-a']);
    await advance(11 * 60_000);
    await eventually(
      () =>
        expect(
          http.on('/hook').some((r) => (r.body as Hook).events.some((e) => e.id === `stuck:${queued}:Queued`)),
        ).toBe(true),
      30_000,
      50,
    );
    const stuckPd = http
      .on('/pd')
      .map((r) => r.body as Pd)
      .find((p) => p.dedup_key === `stuck:${queued}`);
    expect(stuckPd?.payload?.summary).toMatch(/queued for 1[12] min/);

    await advance(4 * 3_600_000);
    await eventually(
      () =>
        expect(
          http
            .on('/hook')
            .some((r) => (r.body as Hook).events.some((e) => e.kind === 'overdue' && e.clusterName === 'alerts-b')),
        ).toBe(true),
      30_000,
      50,
    );
    // alerts-a has a job in the queue: not overdue (that is the stuck alert's business).
    const overdue = http.on('/hook').flatMap((r) => (r.body as Hook).events.filter((e) => e.kind === 'overdue'));
    expect(overdue.map((e) => e.clusterName).sort()).toEqual(['alerts-b', 'alerts-c']);
  });

  it('ten failures in a minute are one grouped message per channel', async () => {
    const slackBefore = http.on(slackPath).length;
    await checkedAfter(['alerts-c']);
    await sleep(2_000); // anything pending from the previous test has gone out
    const ids: string[] = [];
    for (let i = 0; i < 10; i++)
      ids.push((await post('/__sim/jobs', { groupId: GROUP_ID, clusterName: 'alerts-c', outcome: 'Failed' })).id);
    await advance(100_000);
    await eventually(() => expect(http.on(slackPath).length).toBeGreaterThan(slackBefore), 30_000, 50);
    await sleep(2_500);
    // Exactly one message per channel mentions these jobs, and it lists all ten.
    const slacks = http.on(slackPath).filter((r) => ids.some((id) => r.raw.includes(id)));
    expect(slacks).toHaveLength(1);
    const slack = slacks[0]!.body as Slack;
    expect(slack.text).toBe('10 export alerts');
    for (const id of ids) expect(JSON.stringify(slack.blocks)).toContain(`Open job ${id}`);
    const mails = smtp.mails.filter((m) => ids.some((id) => m.raw.includes(id)));
    expect(mails).toHaveLength(1);
    for (const id of ids) expect(mails[0]!.raw).toContain(`Job: ${id}`);
    const hooks = http.on('/hook').filter((r) => ids.some((id) => r.raw.includes(id)));
    expect(hooks).toHaveLength(1);
    verifyHook(hooks[0]!);
    expect((hooks[0]!.body as Hook).events.map((e) => e.id).sort()).toEqual(ids.map((id) => `failed:${id}`).sort());
    // PagerDuty: one incident for the cluster (one call, its dedup_key), not ten.
    const pds = http.on('/pd').filter((r) => (r.body as Pd).dedup_key === `failed:${GROUP_ID}/alerts-c`);
    expect(pds).toHaveLength(1);
    expect((pds[0]!.body as Pd).payload!.summary).toContain('(10 events)');
  });

  it('GET /api/alerts shows channels (secrets masked), routes and delivery statuses; the test button is guarded', async () => {
    const res = await fetch(`${dash!.url}/api/alerts`);
    expect(res.status).toBe(200);
    const raw = await res.text();
    for (const secret of [SLACK_URL_SECRET, PD_KEY, HOOK_SECRET]) expect(raw).not.toContain(secret);
    const body = JSON.parse(raw) as {
      channels: { name: string; settings: Record<string, unknown> }[];
      routes: { cluster: string; channels: string[] }[];
      events: { event: { id: string }; deliveries: Record<string, { status: string; reason?: string }> }[];
    };
    expect(body.channels.find((c) => c.name === 'slack')!.settings.url).toEqual({ env: 'T_SLACK_URL', value: '••••' });
    expect(body.routes).toEqual([
      {
        kinds: ['failed', 'stuck', 'overdue', 'recovered'],
        org: '*',
        project: '*',
        cluster: 'alerts-*',
        channels: ['slack', 'pd', 'hook', 'mail'],
      },
    ]);
    const statuses = body.events.flatMap((e) => Object.values(e.deliveries).map((d) => d.status));
    expect(statuses).toContain('sent');
    expect(body.events.flatMap((e) => Object.values(e.deliveries)).find((d) => d.status === 'failed')?.reason).toMatch(
      /HTTP 410/,
    );

    const session = (await (await fetch(`${dash!.url}/api/session`)).json()) as { csrfToken: string };
    const testUrl = `${dash!.url}/api/alerts/channels/hook/test`;
    const before = http.on('/hook').length;
    // Cross-site, or without the CSRF token: refused, nothing sent.
    const cross = await fetch(testUrl, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site', 'x-csrf-token': session.csrfToken },
    });
    expect(cross.status).toBe(403);
    const noToken = await fetch(testUrl, { method: 'POST' });
    expect(noToken.status).toBe(403);
    expect(((await noToken.json()) as { errorCode: string }).errorCode).toBe('CSRF_TOKEN_INVALID');
    expect(http.on('/hook').length).toBe(before);
    const ok = await fetch(testUrl, { method: 'POST', headers: { 'x-csrf-token': session.csrfToken } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ channel: 'hook', ok: true });
    const sent = http.on('/hook').slice(before);
    expect(sent).toHaveLength(1);
    verifyHook(sent[0]!);
    expect((sent[0]!.body as Hook).test).toBe(true);
    expect(sink.lines.some((l) => l.includes('"alert test sent"') && l.includes('"channel":"hook"'))).toBe(true);
    const unknown = await fetch(`${dash!.url}/api/alerts/channels/nope/test`, {
      method: 'POST',
      headers: { 'x-csrf-token': session.csrfToken },
    });
    expect(unknown.status).toBe(404);
  });
});
