/**
 * The server's configuration, parsed from the environment at the boundary (the only module besides main.ts that
 * sees environment variables). Errors name the variable, never its value: a value may be a secret.
 */
import { writeSettings, WriteConfigError, type WriteSettings } from './write/settings.ts';
import { accessControl, ConfigError, isLoopback } from './config-access.ts';
import { parseBaseUrl, pickAuth } from './config-atlas.ts';
import { accessSettings, type AccessSettings } from './access/settings.ts';
import type { WatchSettings } from '../atlas-watch/settings.ts';
import { AlertsConfigError, loadAlertsConfig, type AlertsConfig } from '../alerts/config.ts';

export { ConfigError, isLoopback };

export type AtlasAuth =
  | { kind: 'serviceAccount'; clientId: string; clientSecret: string }
  | { kind: 'apiKey'; publicKey: string; privateKey: string };

export interface AtlasTarget {
  /** Origin only, e.g. `https://cloud.mongodb.com`; paths are always built from the operation table. */
  baseUrl: string;
  auth: AtlasAuth;
}

export type BasicAuth = { user: string } & ({ password: string } | { bcryptHash: string });

export interface ProxySettings {
  cacheTtlMs: number;
  /** 404s are cached at most this long: a resource may appear a moment later. */
  notFoundTtlMs: number;
  cacheMaxEntries: number;
  maxResponseBytes: number;
  /** Upstream response bytes all requests together may hold while they are read; beyond it, 503 PROXY_BUSY. */
  maxInflightBytes: number;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  /** Default cool-down when Atlas sends 429 without Retry-After (Atlas guidance: 10 s, then doubling). */
  rateLimitDefaultMs: number;
  /** Inbound token bucket for requests that would reach Atlas (cache misses), protecting the shared quota. */
  upstreamRatePerSec: number;
  upstreamBurst: number;
  tokenRefreshEarlyMs: number;
  /** After Atlas rejects a fresh token, no new one for this long (doubling to 15 min): Atlas caps live tokens. */
  tokenBackoffMs: number;
}

export interface ServerConfig {
  host: string;
  port: number;
  mode: 'demo' | 'atlas';
  /** null until demo mode has started its simulator (main.ts fills it in). */
  atlas: AtlasTarget | null;
  access: { basicAuth: BasicAuth | null; authNone: boolean; allowedHosts: string[]; identity: AccessSettings };
  proxy: ProxySettings;
  logLevel: LogLevel;
  shutdownGraceMs: number;
  /** Write mode (DASHBOARD_WRITE=on; off by default) and where its audit file lives. */
  write: WriteSettings;
  /** Alerts (ALERTS_CONFIG), read and checked at start; null when unset. */
  alerts: { config: AlertsConfig; stateFile: string } | null;
  /** The watch (WATCH=on, the default); null with WATCH=off. */
  watch: (WatchSettings & { stateFile: string }) | null;
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const MiB = 1024 * 1024;
/** Timers (setTimeout) turn 2^31 ms or more into 1 ms, so no duration may come near it. */
const TEN_MINUTES = 600_000;

type Env = Record<string, string | undefined>;

/**
 * Plain checks instead of a schema library: this runs once at start, and zod (about 450 KB of bundled code,
 * compiled and evaluated before the server could listen) cost more start time than the rest of the server.
 * Variables are checked in this order and the first problem is reported, naming the variable, never its value.
 */
class EnvReader {
  constructor(private readonly env: Env) {}

  /** Trimmed non-empty text, or the default; an empty or blank value is an error. */
  text(name: string, def: string): string {
    const raw = this.env[name];
    if (raw === undefined) return def;
    const v = raw.trim();
    if (v.length === 0) throw new ConfigError(`${name} must not be empty.`);
    return v;
  }

  /** Trimmed non-empty text, or undefined (a blank value counts as unset). */
  optionalText(name: string): string | undefined {
    const v = this.env[name]?.trim();
    return v ? v : undefined;
  }

