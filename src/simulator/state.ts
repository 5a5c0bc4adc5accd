import { createDigestAuth, type DigestAuth } from './auth/digest-auth.ts';
import { createOAuthServer, type OAuthServer } from './auth/oauth.ts';
import { createFaults, type FaultRegistry } from './faults.ts';
import type { ResolvedOptions } from './options.ts';
import { createRateLimiter, type RateLimiter } from './rate-limit.ts';
import { createStats, type SimStats } from './stats.ts';
import { createClock, type SimClock } from './world/clock.ts';
import type { World } from './world/model.ts';
import { createRng, type Rng } from './world/prng.ts';
import { seedWorld } from './world/seed.ts';
import { runAutoExports } from './world/auto-export.ts';

/** Everything a simulator instance holds. `reset()` rebuilds it in place so references stay valid. */
export interface SimState {
  options: ResolvedOptions;
  clock: SimClock;
  world: World;
  stats: SimStats;
  faults: FaultRegistry;
  oauth: OAuthServer;
  digest: DigestAuth;
  rateLimiter: RateLimiter;
  /** Ids and sizes for jobs created over the API. */
  createRng: Rng;
  /** Brings the world up to the clock (auto exports) and returns the simulated now it was brought to. */
  advanceWorld(): number;
  reset(): void;
}

export function createState(options: ResolvedOptions): SimState {
  const start = options.startTime ?? Date.now();
  const clock = createClock(options.speed, start);
  const { credentials: cr } = options;
  const state: SimState = {
    options,
    clock,
    world: seedWorld(options.seed, start, options.world),
    stats: createStats(),
    faults: createFaults(),
    oauth: createOAuthServer({
      clock,
      lifetimeSec: options.tokenLifetimeSec,
      maxActive: options.maxActiveTokens,
      clientId: cr.clientId,
      clientSecret: cr.clientSecret,
    }),
    digest: createDigestAuth({
      clock,
      nonceLifetimeMs: options.nonceLifetimeSec * 1000,
      publicKey: cr.publicKey,
      privateKey: cr.privateKey,
    }),
    rateLimiter: createRateLimiter(options.rateLimits, clock),
    createRng: createRng(options.seed + 1),
    advanceWorld() {
      const now = clock.now();
      runAutoExports(state.world, options.seed, start, now);
      return now;
    },
    reset() {
      // A reset world starts at the same simulated instant as the first one, so ids and timestamps repeat.
      clock.reset(start);
      state.world = seedWorld(options.seed, start, options.world);
      state.stats.reset();
      state.faults.clear();
      state.oauth.reset();
      state.digest.reset();
      state.rateLimiter.reset();
      state.createRng = createRng(options.seed + 1);
    },
  };
  return state;
}
