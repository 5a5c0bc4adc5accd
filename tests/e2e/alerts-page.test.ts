/**
 * The Alerts page against a real server whose alerts go to a real HTTP receiver: a job failing in the simulator
 * becomes an event whose delivery shows `sent` for the webhook and `failed (HTTP 404 …)` for a Slack URL that is
 * gone; secrets are masked; the send-test button reaches the receiver; a cross-site request to it is refused.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { startHttpReceiver } from '../integration/support/receivers.ts';
import { fleetWatchEnv } from './stack.ts';
import { useBrowserSuite } from './suite.ts';

const SLACK_SECRET = 'T0/B0/e2e-slack-secret-path';
const receiver = await startHttpReceiver();
receiver.status.set(`/slack/${SLACK_SECRET}`, 404);
const dir = mkdtempSync(`${tmpdir()}/alerts-e2e-`);
writeFileSync(
  `${dir}/alerts.yaml`,
  `dashboardUrl: http://127.0.0.1
groupWindow: 500ms
timeout: 5s
channels:
  team-slack:
    type: slack
    url: { env: E2E_SLACK_URL }
  siem:
    type: webhook
    url: ${receiver.url}/hook
    secret: { env: E2E_HOOK_SECRET }
routes:
  - cluster: alerts-e2e
    channels: [team-slack, siem]
`,
);

const suite = useBrowserSuite(
  {
    seed: 42,
    speed: 0,
    env: {
      ...fleetWatchEnv,
      ALERTS_CONFIG: `${dir}/alerts.yaml`,
      E2E_SLACK_URL: `${receiver.url}/slack/${SLACK_SECRET}`,
      E2E_HOOK_SECRET: 'e2e-hook-secret-value',
    },
  },
  { allowHttpErrors: true },
);
afterAll(() => receiver.close());

interface AlertsBody {
  events: { event: { kind: string }; deliveries: Record<string, { status: string }> }[];
}
const alerts = async () => (await (await fetch(`${suite.stack.url}/api/alerts`)).json()) as AlertsBody;
async function until(check: () => Promise<boolean>, ms = 30_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('timed out');
}

describe('the Alerts page', () => {
  it('shows delivery statuses and masked secrets; the test button sends; cross-site is refused', async () => {
    const world = (await (await fetch(`${suite.stack.sim.url}/__sim/world`)).json()) as {
      projects: { id: string; name: string }[];
    };
    const groupId = world.projects.find((p) => p.name === 'payments-staging')!.id;
    await suite.stack.simPost('/__sim/clusters', { groupId, name: 'alerts-e2e' });
    // The watch reads the new cluster once (the baseline), then the job fails.
    await until(async () => {
      const f = (await (await fetch(`${suite.stack.url}/api/fleet`)).json()) as {
        clusters: { clusterName?: string; checkedAt?: number }[];
      };
      return f.clusters.some((c) => c.clusterName === 'alerts-e2e' && c.checkedAt !== undefined);
    });
    await new Promise((r) => setTimeout(r, 1_500));
    await suite.stack.simPost('/__sim/jobs', { groupId, clusterName: 'alerts-e2e', outcome: 'Failed' });
    await suite.stack.simPost('/__sim/clock', { advanceMs: 5 * 60_000 });
    await until(async () => {
      const e = (await alerts()).events.find((x) => x.event.kind === 'failed');
      return e?.deliveries.siem?.status === 'sent' && e.deliveries['team-slack']?.status === 'failed';
    });

    const page = await suite.open('/');
    // With alerts configured the header links to them.
    await page.getByRole('banner').getByRole('link', { name: 'Alerts' }).click();
    await page.getByRole('heading', { name: 'Alerts', exact: true, level: 1 }).waitFor();
    const events = page.getByTestId('alert-events');
    await expect(events.locator('[data-delivery="siem"]').first().textContent()).resolves.toBe('siem: sent');
    await expect(events.locator('[data-delivery="team-slack"]').first().textContent()).resolves.toMatch(
      /^team-slack: failed \(HTTP 404: receiver down\)$/,
    );
    const channels = page.getByTestId('alert-channels');
    await expect(channels.locator('[data-channel="team-slack"]').textContent()).resolves.toContain(
      'url: $E2E_SLACK_URL (••••)',
    );
    // The event links to the failed job's page in this dashboard.
    await expect(events.getByRole('link').first().getAttribute('href')).resolves.toMatch(
      new RegExp(`^/projects/${groupId}/clusters/alerts-e2e/exports/[0-9a-f]{24}$`),
    );
    const html = await page.content();
    expect(html).not.toContain(SLACK_SECRET);
    expect(html).not.toContain('e2e-hook-secret-value');
    await page.screenshot({ path: `${dir}/alerts-page.png`, fullPage: true });

    const before = receiver.on('/hook').length;
    const row = channels.locator('[data-channel="siem"]');
    await row.getByRole('button', { name: 'Send test' }).click();
    await row.getByTestId('test-result').getByText('sent', { exact: true }).waitFor();
    const sent = receiver.on('/hook').slice(before);
    expect(sent).toHaveLength(1);
    expect((sent[0]!.body as { test: boolean }).test).toBe(true);

    // Cross-site, even with a valid CSRF token, is refused and sends nothing.
    const session = (await (await fetch(`${suite.stack.url}/api/session`)).json()) as { csrfToken: string };
    const cross = await fetch(`${suite.stack.url}/api/alerts/channels/siem/test`, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example', 'x-csrf-token': session.csrfToken },
    });
    expect(cross.status).toBe(403);
    expect(receiver.on('/hook').length).toBe(before + 1);
  });
});
