/**
 * SECURITY.md E.53 and E.56: unique canary credentials, a sweep over every kind of answer the server gives
 * (successes, each upstream failure, auth failures, health, info, SPA, rejections), then a grep of every
 * response status, header and body and of every debug-level log line for the secrets, their Basic encoding,
 * every access token issued, and credential-shaped headers.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rawRequest } from './support/raw-http.ts';
import { startHarness, worldOf, type AuthMode, type Harness } from './support/harness.ts';

const V2 = '/api/atlas/v2';

async function sweep(h: Harness): Promise<string[]> {
  const seen: string[] = [];
  const record = async (res: Response) => {
    seen.push(`${res.status} ${JSON.stringify([...res.headers])} ${await res.text()}`);
  };
  const { groupId, clusterName } = await worldOf(h);
  const paths = [
    `${V2}/groups`,
    `${V2}/orgs`,
    `${V2}/groups/${groupId}/clusters/${clusterName}/backup/exports?itemsPerPage=3`,
    `${V2}/groups/${groupId}/clusters/${clusterName}/backup/snapshots`,
    `${V2}/groups/${groupId}/backup/exportBuckets`,
  ];
  for (const p of paths) await record(await h.get(p));
  for (const fault of [
    { status: 401, times: 1 },
    { status: 401, times: 4 },
    { status: 403, times: 1 },
    { status: 429, retryAfter: 1, times: 1 },
    { status: 500, times: 3 },
    { kind: 'malformed', times: 1 },
    { kind: 'reset', times: 3 },
  ]) {
    await h.fault({ match: 'listGroupClusters', ...fault });
    await record(await h.get(`${V2}/groups/${groupId}/clusters?pageNum=${seen.length}`));
  }
  await h.fault({ match: 'oauthToken', status: 500, times: 1 });
  for (const p of [
    '/healthz',
    '/readyz',
    '/api/info',
    '/',
    '/projects/x',
    '/api/nope',
    `${V2}/orgs/${groupId}/apiKeys`,
  ])
    await record(await h.get(p));
  await record(await fetch(`${h.url}${V2}/groups`, { method: 'DELETE' }));
  await record(await h.get(`${V2}/groups`, { 'sec-fetch-site': 'cross-site' }));
  for (const target of [
    `${V2}/groups/%2e%2e/x`,
    `${V2}/groups%0a{"level":"error","msg":"forged"}`,
    `${V2}/orgs?name=a%0d%0a{"x":1}`,
  ]) {
    const r = await rawRequest(h.url, `GET ${target} HTTP/1.1`);
    seen.push(`${r.status} ${JSON.stringify(r.headers)} ${r.body}`);
  }
  const evil = await rawRequest(h.url, `GET ${V2}/groups HTTP/1.1`, { Host: 'evil.example' });
  seen.push(`${evil.status} ${JSON.stringify(evil.headers)} ${evil.body}`);
  return seen;
}

describe.each<AuthMode>(['serviceAccount', 'apiKey'])('canary secrets (%s)', (auth) => {
  it('case 53 no response and no log line carries a secret, its Basic form, an issued token or an Authorization value', async () => {
    const credentials = {
      clientId: `mdb_sa_id_${randomBytes(12).toString('hex')}`,
      clientSecret: `mdb_sa_sk_CANARY${randomBytes(16).toString('hex')}`,
      publicKey: `canarypub${randomBytes(4).toString('hex')}`,
      privateKey: randomUUID(),
    };
    const h = await startHarness({ auth, sim: { credentials } });
    try {
      const seen = await sweep(h);
      const logs = h.logs.join('');
      const tokens = h.secrets.filter((s) => !Object.values(credentials).includes(s));
      if (auth === 'serviceAccount') expect(tokens.length).toBeGreaterThanOrEqual(2); // refreshed after the 401 fault
      const secret = auth === 'serviceAccount' ? credentials.clientSecret : credentials.privateKey;
      const id = auth === 'serviceAccount' ? credentials.clientId : credentials.publicKey;
      const canaries = [secret, Buffer.from(`${id}:${secret}`).toString('base64'), ...tokens];
      for (const text of [...seen, logs]) {
        for (const canary of canaries) expect(text.includes(canary), `canary in: ${text.slice(0, 200)}`).toBe(false);
        expect(text).not.toMatch(/Bearer [A-Za-z0-9]|Digest (username|realm|nonce)|Basic [A-Za-z0-9+/]{8}/);
      }
      // E.56: every log line is one JSON object, whatever bytes the request carried.
      for (const line of h.logs) expect(() => JSON.parse(line)).not.toThrow();
      expect(h.logs.some((l) => l.includes('forged'))).toBe(false);
      expect(h.logs.filter((l) => l.includes('"msg":"request"')).length).toBeGreaterThanOrEqual(seen.length);
    } finally {
      await h.close();
    }
  });
});
