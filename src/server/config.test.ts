import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const SA = { MONGODB_ATLAS_CLIENT_ID: 'mdb_sa_id_x', MONGODB_ATLAS_CLIENT_SECRET: 'secret-value-1' };
const KEY = { MONGODB_ATLAS_PUBLIC_API_KEY: 'pub', MONGODB_ATLAS_PRIVATE_API_KEY: 'private-value-2' };

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults: loopback, port 8080, demo mode without credentials', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8080, mode: 'demo', atlas: null, logLevel: 'info' });
    expect(c.proxy).toMatchObject({
      connectTimeoutMs: 5000,
      headersTimeoutMs: 10000,
      bodyTimeoutMs: 10000,
      maxRetries: 2,
    });
    expect(c.access.allowedHosts).toEqual(expect.arrayContaining(['localhost', '127.0.0.1', '[::1]']));
  });

  it('service account or API key, default base URL https://cloud.mongodb.com', () => {
    expect(loadConfig(SA).atlas).toEqual({
      baseUrl: 'https://cloud.mongodb.com',
      auth: { kind: 'serviceAccount', clientId: 'mdb_sa_id_x', clientSecret: 'secret-value-1' },
    });
    expect(loadConfig(KEY).atlas?.auth).toEqual({ kind: 'apiKey', publicKey: 'pub', privateKey: 'private-value-2' });
  });

  it('accepts MONGODB_ATLAS_BASE_URL or the CLI’s MONGODB_ATLAS_OPS_MANAGER_URL (trailing slash ok)', () => {
    expect(loadConfig({ ...SA, MONGODB_ATLAS_OPS_MANAGER_URL: 'https://cloud.mongodbgov.com/' }).atlas?.baseUrl).toBe(
      'https://cloud.mongodbgov.com',
    );
    expect(loadConfig({ ...SA, MONGODB_ATLAS_BASE_URL: 'http://127.0.0.1:8090' }).atlas?.baseUrl).toBe(
      'http://127.0.0.1:8090',
    );
  });

  it.each([
    [{ MONGODB_ATLAS_CLIENT_ID: 'x' }, 'MONGODB_ATLAS_CLIENT_SECRET'],
    [{ MONGODB_ATLAS_CLIENT_SECRET: 'secret-value-1' }, 'MONGODB_ATLAS_CLIENT_ID'],
    [{ MONGODB_ATLAS_PUBLIC_API_KEY: 'pub' }, 'MONGODB_ATLAS_PRIVATE_API_KEY'],
    [{ MONGODB_ATLAS_PRIVATE_API_KEY: 'private-value-2' }, 'MONGODB_ATLAS_PUBLIC_API_KEY'],
    [{ ...SA, ...KEY }, 'configure exactly one'],
  ])('case 52 %o is refused, naming the variable, never the value', (env, name) => {
    const message = errorOf(env);
    expect(message).toContain(name);
    expect(message).not.toMatch(/secret-value-1|private-value-2/);
  });

  it.each([
    ['ftp://cloud.mongodb.com', 'http(s)'],
    ['https://user:pw@cloud.mongodb.com', 'credentials'],
    ['https://cloud.mongodb.com/api/atlas', 'origin only'],
    ['http://cloud.mongodb.com', 'https'],
    ['not a url', 'not a valid URL'],
  ])('refuses base URL %s', (url, why) => {
    expect(errorOf({ ...SA, MONGODB_ATLAS_BASE_URL: url })).toContain(why);
  });

  it('a base URL without credentials is an error, not silent demo mode', () => {
    expect(errorOf({ MONGODB_ATLAS_BASE_URL: 'https://cloud.mongodb.com' })).toContain('no credentials');
  });

  it('a non-loopback HOST needs Basic auth or an explicit DASHBOARD_AUTH=none', () => {
    expect(errorOf({ HOST: '0.0.0.0' })).toContain('DASHBOARD_BASIC_AUTH');
    expect(loadConfig({ HOST: '0.0.0.0', DASHBOARD_AUTH: 'none' }).access.authNone).toBe(true);
    const c = loadConfig({ HOST: '10.0.0.5', DASHBOARD_BASIC_AUTH: 'ops:long-enough-password' });
    expect(c.access.basicAuth).toEqual({ user: 'ops', password: 'long-enough-password' });
    expect(c.access.allowedHosts).toContain('10.0.0.5');
    expect(errorOf({ DASHBOARD_BASIC_AUTH: 'ops:short' })).toContain('12 characters');
    const hash = '$2b$10$' + 'a'.repeat(53);
    expect(loadConfig({ DASHBOARD_BASIC_AUTH: `ops:${hash}` }).access.basicAuth).toEqual({
      user: 'ops',
      bcryptHash: hash,
    });
  });

  it('refuses bcrypt hashes cheaper than cost 10 (issue 16 item 12), naming the cost, not the hash', () => {
    for (const cost of ['04', '09']) {
      const hash = `$2b$${cost}$` + 'a'.repeat(53);
      const message = errorOf({ DASHBOARD_BASIC_AUTH: `ops:${hash}` });
      expect(message).toContain('cost');
      expect(message).not.toContain(hash);
    }
    const strong = '$2a$12$' + 'b'.repeat(53);
    expect(loadConfig({ DASHBOARD_BASIC_AUTH: `ops:${strong}` }).access.basicAuth).toEqual({
      user: 'ops',
      bcryptHash: strong,
    });
  });

  it.each([
    'aaaaaaaaaaaa',
    'password1234',
    'abcdefghijkl',
    'qwertyuiop12',
    'opsops-opsops',
    // Issue 16 item 12: product and account words joined by separators, with a year.
    'dashboard-admin-2026',
    'ops-dashboard-2026',
  ])('refuses the weak plain-text password %s with a strength estimate, never echoing it', (password) => {
    const message = errorOf({ DASHBOARD_BASIC_AUTH: `ops:${password}` });
    expect(message).toContain('DASHBOARD_BASIC_AUTH password is refused');
    expect(message).toContain('too easy to guess');
    expect(message).not.toContain(password);
  });

  it('accepts strong plain-text passwords: a passphrase or a random string', () => {
    for (const password of ['correct-horse-battery', 'zx81-Kq9!mPw', 'long-enough-password'])
      expect(loadConfig({ DASHBOARD_BASIC_AUTH: `ops:${password}` }).access.basicAuth).toEqual({
        user: 'ops',
        password,
      });
  });

  it('extra allowed hosts, numbers and log level are validated', () => {
    expect(loadConfig({ DASHBOARD_ALLOWED_HOSTS: 'Dash.Example.com, ops.local' }).access.allowedHosts).toEqual(
      expect.arrayContaining(['dash.example.com', 'ops.local']),
    );
    expect(errorOf({ PORT: '70000' })).toContain('PORT');
    expect(errorOf({ PROXY_CACHE_TTL_MS: '-1' })).toContain('PROXY_CACHE_TTL_MS');
    expect(errorOf({ LOG_LEVEL: 'verbose' })).toContain('LOG_LEVEL');
    expect(loadConfig({ PROXY_CACHE_TTL_MS: '0' }).proxy.cacheTtlMs).toBe(0);
  });

  const NUMERIC = [
    'PORT',
    'PROXY_CACHE_TTL_MS',
    'PROXY_NOT_FOUND_TTL_MS',
    'PROXY_CACHE_MAX_ENTRIES',
    'PROXY_MAX_RESPONSE_BYTES',
    'PROXY_MAX_INFLIGHT_BYTES',
    'PROXY_CONNECT_TIMEOUT_MS',
    'PROXY_HEADERS_TIMEOUT_MS',
    'PROXY_BODY_TIMEOUT_MS',
    'PROXY_MAX_RETRIES',
    'PROXY_RETRY_BASE_MS',
    'PROXY_RATE_LIMIT_DEFAULT_MS',
    'PROXY_UPSTREAM_RATE_PER_SEC',
    'PROXY_UPSTREAM_BURST',
    'PROXY_TOKEN_REFRESH_EARLY_MS',
    'SHUTDOWN_GRACE_MS',
  ];

  // setTimeout turns 2^31 ms or more into 1 ms: no setting may reach it, and each says what it accepts.
  it.each(NUMERIC)('%s is bounded: 2^31, a fraction, a word or an empty value is a clear error', (name) => {
    for (const value of [String(2 ** 31), '99999999999999999999', '1.5', '1e3', 'ten', '', '-1']) {
      const message = errorOf({ [name]: value });
      expect(message, `${name}=${value}`).toMatch(new RegExp(`^${name} must be an integer from \\d+ to \\d+`));
    }
  });

  it('PROXY_MAX_INFLIGHT_BYTES defaults to 64 MiB and may not be below one response', () => {
    expect(loadConfig({}).proxy.maxInflightBytes).toBe(64 * 1024 * 1024);
    expect(
      errorOf({
        PROXY_MAX_RESPONSE_BYTES: String(20 * 1024 * 1024),
        PROXY_MAX_INFLIGHT_BYTES: String(16 * 1024 * 1024),
      }),
    ).toMatch(/PROXY_MAX_INFLIGHT_BYTES .*PROXY_MAX_RESPONSE_BYTES/);
  });
});