  /** A bounded integer setting in plain decimal; the message says what is accepted. */
  int(name: string, def: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined) return def;
    const n = /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
    if (!(n >= min && n <= max)) throw new ConfigError(`${name} must be an integer from ${min} to ${max}.`);
    return n;
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const raw = this.env[name];
    if (raw === undefined) return undefined;
    if (!(values as readonly string[]).includes(raw))
      throw new ConfigError(`${name} must be one of ${values.join(', ')}.`);
    return raw as T;
  }
}

function readEnv(env: Env) {
  const r = new EnvReader(env);
  return {
    HOST: r.text('HOST', '127.0.0.1'),
    PORT: r.int('PORT', 8080, 0, 65535),
    LOG_LEVEL: r.oneOf('LOG_LEVEL', LOG_LEVELS) ?? 'info',
    MONGODB_ATLAS_CLIENT_ID: r.optionalText('MONGODB_ATLAS_CLIENT_ID'),
    MONGODB_ATLAS_CLIENT_SECRET: r.optionalText('MONGODB_ATLAS_CLIENT_SECRET'),
    MONGODB_ATLAS_PUBLIC_API_KEY: r.optionalText('MONGODB_ATLAS_PUBLIC_API_KEY'),
    MONGODB_ATLAS_PRIVATE_API_KEY: r.optionalText('MONGODB_ATLAS_PRIVATE_API_KEY'),
    MONGODB_ATLAS_BASE_URL: r.optionalText('MONGODB_ATLAS_BASE_URL'),
    MONGODB_ATLAS_OPS_MANAGER_URL: r.optionalText('MONGODB_ATLAS_OPS_MANAGER_URL'),
    DASHBOARD_BASIC_AUTH: r.optionalText('DASHBOARD_BASIC_AUTH'),
    DASHBOARD_AUTH: r.oneOf('DASHBOARD_AUTH', ['none', 'basic', 'oidc', 'proxy'] as const),
    DASHBOARD_ALLOWED_HOSTS: env.DASHBOARD_ALLOWED_HOSTS ?? '',
    PROXY_CACHE_TTL_MS: r.int('PROXY_CACHE_TTL_MS', 3000, 0, TEN_MINUTES),
    PROXY_NOT_FOUND_TTL_MS: r.int('PROXY_NOT_FOUND_TTL_MS', 2000, 0, 60_000),
    PROXY_CACHE_MAX_ENTRIES: r.int('PROXY_CACHE_MAX_ENTRIES', 2000, 1, 1_000_000),
    PROXY_MAX_RESPONSE_BYTES: r.int('PROXY_MAX_RESPONSE_BYTES', 10 * MiB, 1024, 256 * MiB),
    PROXY_MAX_INFLIGHT_BYTES: r.int('PROXY_MAX_INFLIGHT_BYTES', 64 * MiB, MiB, 1024 * MiB),
    PROXY_CONNECT_TIMEOUT_MS: r.int('PROXY_CONNECT_TIMEOUT_MS', 5000, 1, TEN_MINUTES),
    PROXY_HEADERS_TIMEOUT_MS: r.int('PROXY_HEADERS_TIMEOUT_MS', 10_000, 1, TEN_MINUTES),
    PROXY_BODY_TIMEOUT_MS: r.int('PROXY_BODY_TIMEOUT_MS', 10_000, 1, TEN_MINUTES),
    PROXY_MAX_RETRIES: r.int('PROXY_MAX_RETRIES', 2, 0, 5),
    PROXY_RETRY_BASE_MS: r.int('PROXY_RETRY_BASE_MS', 200, 0, 60_000),
    PROXY_RATE_LIMIT_DEFAULT_MS: r.int('PROXY_RATE_LIMIT_DEFAULT_MS', 10_000, 0, TEN_MINUTES),
    PROXY_UPSTREAM_RATE_PER_SEC: r.int('PROXY_UPSTREAM_RATE_PER_SEC', 20, 1, 1_000_000),
    PROXY_UPSTREAM_BURST: r.int('PROXY_UPSTREAM_BURST', 200, 1, 1_000_000),
    // Atlas tokens live an hour; renewing more than half an hour early would renew all the time.
    PROXY_TOKEN_REFRESH_EARLY_MS: r.int('PROXY_TOKEN_REFRESH_EARLY_MS', 60_000, 0, 1_800_000),
    PROXY_TOKEN_BACKOFF_MS: r.int('PROXY_TOKEN_BACKOFF_MS', 30_000, 100, 3_600_000),
    SHUTDOWN_GRACE_MS: r.int('SHUTDOWN_GRACE_MS', 10_000, 0, TEN_MINUTES),
    ...readWatchEnv(r),
  };
}

