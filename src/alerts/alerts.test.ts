import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config.ts';
import type { ClusterHealth } from '../export-health/index.ts';
import { signWebhook } from './channels.ts';
import { channelsFor, parseAlertsConfig } from './config.ts';
import { DEFAULT_THRESHOLDS, detect, emptyDetectorState } from './events.ts';

const ENV = { SLACK_URL: 'https://hooks.slack.com/services/T/B/secret', PD_KEY: 'k'.repeat(32), HOOK: 'shh' };
const GOOD = `dashboardUrl: https://exports.example.com
channels:
  oncall:
    type: slack
    url: { env: SLACK_URL }
  pd:
    type: pagerduty
    routingKey: { env: PD_KEY }
  hook:
    type: webhook
    url: https://hooks.example.com/atlas
    secret: { env: HOOK }
routes:
  - kinds: [failed, recovered]
    org: Acme*
    cluster: "prod-*"
    channels: [oncall, pd]
  - channels: [hook]
`;

describe('alerts configuration', () => {
  it('routes by kind and org/project/cluster patterns, each channel once', () => {
    const c = parseAlertsConfig(GOOD, 'alerts.yaml', ENV);
    const e = { orgName: 'Acme Payments', orgId: 'o', projectName: 'p', clusterName: 'prod-db' };
    expect(channelsFor(c.routes, { ...e, kind: 'failed' })).toEqual(['oncall', 'pd', 'hook']);
    expect(channelsFor(c.routes, { ...e, kind: 'overdue' })).toEqual(['hook']);
    expect(channelsFor(c.routes, { ...e, clusterName: 'staging-db', kind: 'failed' })).toEqual(['hook']);
    expect(c.groupWindowMs).toBe(30_000);
  });

  it.each([
    [
      GOOD.replace('url: { env: SLACK_URL }', 'url: https://hooks.slack.com/services/T/B/x'),
      /line 5 \(channels\.oncall\.url\): a secret must be a reference/,
    ],
    [GOOD.replace('type: pagerduty', 'type: pagerdooty'), /line 7 \(channels\.pd\.type\)/],
    [GOOD.replace('[oncall, pd]', '[oncall, pager]'), /line 17 \(routes\.0\.channels\): no channel named "pager"/],
    [
      GOOD.replace('routingKey: { env: PD_KEY }', 'routingKey: { env: NOT_SET }'),
      /line 8 \(channels\.pd\.routingKey\): the environment variable NOT_SET is not set/,
    ],
    [
      GOOD.replace('  - channels: [hook]', '  - channels: [hook]\n    color: red'),
      /line 19 \(routes\.1\.color\): Unrecognized key: "color"/,
    ],
    [GOOD.replace('channels:\n  oncall:', 'channels:\n  oncall: [\n'), /line \d+: /],
  ])('a bad file names the line and the problem (%#)', (text, message) => {
    expect(() => parseAlertsConfig(text, 'alerts.yaml', ENV)).toThrow(message);
  });

  it('never echoes a secret in its errors', () => {
    const text = GOOD.replace('url: { env: SLACK_URL }', 'url: https://hooks.slack.com/services/T/B/s3cr3t');
    expect(() => parseAlertsConfig(text, 'alerts.yaml', ENV)).toThrow(/^(?!.*s3cr3t)/);
  });
});

function cluster(jobs: Partial<NonNullable<ClusterHealth['jobs']>>, extra: Partial<ClusterHealth> = {}): ClusterHealth {
  return {
    orgId: 'o1',
    orgName: 'Acme',
    groupId: 'g1',
    projectName: 'payments',
    clusterName: 'db-1',
    backupEnabled: true,
    checkedAt: 1,
    jobs: { total: 0, seen: 0, active: [], failures: [], cancelled: 0, ...jobs },
    ...extra,
  };
}
const opts = { thresholds: DEFAULT_THRESHOLDS, baseUrl: 'https://d.example' };
const H = 3_600_000;

