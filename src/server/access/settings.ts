/**
 * Who signs in, and how: exactly one access mode is in force (ARCHITECTURE.md, "Access control"). Parsed from the
 * environment once at start; errors name the variables, never their values.
 *
 * - `none`: loopback only (or an explicit DASHBOARD_AUTH=none); the local user counts as an operator.
 * - `basic`: DASHBOARD_BASIC_AUTH; its user is a named operator; a successful check opens a session.
 * - `oidc`: DASHBOARD_OIDC_ISSUER (+ client id/secret, DASHBOARD_PUBLIC_URL, DASHBOARD_SESSION_KEYS).
 * - `proxy`: DASHBOARD_AUTH=proxy: identity headers from an authenticating proxy, trusted only from
 *   DASHBOARD_TRUSTED_PROXIES.
 */
import { BlockList, isIP } from 'node:net';
import { ConfigError } from '../config-access.ts';

export type AccessMode = 'none' | 'basic' | 'oidc' | 'proxy';
export type Role = 'viewer' | 'operator';

export interface RoleMapping {
  /** The claim (OIDC) whose values name groups; in proxy mode the groups header plays this part. */
  claim: string;
  viewerGroups: string[];
  operatorGroups: string[];
}

export interface OidcSettings {
  issuer: string;
  clientId: string;
  /** Absent: a public client (PKCE alone, `token_endpoint_auth_method=none`). */
  clientSecret: string | undefined;
  scopes: string;
  /** An http:// issuer is accepted only on loopback (tests, a local provider). */
  allowInsecureIssuer: boolean;
}

export interface ProxyHeaderSettings {
  userHeader: string;
  emailHeader: string;
  groupsHeader: string;
  /** Where the header's "Sign out" goes behind the proxy (oauth2-proxy: `/oauth2/sign_out`); none: no button. */
  signOutUrl: string | undefined;
}

export interface SessionSettings {
  /** Secrets, newest first: the first seals, every one opens (rotation). */
  keys: string[];
  /** True when no key was configured and one was made up for this process (Basic mode only). */
  ephemeralKey: boolean;
  idleMs: number;
  absoluteMs: number;
  /** Cookies carry `Secure` (and the `__Host-` prefix): DASHBOARD_PUBLIC_URL is https. */
  secure: boolean;
}

export interface AccessSettings {
  mode: AccessMode;
  publicUrl: string | undefined;
  session: SessionSettings;
  roles: RoleMapping;
  oidc: OidcSettings | undefined;
  proxyHeaders: ProxyHeaderSettings;
  /** Peer addresses whose X-Forwarded-For (and, in proxy mode, identity headers) are believed. */
  trustedProxies: string[];
}

type Env = Record<string, string | undefined>;

const text = (env: Env, name: string): string | undefined => {
  const v = env[name]?.trim();
  return v ? v : undefined;
};
const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const seconds = (env: Env, name: string, def: number, min: number, max: number): number => {
  const raw = env[name];
  if (raw === undefined) return def * 1000;
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= max))
    throw new ConfigError(`${name} must be a whole number of seconds from ${min} to ${max}.`);
  return n * 1000;
};

const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]{1,64}$/;
const header = (env: Env, name: string, def: string): string => {
  const v = (text(env, name) ?? def).toLowerCase();
  if (!HEADER_NAME.test(v)) throw new ConfigError(`${name} must be an HTTP header name.`);
  return v;
};

/** Each entry an IP address or a CIDR block; returns the canonical list (errors name the variable). */
export function parseTrustedProxies(value: string | undefined): string[] {
  const out: string[] = [];
  for (const entry of list(value)) {
    const [addr = '', bits, extra] = entry.split('/');
    const family = isIP(addr);
    const max = family === 4 ? 32 : 128;
    const ok =
      family !== 0 && extra === undefined && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= max));
    if (!ok)
      throw new ConfigError('DASHBOARD_TRUSTED_PROXIES must be a comma-separated list of IP addresses or CIDR blocks.');
    out.push(entry);
  }
  return out;
}

