import { SIMULATOR_CREDENTIALS, type SimulatorCredentials } from './credentials.ts';

/**
 * Which world to seed: `demo` (default); `large`, the demo world plus 250 projects of 25 clusters (Atlas's default
 * fleet limit); `history`, the demo world plus one cluster with 20,000 export jobs (the most the whole-history view
 * loads).
 */
export type WorldName = 'demo' | 'large' | 'history';
export const WORLD_NAMES: readonly WorldName[] = ['demo', 'large', 'history'];

/**
 * Rate limiting: `true` (default) applies Atlas's documented buckets; `false` disables it; an object scales every
 * bucket (`scale`, e.g. 0.01 in tests) or replaces capacity and refill for all sets.
 */
export type RateLimitOption = boolean | { scale?: number; capacity?: number; refillPerMinute?: number };

/**
 * Token lifetime, nonce lifetime and rate-limit refill all run on the simulated clock, so `POST /__sim/clock`
 * (or `speed`) expires tokens and nonces and refills buckets exactly as it moves jobs.
 */
export interface SimulatorOptions {
  /** Seed of the generated world (default 42). Same seed, same ids, names and job mix. */
  seed?: number;
  /** Simulated milliseconds per real millisecond (default 1). */
  speed?: number;
  /** Simulated start time (default: now). Fix it to make timestamps reproducible too. */
  startTime?: Date | number;
  tokenLifetimeSec?: number;
  nonceLifetimeSec?: number;
  /** Atlas allows at most 100 active tokens per service account. */
  maxActiveTokens?: number;
  rateLimits?: RateLimitOption;
  credentials?: Partial<SimulatorCredentials>;
  /** See WorldName. Default `demo`. */
  world?: WorldName;
}

export interface ResolvedOptions {
  seed: number;
  speed: number;
  startTime: number | undefined;
  tokenLifetimeSec: number;
  nonceLifetimeSec: number;
  maxActiveTokens: number;
  rateLimits: RateLimitOption;
  credentials: SimulatorCredentials;
  world: WorldName;
}

export function resolveOptions(o: SimulatorOptions = {}): ResolvedOptions {
  const speed = o.speed ?? 1;
  if (!(speed >= 0) || !Number.isFinite(speed)) throw new Error(`speed must be a finite number >= 0, got ${speed}`);
  return {
    seed: o.seed ?? 42,
    speed,
    startTime: o.startTime === undefined ? undefined : new Date(o.startTime).getTime(),
    tokenLifetimeSec: o.tokenLifetimeSec ?? 3600,
    nonceLifetimeSec: o.nonceLifetimeSec ?? 300,
    maxActiveTokens: o.maxActiveTokens ?? 100,
    rateLimits: o.rateLimits ?? true,
    credentials: { ...SIMULATOR_CREDENTIALS, ...stripUndefined(o.credentials ?? {}) },
    world: o.world ?? 'demo',
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * `SIMULATOR_RATE_LIMITS` (for `npm run simulator` and demo mode): `off` disables Atlas's buckets so a load test
 * measures the proxy rather than the quota; `on` or unset keeps them. Anything else is an error, not a guess.
 */
export class OptionError extends Error {}

export function rateLimitsFromEnv(value: string | undefined): boolean {
  if (value === undefined || value === '' || value === 'on') return true;
  if (value === 'off') return false;
  throw new OptionError(`SIMULATOR_RATE_LIMITS must be "on" or "off", got ${JSON.stringify(value.slice(0, 40))}`);
}

/** `SIMULATOR_WORLD` (demo mode and `npm run simulator`): `demo` (default), `large` or `history`. */
export function worldFromEnv(value: string | undefined): WorldName {
  if (value === undefined || value === '') return 'demo';
  const known = WORLD_NAMES.find((w) => w === value);
  if (known) return known;
  throw new OptionError(
    `SIMULATOR_WORLD must be ${WORLD_NAMES.map((w) => `"${w}"`).join(', ')}, got ${JSON.stringify(value.slice(0, 40))}`,
  );
}
