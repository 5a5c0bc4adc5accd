import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { safeReturnTo } from './access.ts';
import { createSealer } from './seal.ts';
import { roleFor } from './settings.ts';

const KEY = 'k'.repeat(32);
const OIDC = {
  DASHBOARD_OIDC_ISSUER: 'https://login.example.com',
  DASHBOARD_OIDC_CLIENT_ID: 'dash',
  DASHBOARD_PUBLIC_URL: 'https://dash.example.com',
  DASHBOARD_SESSION_KEYS: KEY,
  DASHBOARD_VIEWER_GROUPS: 'v',
};

describe('access mode: exactly one at a time', () => {
  it.each([
    [{ ...OIDC, DASHBOARD_BASIC_AUTH: 'ops:long-enough-password' }, /DASHBOARD_BASIC_AUTH and DASHBOARD_OIDC_ISSUER/],
    [{ ...OIDC, DASHBOARD_AUTH: 'none' }, /DASHBOARD_OIDC_ISSUER and DASHBOARD_AUTH=none/],
    [{ ...OIDC, DASHBOARD_AUTH: 'proxy' }, /DASHBOARD_OIDC_ISSUER and DASHBOARD_AUTH=proxy/],
    [
      {
        DASHBOARD_AUTH: 'proxy',
        DASHBOARD_BASIC_AUTH: 'ops:long-enough-password',
        DASHBOARD_TRUSTED_PROXIES: '10.0.0.1',
      },
      /DASHBOARD_BASIC_AUTH and DASHBOARD_AUTH=proxy/,
    ],
  ])('%o is a start-up error naming the conflict', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('names what each mode still needs, never a value', () => {
    expect(() => loadConfig({ ...OIDC, DASHBOARD_PUBLIC_URL: undefined })).toThrow(/needs DASHBOARD_PUBLIC_URL/);
    expect(() => loadConfig({ ...OIDC, DASHBOARD_SESSION_KEYS: undefined })).toThrow(/needs DASHBOARD_SESSION_KEYS/);
    expect(() => loadConfig({ ...OIDC, DASHBOARD_SESSION_KEYS: 'short-secret-value' })).toThrow(
      /DASHBOARD_SESSION_KEYS: each key must be at least 32/,
    );
    expect(() => loadConfig({ ...OIDC, DASHBOARD_VIEWER_GROUPS: undefined })).toThrow(/DASHBOARD_OPERATOR_GROUPS/);
    expect(() => loadConfig({ ...OIDC, DASHBOARD_OIDC_ISSUER: 'http://login.example.com' })).toThrow(
      /must be an https URL/,
    );
    expect(() => loadConfig({ DASHBOARD_AUTH: 'proxy', DASHBOARD_VIEWER_GROUPS: 'v' })).toThrow(
      /needs DASHBOARD_TRUSTED_PROXIES/,
    );
    expect(() => loadConfig({ DASHBOARD_TRUSTED_PROXIES: '10.0.0.1/33' })).toThrow(/DASHBOARD_TRUSTED_PROXIES must be/);
    expect(() => loadConfig({ DASHBOARD_AUTH: 'oidc' })).toThrow(/DASHBOARD_AUTH=oidc needs DASHBOARD_OIDC_ISSUER/);
    for (const bad of ['javascript:alert(1)', '//evil.example/out', 'sign_out'])
      expect(() => loadConfig({ DASHBOARD_PROXY_SIGN_OUT_URL: bad }), bad).toThrow(
        /DASHBOARD_PROXY_SIGN_OUT_URL must be/,
      );
  });

  it('OIDC or a trusted proxy counts as access control on a non-loopback address; the public host is allowed', () => {
    const c = loadConfig({ ...OIDC, HOST: '0.0.0.0' });
    expect(c.access.identity.mode).toBe('oidc');
    expect(c.access.identity.session.secure).toBe(true);
    expect(c.access.allowedHosts).toContain('dash.example.com');
    const p = loadConfig({
      HOST: '0.0.0.0',
      DASHBOARD_AUTH: 'proxy',
      DASHBOARD_TRUSTED_PROXIES: '10.1.2.3, fd00::/8',
      DASHBOARD_OPERATOR_GROUPS: 'ops',
    });
    expect(p.access.identity.mode).toBe('proxy');
    expect(p.access.identity.trustedProxies).toEqual(['10.1.2.3', 'fd00::/8']);
    expect(loadConfig({}).access.identity.mode).toBe('none');
    expect(loadConfig({ DASHBOARD_BASIC_AUTH: 'ops:long-enough-password' }).access.identity.mode).toBe('basic');
  });

  it('maps groups to roles: operator wins, `*` means anyone signed in', () => {
    const m = { claim: 'groups', viewerGroups: ['v'], operatorGroups: ['o'] };
    expect(roleFor(['x', 'o', 'v'], m)).toBe('operator');
    expect(roleFor(['v'], m)).toBe('viewer');
    expect(roleFor(['x'], m)).toBeNull();
    expect(roleFor([], { ...m, viewerGroups: ['*'] })).toBe('viewer');
  });
});

describe('sealed values', () => {
  it('open only with one of the keys, for the same purpose, unchanged', () => {
    const a = createSealer(['a'.repeat(32)]);
    const sealed = a.seal('session', { sid: 'x', n: 1 });
    expect(a.open('session', sealed)).toEqual({ value: { sid: 'x', n: 1 }, byCurrentKey: true });
    expect(a.open('sign-in', sealed)).toBeNull();
    const body = sealed.split('.')[3]!;
    const changed = sealed.slice(0, -body.length) + (body[0] === 'A' ? 'B' : 'A') + body.slice(1);
    expect(a.open('session', changed)).toBeNull();
    // Rotation: the new key first, the old one still opens (and says it is not current).
    const rotated = createSealer(['b'.repeat(32), 'a'.repeat(32)]);
    expect(rotated.open('session', sealed)).toEqual({ value: { sid: 'x', n: 1 }, byCurrentKey: false });
    expect(createSealer(['b'.repeat(32)]).open('session', sealed)).toBeNull();
  });
});

describe('where a sign-in returns to', () => {
  it('only a path on this site', () => {
    expect(safeReturnTo('/projects/abc/clusters/x/exports?state=Failed')).toBe(
      '/projects/abc/clusters/x/exports?state=Failed',
    );
    for (const evil of [
      '//evil.example/x',
      '/\\evil.example',
      'https://evil.example',
      'javascript:alert(1)',
      '/a\nb',
      '/auth/callback?code=x',
      '',
    ])
      expect(safeReturnTo(evil), evil).toBe('/');
  });
});
