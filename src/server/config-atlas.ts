/** The Atlas half of the configuration: which credentials, and which origin they may be sent to. */
import { ConfigError, isLoopback } from './config-access.ts';
import type { AtlasAuth } from './config.ts';

const DEFAULT_BASE_URL = 'https://cloud.mongodb.com';

export interface AtlasEnv {
  MONGODB_ATLAS_CLIENT_ID?: string | undefined;
  MONGODB_ATLAS_CLIENT_SECRET?: string | undefined;
  MONGODB_ATLAS_PUBLIC_API_KEY?: string | undefined;
  MONGODB_ATLAS_PRIVATE_API_KEY?: string | undefined;
  MONGODB_ATLAS_BASE_URL?: string | undefined;
  MONGODB_ATLAS_OPS_MANAGER_URL?: string | undefined;
}

export function pickAuth(e: AtlasEnv): AtlasAuth | null {
  const sa = pair(
    'MONGODB_ATLAS_CLIENT_ID',
    e.MONGODB_ATLAS_CLIENT_ID,
    'MONGODB_ATLAS_CLIENT_SECRET',
    e.MONGODB_ATLAS_CLIENT_SECRET,
  );
  const key = pair(
    'MONGODB_ATLAS_PUBLIC_API_KEY',
    e.MONGODB_ATLAS_PUBLIC_API_KEY,
    'MONGODB_ATLAS_PRIVATE_API_KEY',
    e.MONGODB_ATLAS_PRIVATE_API_KEY,
  );
  if (sa && key) {
    throw new ConfigError(
      'Both MONGODB_ATLAS_CLIENT_ID/MONGODB_ATLAS_CLIENT_SECRET and MONGODB_ATLAS_PUBLIC_API_KEY/MONGODB_ATLAS_PRIVATE_API_KEY are set: configure exactly one way to authenticate.',
    );
  }
  if (sa) return { kind: 'serviceAccount', clientId: sa[0], clientSecret: sa[1] };
  if (key) return { kind: 'apiKey', publicKey: key[0], privateKey: key[1] };
  return null;
}

function pair(aName: string, a: string | undefined, bName: string, b: string | undefined): [string, string] | null {
  if (a && b) return [a, b];
  if (a) throw new ConfigError(`${aName} is set but ${bName} is missing.`);
  if (b) throw new ConfigError(`${bName} is set but ${aName} is missing.`);
  return null;
}

export function parseBaseUrl(e: AtlasEnv): string {
  const name = e.MONGODB_ATLAS_BASE_URL ? 'MONGODB_ATLAS_BASE_URL' : 'MONGODB_ATLAS_OPS_MANAGER_URL';
  const raw = e.MONGODB_ATLAS_BASE_URL ?? e.MONGODB_ATLAS_OPS_MANAGER_URL ?? DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a valid URL.`);
  }
  const bad = (why: string) => new ConfigError(`${name} ${why}.`);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw bad('must be an http(s) URL');
  if (url.username || url.password) throw bad('must not contain credentials');
  if (url.search || url.hash || (url.pathname !== '/' && url.pathname !== ''))
    throw bad('must be an origin only (no path or query)');
  // Plain HTTP would carry a bearer token in clear text; it is only for a local simulator.
  if (url.protocol === 'http:' && !isLoopback(url.hostname))
    throw bad('must use https unless it points at a loopback address');
  return url.origin;
}