export function trustedProxyList(entries: readonly string[]): BlockList {
  const b = new BlockList();
  for (const entry of entries) {
    const [addr = '', bits] = entry.split('/');
    const type = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) b.addAddress(addr, type);
    else b.addSubnet(addr, Number(bits), type);
  }
  return b;
}

function parsePublicUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new ConfigError('DASHBOARD_PUBLIC_URL must be an absolute http(s) URL, e.g. https://dashboard.example.com.');
  }
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.username || u.password || u.search || u.hash)
    throw new ConfigError('DASHBOARD_PUBLIC_URL must be an http(s) URL without credentials, query or fragment.');
  return u.origin + u.pathname.replace(/\/+$/, '');
}

function parseIssuer(value: string): { issuer: string; insecure: boolean } {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new ConfigError('DASHBOARD_OIDC_ISSUER must be the provider’s issuer URL (https://…).');
  }
  const loopback = u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback))
    throw new ConfigError('DASHBOARD_OIDC_ISSUER must be an https URL (http is accepted only on loopback).');
  // Kept exactly as written: it is compared byte for byte with the discovery document's and the ID token's `iss`.
  return { issuer: value, insecure: u.protocol === 'http:' };
}

function parseKeys(value: string | undefined): string[] {
  const keys = list(value);
  for (const k of keys)
    if (k.length < 32)
      throw new ConfigError(
        'DASHBOARD_SESSION_KEYS: each key must be at least 32 characters (e.g. `openssl rand -base64 32`); the first seals, the others are still accepted.',
      );
  return keys;
}

/**
 * Which access mode the environment asks for. More than one is a start-up error naming the conflicting
 * variables; `basicAuth` is DASHBOARD_BASIC_AUTH already parsed by config-access.ts.
 */
