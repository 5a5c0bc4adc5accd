/**
 * HTTP Digest (RFC 7616, RFC 2617 compatible), the arithmetic both sides share: the proxy signs requests with it,
 * the simulator checks them. Only `qop=auth` with MD5 or SHA-256, as Atlas serves.
 */
import { createHash, randomBytes } from 'node:crypto';

export type DigestAlgorithm = 'MD5' | 'SHA-256';

export interface DigestChallenge {
  realm: string;
  nonce: string;
  algorithm: DigestAlgorithm;
  qop: 'auth';
  opaque?: string;
  stale: boolean;
}

export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm: DigestAlgorithm;
  qop?: string;
  nc?: string;
  cnonce?: string;
  opaque?: string;
}

export function hash(algorithm: DigestAlgorithm, data: string): string {
  return createHash(algorithm === 'MD5' ? 'md5' : 'sha256')
    .update(data, 'utf8')
    .digest('hex');
}

export interface ResponseInput {
  algorithm: DigestAlgorithm;
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  /** Absent for RFC 2069 style (no qop). */
  qop?: string;
  nc?: string;
  cnonce?: string;
}

/** The `response` directive (RFC 7616 section 3.4.1). */
export function digestResponse(i: ResponseInput): string {
  const ha1 = hash(i.algorithm, `${i.username}:${i.realm}:${i.password}`);
  const ha2 = hash(i.algorithm, `${i.method}:${i.uri}`);
  const tail = i.qop ? `${i.nonce}:${i.nc}:${i.cnonce}:${i.qop}:${ha2}` : `${i.nonce}:${ha2}`;
  return hash(i.algorithm, `${ha1}:${tail}`);
}

/**
 * Parses `key=value, key="quoted, value"` auth-params. Unknown directives are kept, not rejected
 * (Atlas sends `domain=""`; a strict parser is brittle).
 */
export function parseAuthParams(input: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (const m of input.matchAll(re)) {
    const key = m[1]!.toLowerCase();
    const value = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
    if (!out.has(key)) out.set(key, value);
  }
  return out;
}

export class DigestChallengeError extends Error {}

/** Picks the Digest challenge out of a `WWW-Authenticate` header. Throws on what we cannot answer. */
export function parseChallenge(header: string): DigestChallenge {
  const at = header.search(/\bDigest\s/i);
  if (at < 0) throw new DigestChallengeError('no Digest challenge');
  const params = parseAuthParams(header.slice(at + 'Digest'.length));
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  if (realm === undefined || !nonce) throw new DigestChallengeError('Digest challenge without realm or nonce');
  const alg = (params.get('algorithm') ?? 'MD5').toUpperCase();
  if (alg !== 'MD5' && alg !== 'SHA-256') throw new DigestChallengeError(`unsupported Digest algorithm ${alg}`);
  const qops = (params.get('qop') ?? '').split(',').map((q) => q.trim().toLowerCase());
  if (!qops.includes('auth')) throw new DigestChallengeError('Digest challenge without qop=auth');
  const opaque = params.get('opaque');
  return {
    realm,
    nonce,
    algorithm: alg,
    qop: 'auth',
    stale: (params.get('stale') ?? 'false').toLowerCase() === 'true',
    ...(opaque !== undefined ? { opaque } : {}),
  };
}

function quote(value: string): string {
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

/** Signs one request: a fresh 128-bit cnonce every time, so a retry is never a replay. */
export function authorizationHeader(
  challenge: DigestChallenge,
  creds: { username: string; password: string },
  method: string,
  uri: string,
  nc = 1,
): string {
  const cnonce = randomBytes(16).toString('hex');
  const ncHex = nc.toString(16).padStart(8, '0');
  const response = digestResponse({
    algorithm: challenge.algorithm,
    username: creds.username,
    realm: challenge.realm,
    password: creds.password,
    method,
    uri,
    nonce: challenge.nonce,
    qop: 'auth',
    nc: ncHex,
    cnonce,
  });
  const parts = [
    `username=${quote(creds.username)}`,
    `realm=${quote(challenge.realm)}`,
    `nonce=${quote(challenge.nonce)}`,
    `uri=${quote(uri)}`,
    `algorithm=${challenge.algorithm}`,
    `qop=auth`,
    `nc=${ncHex}`,
    `cnonce=${quote(cnonce)}`,
    `response=${quote(response)}`,
  ];
  if (challenge.opaque !== undefined) parts.push(`opaque=${quote(challenge.opaque)}`);
  return `Digest ${parts.join(', ')}`;
}

/** Parses an `Authorization: Digest ...` header (the server side). */
export function parseAuthorization(header: string): DigestCredentials | undefined {
  if (!/^Digest\s/i.test(header)) return undefined;
  const p = parseAuthParams(header.slice('Digest'.length));
  const username = p.get('username');
  const realm = p.get('realm');
  const nonce = p.get('nonce');
  const uri = p.get('uri');
  const response = p.get('response');
  if (username === undefined || realm === undefined || !nonce || uri === undefined || !response) return undefined;
  const alg = (p.get('algorithm') ?? 'MD5').toUpperCase();
  if (alg !== 'MD5' && alg !== 'SHA-256') return undefined;
  const opt = (k: string) => p.get(k);
  return {
    username,
    realm,
    nonce,
    uri,
    response,
    algorithm: alg,
    ...(opt('qop') !== undefined ? { qop: opt('qop') } : {}),
    ...(opt('nc') !== undefined ? { nc: opt('nc') } : {}),
    ...(opt('cnonce') !== undefined ? { cnonce: opt('cnonce') } : {}),
    ...(opt('opaque') !== undefined ? { opaque: opt('opaque') } : {}),
  };
}