const HOUR = 3_600_000;

/** The watch's settings (README "The watch"): intervals in ms, budgets in calls per minute. */
function readWatchEnv(r: EnvReader) {
  return {
    WATCH: r.oneOf('WATCH', ['on', 'off'] as const) ?? 'on',
    DATA_DIR: r.text('DATA_DIR', './data'),
    ALERTS_CONFIG: r.optionalText('ALERTS_CONFIG'),
    WATCH_ACTIVE_INTERVAL_MS: r.int('WATCH_ACTIVE_INTERVAL_MS', 20_000, 200, TEN_MINUTES),
    WATCH_IDLE_INTERVAL_MS: r.int('WATCH_IDLE_INTERVAL_MS', 300_000, 200, 24 * HOUR),
    WATCH_SCHEDULE_INTERVAL_MS: r.int('WATCH_SCHEDULE_INTERVAL_MS', 1_800_000, 200, 24 * HOUR),
    WATCH_DISCOVERY_INTERVAL_MS: r.int('WATCH_DISCOVERY_INTERVAL_MS', 300_000, 200, 24 * HOUR),
    WATCH_PROJECT_CALLS_PER_MIN: r.int('WATCH_PROJECT_CALLS_PER_MIN', 50, 1, 500),
    WATCH_MAX_CALLS_PER_MIN: r.int('WATCH_MAX_CALLS_PER_MIN', 600, 1, 100_000),
    WATCH_CONCURRENCY: r.int('WATCH_CONCURRENCY', 6, 1, 64),
  };
}