export function accessSettings(env: Env, o: { basicAuth: boolean; explicit: string | undefined }): AccessSettings {
  const issuerRaw = text(env, 'DASHBOARD_OIDC_ISSUER');
  const wanted: [AccessMode, string][] = [];
  if (o.basicAuth) wanted.push(['basic', 'DASHBOARD_BASIC_AUTH']);
  if (issuerRaw) wanted.push(['oidc', 'DASHBOARD_OIDC_ISSUER']);
  if (o.explicit === 'proxy') wanted.push(['proxy', 'DASHBOARD_AUTH=proxy']);
  if (o.explicit === 'none') wanted.push(['none', 'DASHBOARD_AUTH=none']);
  if (wanted.length > 1)
    throw new ConfigError(
      `Exactly one access mode may be in force, but ${wanted.map((w) => w[1]).join(' and ')} are both set: keep one.`,
    );
  const mode: AccessMode = wanted[0]?.[0] ?? 'none';
  if (o.explicit === 'oidc' && mode !== 'oidc')
    throw new ConfigError('DASHBOARD_AUTH=oidc needs DASHBOARD_OIDC_ISSUER.');

  const publicUrl = parsePublicUrl(text(env, 'DASHBOARD_PUBLIC_URL'));
  const trustedProxies = parseTrustedProxies(env.DASHBOARD_TRUSTED_PROXIES);
  const roles: RoleMapping = {
    claim: text(env, 'DASHBOARD_ROLE_CLAIM') ?? 'groups',
    viewerGroups: list(env.DASHBOARD_VIEWER_GROUPS),
    operatorGroups: list(env.DASHBOARD_OPERATOR_GROUPS),
  };
  const keys = parseKeys(env.DASHBOARD_SESSION_KEYS);
  const idleMs = seconds(env, 'DASHBOARD_SESSION_IDLE_SEC', 8 * 3600, 60, 30 * 86400);
  const absoluteMs = seconds(env, 'DASHBOARD_SESSION_MAX_SEC', 24 * 3600, 60, 90 * 86400);
  if (idleMs > absoluteMs)
    throw new ConfigError('DASHBOARD_SESSION_IDLE_SEC must not exceed DASHBOARD_SESSION_MAX_SEC.');

  let oidc: OidcSettings | undefined;
  if (mode === 'oidc') {
    const clientId = text(env, 'DASHBOARD_OIDC_CLIENT_ID');
    if (!clientId) throw new ConfigError('DASHBOARD_OIDC_ISSUER is set but DASHBOARD_OIDC_CLIENT_ID is not.');
    if (!publicUrl)
      throw new ConfigError(
        'DASHBOARD_OIDC_ISSUER needs DASHBOARD_PUBLIC_URL: the redirect URI registered at the provider is DASHBOARD_PUBLIC_URL/auth/callback.',
      );
    if (keys.length === 0)
      throw new ConfigError(
        'DASHBOARD_OIDC_ISSUER needs DASHBOARD_SESSION_KEYS (at least one key of 32 characters or more) to seal sessions.',
      );
    const { issuer, insecure } = parseIssuer(issuerRaw!);
    oidc = {
      issuer,
      clientId,
      clientSecret: text(env, 'DASHBOARD_OIDC_CLIENT_SECRET'),
      scopes: text(env, 'DASHBOARD_OIDC_SCOPES') ?? 'openid profile email',
      allowInsecureIssuer: insecure,
    };
    if (!oidc.scopes.split(/\s+/).includes('openid'))
      throw new ConfigError('DASHBOARD_OIDC_SCOPES must include openid.');
  }
  if (mode === 'proxy' && trustedProxies.length === 0)
    throw new ConfigError(
      'DASHBOARD_AUTH=proxy needs DASHBOARD_TRUSTED_PROXIES: identity headers are believed only from those addresses.',
    );
  if ((mode === 'oidc' || mode === 'proxy') && roles.viewerGroups.length + roles.operatorGroups.length === 0)
    throw new ConfigError(
      'Set DASHBOARD_VIEWER_GROUPS and/or DASHBOARD_OPERATOR_GROUPS: with neither, nobody could be given a role.',
    );

  return {
    mode,
    publicUrl,
    session: {
      keys,
      ephemeralKey: keys.length === 0,
      idleMs,
      absoluteMs,
      secure: publicUrl?.startsWith('https:') ?? false,
    },
    roles,
    oidc,
    proxyHeaders: {
      userHeader: header(env, 'DASHBOARD_PROXY_USER_HEADER', 'x-forwarded-user'),
      emailHeader: header(env, 'DASHBOARD_PROXY_EMAIL_HEADER', 'x-forwarded-email'),
      groupsHeader: header(env, 'DASHBOARD_PROXY_GROUPS_HEADER', 'x-forwarded-groups'),
      signOutUrl: signOutUrl(text(env, 'DASHBOARD_PROXY_SIGN_OUT_URL')),
    },
    trustedProxies,
  };
}

function signOutUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value.startsWith('/') && !value.startsWith('//')) return value;
  try {
    const u = new URL(value);
    if (u.protocol === 'https:' || u.protocol === 'http:') return u.href;
  } catch {
    // fall through to the error
  }
  throw new ConfigError(
    'DASHBOARD_PROXY_SIGN_OUT_URL must be a path on this site (/oauth2/sign_out) or an http(s) URL.',
  );
}

/** The role a set of groups earns (operator wins), or null: the refusal then says which groups would do. */
export function roleFor(groups: readonly string[], m: RoleMapping): Role | null {
  const has = (wanted: string[]) => wanted.includes('*') || wanted.some((g) => groups.includes(g));
  if (has(m.operatorGroups)) return 'operator';
  if (has(m.viewerGroups)) return 'viewer';
  return null;
}

/** A claim's value as a list of strings (one string, or the strings of an array). */
export function claimValues(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}
