/** The token manager against the simulator's real token endpoint (no stubs): what a 401 costs in tokens. */
import { afterEach, describe, expect, it } from 'vitest';
import { SIMULATOR_CREDENTIALS as SIM } from '../../src/simulator/credentials.ts';
import { startSimulator, type RunningSimulator } from '../../src/simulator/server.ts';
import { loadConfig } from '../../src/server/config.ts';
import { createLogger, memorySink } from '../../src/server/logger.ts';
import { createUpstream } from '../../src/server/proxy/upstream.ts';
import { TokenManager } from '../../src/server/proxy/auth/token-manager.ts';

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function manager() {
  sim = await startSimulator({ port: 0, rateLimits: false });
  const { proxy } = loadConfig({
    PORT: '0',
    MONGODB_ATLAS_BASE_URL: sim.url,
    MONGODB_ATLAS_CLIENT_ID: SIM.clientId,
    MONGODB_ATLAS_CLIENT_SECRET: SIM.clientSecret,
  });
  return new TokenManager({
    upstream: createUpstream(sim.url, proxy),
    clientId: SIM.clientId,
    clientSecret: SIM.clientSecret,
    logger: createLogger({ level: 'error', sink: memorySink() }),
    refreshEarlyMs: 60_000,
    backoffMs: 30_000,
  });
}

describe('TokenManager.replace', () => {
  it('a late 401 for a token already replaced gets the fresh token: no new token, no back-off', async () => {
    const tokens = await manager();
    const first = await tokens.get();
    const second = await tokens.replace(first);
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
    // A request that left with the first token comes back 401 after the replacement has settled.
    await new Promise((r) => setTimeout(r, 10));
    expect(await tokens.replace(first)).toBe(second);
    expect(tokens.requests).toBe(2);
    expect(tokens.backoff.blockedForMs()).toBe(0);
  });

  it('a 401 for the fresh token inside the interval stops calls instead of minting another', async () => {
    const tokens = await manager();
    const second = await tokens.replace(await tokens.get());
    expect(await tokens.replace(second!)).toBeNull();
    expect(tokens.requests).toBe(2);
    expect(tokens.backoff.blockedForMs()).toBeGreaterThan(0);
  });
});