/** Parses the environment into a typed config, or throws a ConfigError that names the offending variable. */
export function loadConfig(env: Env): ServerConfig {
  const e = readEnv(env);
  if (e.PROXY_MAX_INFLIGHT_BYTES < e.PROXY_MAX_RESPONSE_BYTES) {
    throw new ConfigError(
      'PROXY_MAX_INFLIGHT_BYTES must be at least PROXY_MAX_RESPONSE_BYTES: otherwise the largest response never fits.',
    );
  }
  const atlasAuth = pickAuth(e);
  if (!atlasAuth && (e.MONGODB_ATLAS_BASE_URL || e.MONGODB_ATLAS_OPS_MANAGER_URL)) {
    // Pointing at an Atlas without credentials is a mistake, not a request for simulated data.
    throw new ConfigError(
      'MONGODB_ATLAS_BASE_URL/MONGODB_ATLAS_OPS_MANAGER_URL is set but no credentials are: set MONGODB_ATLAS_CLIENT_ID/MONGODB_ATLAS_CLIENT_SECRET (or an API key), or unset it for demo mode.',
    );
  }
  const signInElsewhere =
    e.DASHBOARD_AUTH === 'proxy' || e.DASHBOARD_AUTH === 'oidc' || !!env.DASHBOARD_OIDC_ISSUER?.trim();
  const hostsAndBasic = accessControl(
    e.HOST,
    e.DASHBOARD_BASIC_AUTH,
    e.DASHBOARD_AUTH,
    e.DASHBOARD_ALLOWED_HOSTS,
    signInElsewhere,
  );
  const identity = accessSettings(env, { basicAuth: hostsAndBasic.basicAuth !== null, explicit: e.DASHBOARD_AUTH });
  const access = {
    ...hostsAndBasic,
    identity,
    allowedHosts: withPublicHost(hostsAndBasic.allowedHosts, identity.publicUrl),
  };
  return {
    host: e.HOST,
    port: e.PORT,
    mode: atlasAuth ? 'atlas' : 'demo',
    atlas: atlasAuth ? { baseUrl: parseBaseUrl(e), auth: atlasAuth } : null,
    access,
    proxy: {
      cacheTtlMs: e.PROXY_CACHE_TTL_MS,
      notFoundTtlMs: e.PROXY_NOT_FOUND_TTL_MS,
      cacheMaxEntries: e.PROXY_CACHE_MAX_ENTRIES,
      maxResponseBytes: e.PROXY_MAX_RESPONSE_BYTES,
      maxInflightBytes: e.PROXY_MAX_INFLIGHT_BYTES,
      connectTimeoutMs: e.PROXY_CONNECT_TIMEOUT_MS,
      headersTimeoutMs: e.PROXY_HEADERS_TIMEOUT_MS,
      bodyTimeoutMs: e.PROXY_BODY_TIMEOUT_MS,
      maxRetries: e.PROXY_MAX_RETRIES,
      retryBaseMs: e.PROXY_RETRY_BASE_MS,
      rateLimitDefaultMs: e.PROXY_RATE_LIMIT_DEFAULT_MS,
      upstreamRatePerSec: e.PROXY_UPSTREAM_RATE_PER_SEC,
      upstreamBurst: e.PROXY_UPSTREAM_BURST,
      tokenRefreshEarlyMs: e.PROXY_TOKEN_REFRESH_EARLY_MS,
      tokenBackoffMs: e.PROXY_TOKEN_BACKOFF_MS,
    },
    write: writeConfig(env, identity.mode, e.DATA_DIR),
    logLevel: e.LOG_LEVEL,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    alerts: readAlerts(e, env),
    watch:
      e.WATCH === 'off'
        ? null
        : {
            activeMs: e.WATCH_ACTIVE_INTERVAL_MS,
            idleMs: e.WATCH_IDLE_INTERVAL_MS,
            scheduleMs: e.WATCH_SCHEDULE_INTERVAL_MS,
            discoveryMs: e.WATCH_DISCOVERY_INTERVAL_MS,
            projectCallsPerMin: e.WATCH_PROJECT_CALLS_PER_MIN,
            maxCallsPerMin: e.WATCH_MAX_CALLS_PER_MIN,
            concurrency: e.WATCH_CONCURRENCY,
            stateFile: `${e.DATA_DIR.replace(/\/+$/, '')}/watch-state.json`,
          },
  };
}

/** ALERTS_CONFIG: a bad file stops the start naming its line; alerts need the watch. */
function readAlerts(e: ReturnType<typeof readEnv>, env: Env): ServerConfig['alerts'] {
  if (!e.ALERTS_CONFIG) return null;
  if (e.WATCH === 'off') throw new ConfigError('ALERTS_CONFIG needs the watch: it is set while WATCH=off.');
  try {
    return {
      config: loadAlertsConfig(e.ALERTS_CONFIG, env as NodeJS.ProcessEnv),
      stateFile: `${e.DATA_DIR.replace(/\/+$/, '')}/alerts-state.json`,
    };
  } catch (err) {
    if (err instanceof AlertsConfigError) throw new ConfigError(err.message);
    throw err;
  }
}

/** The public URL's host name answers too (a reverse proxy forwards it as Host). */
function withPublicHost(hosts: string[], publicUrl: string | undefined): string[] {
  if (!publicUrl) return hosts;
  const name = new URL(publicUrl).hostname.toLowerCase();
  return hosts.includes(name) ? hosts : [...hosts, name];
}

function writeConfig(env: Env, mode: Parameters<typeof writeSettings>[1], dataDir: string): WriteSettings {
  try {
    return writeSettings(env, mode, dataDir);
  } catch (err) {
    if (err instanceof WriteConfigError) throw new ConfigError(err.message);
    throw err;
  }
}
