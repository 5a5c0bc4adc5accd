/**
 * Sessions: a sealed cookie holding only an id, who (subject, display name, e-mail), the role, how they signed
 * in, a CSRF token and two times. Idle and absolute lifetimes are checked on every request; activity re-seals the
 * cookie at most once a minute (and at once when it was sealed with an older key, so rotation completes as
 * people use the dashboard). Sign-out remembers the id until the session could have expired anyway, so a copy
 * of the cookie taken before sign-out stops working in this process too.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Sealer } from './seal.ts';
import type { AccessMode, Role, SessionSettings } from './settings.ts';

export interface Identity {
  /** Stable subject: the provider's `sub`, the proxy's user header, or the Basic user name. */
  id: string;
  /** What people read: name, else e-mail, else id. */
  name: string;
  email?: string;
  role: Role;
  via: AccessMode;
}

export interface SessionData extends Identity {
  sid: string;
  /** What the session was opened against (mode, issuer and client, or the Basic credential): if that changes, it ends. */
  scope: string;
  csrf: string;
  /** Signed in at (ms): the absolute lifetime counts from here. */
  iat: number;
  /** Last request seen (ms): the idle lifetime counts from here. */
  seen: number;
}

export type SessionRead =
  | { status: 'none' }
  | { status: 'invalid' }
  | { status: 'expired'; reason: 'idle' | 'absolute' | 'signed-out' }
  | { status: 'ok'; session: SessionData; reseal: boolean };

const RESEAL_AFTER_MS = 60_000;
const PURPOSE = 'session';

export interface CookieNames {
  session: string;
  signIn: string;
}

export function cookieNames(secure: boolean): CookieNames {
  // `__Host-` cookies must be Secure, Path=/ and have no Domain: no subdomain can set or shadow them.
  return secure
    ? { session: '__Host-dashboard-session', signIn: '__Host-dashboard-sign-in' }
    : { session: 'dashboard-session', signIn: 'dashboard-sign-in' };
}

/** One cookie's value from a Cookie header (the first occurrence), or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function setCookie(name: string, value: string, o: { secure: boolean; maxAgeSec?: number }): string {
  const attrs = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (o.secure) attrs.push('Secure');
  if (o.maxAgeSec !== undefined) attrs.push(`Max-Age=${o.maxAgeSec}`);
  return attrs.join('; ');
}

export const clearCookie = (name: string, secure: boolean) => setCookie(name, '', { secure, maxAgeSec: 0 });

export class SessionStore {
  readonly names: CookieNames;
  /** Signed-out session ids, each until its session would have ended anyway. */
  private readonly revoked = new LRUCache<string, number>({ max: 100_000 });

  constructor(
    private readonly sealer: Sealer,
    private readonly s: SessionSettings,
    private readonly now: () => number,
    private readonly scope: string,
  ) {
    this.names = cookieNames(s.secure);
  }

  create(who: Identity): SessionData {
    const t = this.now();
    return {
      ...who,
      scope: this.scope,
      sid: randomBytes(16).toString('base64url'),
      csrf: randomBytes(24).toString('base64url'),
      iat: t,
      seen: t,
    };
  }

  read(cookieHeader: string | undefined): SessionRead {
    const raw = readCookie(cookieHeader, this.names.session);
    if (!raw) return { status: 'none' };
    const opened = this.sealer.open(PURPOSE, raw);
    const data = opened ? asSession(opened.value) : null;
    if (!opened || !data || data.scope !== this.scope) return { status: 'invalid' };
    const t = this.now();
    if (t - data.iat >= this.s.absoluteMs) return { status: 'expired', reason: 'absolute' };
    if (t - data.seen >= this.s.idleMs) return { status: 'expired', reason: 'idle' };
    if ((this.revoked.get(data.sid) ?? 0) > t) return { status: 'expired', reason: 'signed-out' };
    return { status: 'ok', session: data, reseal: !opened.byCurrentKey || t - data.seen >= RESEAL_AFTER_MS };
  }

  /** The Set-Cookie header that stores `data` as seen now; the cookie lives no longer than the session may. */
  cookie(data: SessionData): string {
    const t = this.now();
    const fresh = { ...data, seen: t };
    const left = Math.min(data.iat + this.s.absoluteMs - t, this.s.idleMs);
    return setCookie(this.names.session, this.sealer.seal(PURPOSE, fresh), {
      secure: this.s.secure,
      maxAgeSec: Math.max(0, Math.floor(left / 1000)),
    });
  }

  clear(): string {
    return clearCookie(this.names.session, this.s.secure);
  }

  revoke(data: SessionData): void {
    this.revoked.set(data.sid, data.iat + this.s.absoluteMs);
  }

  expiresAt(data: SessionData): { idle: number; absolute: number } {
    return { idle: data.seen + this.s.idleMs, absolute: data.iat + this.s.absoluteMs };
  }
}

export function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 512;
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A sealed value is ours, but it is still checked field by field (an older format is simply not a session). */
function asSession(v: unknown): SessionData | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  if (!str(o.sid) || !str(o.scope) || !str(o.csrf) || !str(o.id) || !str(o.name) || !num(o.iat) || !num(o.seen))
    return null;
  if (o.role !== 'viewer' && o.role !== 'operator') return null;
  if (o.via !== 'oidc' && o.via !== 'basic') return null;
  if (o.email !== undefined && !str(o.email)) return null;
  return {
    sid: o.sid,
    scope: o.scope,
    csrf: o.csrf,
    id: o.id,
    name: o.name,
    role: o.role,
    via: o.via,
    iat: o.iat,
    seen: o.seen,
    ...(o.email ? { email: o.email } : {}),
  };
}