describe('alert events from the watch digests', () => {
  it('a baseline sends nothing; a new failure is one event with a stable id; seen again, nothing', () => {
    const s = emptyDetectorState();
    const old = { id: 'j0', state: 'Failed', createdAt: 0, reason: 'old' };
    const t = 10 * H;
    const ok = { id: 's0', state: 'Successful', createdAt: t - H, finishedAt: t - H };
    expect(detect(s, { clusters: [cluster({ failures: [old], lastSuccess: ok })] }, t, opts)).toEqual([]);
    const f = {
      id: 'j1',
      state: 'Failed',
      createdAt: t,
      reason: 'Access denied',
      errorCode: 'EXPORT_FAILED',
      bucketId: 'b1',
      prefix: 'p/',
    };
    const events = detect(s, { clusters: [cluster({ failures: [f, old], lastSuccess: ok })] }, t + 1, opts);
    expect(events).toMatchObject([
      {
        id: 'failed:j1',
        kind: 'failed',
        incident: 'failed:g1/db-1',
        reason: 'Access denied',
        reasonCode: 'EXPORT_FAILED',
        bucketId: 'b1',
        prefix: 'p/',
        link: 'https://d.example/projects/g1/clusters/db-1/exports/j1',
      },
    ]);
    expect(detect(s, { clusters: [cluster({ failures: [f, old], lastSuccess: ok })] }, t + 2, opts)).toEqual([]);
    // A success resolves the failure's incident.
    const ok2 = { id: 's1', state: 'Successful', createdAt: t + 3, finishedAt: t + 4 };
    expect(detect(s, { clusters: [cluster({ failures: [f, old], lastSuccess: ok2 })] }, t + 5, opts)).toMatchObject([
      { id: 'recovered:s1', kind: 'recovered', resolves: ['failed:g1/db-1'] },
    ]);
  });

  it('InProgress with no change in exportedCollections is stuck after the threshold, and recovers when it moves', () => {
    const s = emptyDetectorState();
    const run = (exported: number) => ({ id: 'r1', state: 'InProgress', createdAt: 0, exported, collections: 20 });
    const ok = { id: 's0', state: 'Successful', createdAt: 0, finishedAt: 0 };
    detect(s, { clusters: [cluster({ active: [run(3)], lastSuccess: ok })] }, 1000, opts);
    expect(detect(s, { clusters: [cluster({ active: [run(5)], lastSuccess: ok })] }, 2000, opts)).toEqual([]);
    expect(detect(s, { clusters: [cluster({ active: [run(5)], lastSuccess: ok })] }, 2000 + H - 1, opts)).toEqual([]);
    expect(detect(s, { clusters: [cluster({ active: [run(5)], lastSuccess: ok })] }, 2000 + H, opts)).toMatchObject([
      { id: 'stuck:r1:InProgress', kind: 'stuck', summary: expect.stringContaining('no progress for 60 min (5 of 20') },
    ]);
    expect(detect(s, { clusters: [cluster({ active: [run(6)], lastSuccess: ok })] }, 3000 + H, opts)).toMatchObject([
      { kind: 'recovered', resolves: ['stuck:r1'] },
    ]);
  });

  it('overdue follows the auto-export schedule (monthly: 31 d + 2 d) or the default (26 h)', () => {
    const s = emptyDetectorState();
    const ok = { id: 's0', state: 'Successful', createdAt: 0, finishedAt: 0 };
    const monthly = { autoExportEnabled: true, frequencyType: 'monthly', readAt: 0 };
    const clusters = [
      cluster({ lastSuccess: ok }, { schedule: monthly }),
      cluster({ lastSuccess: ok }, { clusterName: 'db-2' }),
    ];
    detect(s, { clusters }, 1, opts);
    expect(detect(s, { clusters }, 27 * H, opts).map((e) => e.id)).toEqual(['overdue:g1/db-2:s0']);
    expect(detect(s, { clusters }, 32 * 24 * H, opts)).toEqual([]);
    expect(detect(s, { clusters }, 34 * 24 * H, opts).map((e) => e.id)).toEqual(['overdue:g1/db-1:s0']);
  });
});

describe('webhook signature', () => {
  it('is HMAC-SHA256 over "<timestamp>.<body>", hex, with a v1= prefix (value from openssl dgst -hmac)', () => {
    expect(signWebhook('shh', 1700000000, '{"a":1}')).toBe(
      'v1=be310eac0f84daf469d630347a950258de768b365563ab68f29f2f783473d547',
    );
  });
});

describe('ALERTS_CONFIG at start', () => {
  const dir = mkdtempSync(`${tmpdir()}/alerts-cfg-`);
  const base = { PORT: '0', DATA_DIR: dir };
  it('a bad file stops the start with a ConfigError naming the file and line', () => {
    writeFileSync(`${dir}/bad.yaml`, GOOD.replace('type: webhook', 'type: webhok'));
    expect(() => loadConfig({ ...base, ...ENV, ALERTS_CONFIG: `${dir}/bad.yaml` })).toThrow(
      new RegExp(`^ALERTS_CONFIG ${dir}/bad\\.yaml, line 10 \\(channels\\.hook\\.type\\)`),
    );
    expect(() => loadConfig({ ...base, ...ENV, ALERTS_CONFIG: `${dir}/missing.yaml` })).toThrow(
      /cannot read it \(ENOENT\)/,
    );
  });

  it('needs the watch; a good file yields the alerts with the state file under DATA_DIR', () => {
    writeFileSync(`${dir}/good.yaml`, GOOD);
    expect(() => loadConfig({ ...base, ...ENV, WATCH: 'off', ALERTS_CONFIG: `${dir}/good.yaml` })).toThrow(
      /ALERTS_CONFIG needs the watch/,
    );
    const c = loadConfig({ ...base, ...ENV, ALERTS_CONFIG: `${dir}/good.yaml` });
    expect(c.alerts?.stateFile).toBe(`${dir}/alerts-state.json`);
    expect(Object.keys(c.alerts!.config.channels)).toEqual(['oncall', 'pd', 'hook']);
  });
});
