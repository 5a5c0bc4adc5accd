/**
 * Who may reach the server: loopback by default; any other bind address needs Basic auth or an explicit
 * DASHBOARD_AUTH=none. Part of config parsing (errors name the variable, never its value).
 */
import { isIP } from 'node:net';
import type { BasicAuth, ServerConfig } from './config.ts';
import { weakPasswordReason } from './sign-in/password-strength.ts';

export class ConfigError extends Error {}

const MIN_BCRYPT_COST = 10;

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

export function accessControl(
  host: string,
  basic: string | undefined,
  mode: 'none' | 'basic' | 'oidc' | 'proxy' | undefined,
  hosts: string,
  /** Sign-in by OpenID Connect or by a trusted proxy is configured (access/settings.ts checks the rest). */
  signInElsewhere = false,
): Omit<ServerConfig['access'], 'identity'> {
  const basicAuth = basic ? parseBasicAuth(basic) : null;
  if (mode === 'basic' && !basicAuth)
    throw new ConfigError('DASHBOARD_AUTH=basic needs DASHBOARD_BASIC_AUTH (user:password or user:bcrypt-hash).');
  if (mode === 'none' && basicAuth)
    throw new ConfigError('DASHBOARD_AUTH=none conflicts with DASHBOARD_BASIC_AUTH: set only one.');
  if (!isLoopback(host) && !basicAuth && mode !== 'none' && !signInElsewhere) {
    throw new ConfigError(
      `HOST is not a loopback address: anyone who can reach it could read Atlas with the dashboard's credentials. Set DASHBOARD_BASIC_AUTH (user:password or user:bcrypt-hash), DASHBOARD_OIDC_ISSUER, DASHBOARD_AUTH=proxy, or DASHBOARD_AUTH=none if another layer controls access.`,
    );
  }
  const allowedHosts = [
    'localhost',
    '127.0.0.1',
    '[::1]',
    ...hosts
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  ];
  if (!isLoopback(host) && host !== '0.0.0.0' && host !== '::')
    allowedHosts.push(isIP(host) === 6 ? `[${host}]` : host.toLowerCase());
  return { basicAuth, authNone: mode === 'none', allowedHosts: [...new Set(allowedHosts)] };
}

function parseBasicAuth(value: string): BasicAuth {
  const at = value.indexOf(':');
  const user = value.slice(0, at);
  const secret = value.slice(at + 1);
  if (at <= 0 || secret.length === 0)
    throw new ConfigError('DASHBOARD_BASIC_AUTH must be user:password or user:bcrypt-hash.');
  const bcrypt = /^\$2[aby]\$(\d{2})\$[./A-Za-z0-9]{53}$/.exec(secret);
  if (bcrypt) {
    // Below cost 10 a stolen hash is cheap to crack offline, and a guess costs the server little to check.
    if (Number(bcrypt[1]) < MIN_BCRYPT_COST)
      throw new ConfigError(
        `DASHBOARD_BASIC_AUTH bcrypt hash has cost ${Number(bcrypt[1])}: use cost ${MIN_BCRYPT_COST} or more (htpasswd -nbBC 12 user password).`,
      );
    return { user, bcryptHash: secret };
  }
  if (secret.length < 12)
    throw new ConfigError('DASHBOARD_BASIC_AUTH password must be at least 12 characters (or a bcrypt hash).');
  const weak = weakPasswordReason(secret, user);
  if (weak)
    throw new ConfigError(
      `DASHBOARD_BASIC_AUTH password is refused: ${weak}. Use a longer passphrase of unrelated words or a random password, or a bcrypt hash of one.`,
    );
  return { user, password: secret };
}
