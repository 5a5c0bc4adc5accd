/**
 * Issue 16 item 2: the scrubber kept the newest 64 registered values and dropped the oldest first, and the
 * configured client secret was the oldest: after ~62 token renewals (about 61 hours of one-hour tokens) an Atlas
 * error body echoing it reached the browser, and logs lost its redaction. A token echoed inside a successful
 * Atlas body was passed through as well.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startHarness } from './support/harness.ts';

const V2 = '/api/atlas/v2';

describe('configured secrets stay redacted for the life of the process', () => {
  it('after 100 token renewals an Atlas body echoing the secret or the live token is redacted, and so are the logs', async () => {
    const credentials = {
      clientId: `mdb_sa_id_${randomBytes(12).toString('hex')}`,
      clientSecret: `mdb_sa_sk_LIFETIME${randomBytes(16).toString('hex')}`,
    };
    let offset = 0;
    const h = await startHarness({ sim: { credentials }, now: () => Date.now() + offset });
    try {
      const hour = 3_600_000;
      for (let i = 1; i <= 100; i++) {
        // One hour passes on both sides: the token expires at Atlas and the proxy fetches a new one.
        offset += hour;
        const clock = await fetch(`${h.sim.url}/__sim/clock`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ advanceMs: hour }),
        });
        expect(clock.status).toBe(200);
        expect((await h.get(`${V2}/groups?pageNum=${i}`)).status).toBe(200);
      }
      expect(await h.tokensIssued()).toBeGreaterThanOrEqual(100);
      const live = h.secrets.at(-1)!; // the newest registration is the token in use
      expect(live).not.toBe(credentials.clientSecret);

      // An error body quoting the secret, a successful body quoting the live token and the secret.
      await h.fault({
        match: 'listGroupClusters',
        status: 400,
        times: 1,
        body: { error: 400, errorCode: 'INVALID_PARAMETER', detail: `bad client secret ${credentials.clientSecret}` },
      });
      const err = await h.get(`${V2}/groups/5f0000000000000000000001/clusters`);
      expect(err.status).toBe(400);
      const errText = await err.text();
      expect(errText).toContain('[REDACTED]');
      expect(errText).not.toContain(credentials.clientSecret);

      await h.fault({
        match: 'listGroups',
        status: 200,
        times: 1,
        body: { results: [{ id: 'x', name: `token ${live} secret ${credentials.clientSecret}` }], totalCount: 1 },
      });
      const ok = await h.get(`${V2}/groups?pageNum=1000`);
      expect(ok.status).toBe(200);
      const okText = await ok.text();
      expect(JSON.parse(okText)).toMatchObject({ results: [{ name: 'token [REDACTED] secret [REDACTED]' }] });

      h.server.logger.error('an upstream message', { detail: `echo ${credentials.clientSecret} and ${live}` });
      const logs = h.logs.join('');
      expect(logs).toContain('echo [REDACTED] and [REDACTED]');
      expect(logs).not.toContain(credentials.clientSecret);
    } finally {
      await h.close();
    }
  }, 60_000);
});
