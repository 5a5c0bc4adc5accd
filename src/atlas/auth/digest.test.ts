import { describe, expect, it } from 'vitest';
import { authorizationHeader, digestResponse, parseAuthorization, parseChallenge } from './digest.ts';

describe('Digest test vectors', () => {
  it('RFC 2617 section 3.5 (Mufasa)', () => {
    expect(
      digestResponse({
        algorithm: 'MD5',
        username: 'Mufasa',
        realm: 'testrealm@host.com',
        password: 'Circle Of Life',
        method: 'GET',
        uri: '/dir/index.html',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        qop: 'auth',
        nc: '00000001',
        cnonce: '0a4f113b',
      }),
    ).toBe('6629fae49393a05397450978507c4ef1');
  });

  const rfc7616 = {
    username: 'Mufasa',
    realm: 'http-auth@example.org',
    password: 'Circle of Life',
    method: 'GET',
    uri: '/dir/index.html',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    qop: 'auth',
    nc: '00000001',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  };
  it('RFC 7616 section 3.9.1, MD5', () => {
    expect(digestResponse({ ...rfc7616, algorithm: 'MD5' })).toBe('8ca523f5e9506fed4657c9700eebdbec');
  });
  it('RFC 7616 section 3.9.1, SHA-256', () => {
    expect(digestResponse({ ...rfc7616, algorithm: 'SHA-256' })).toBe(
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
  });
});

describe('challenge parsing', () => {
  it("reads Atlas's documented challenge", () => {
    const c = parseChallenge(
      'Digest realm="MMS Public API", domain="", nonce="abc/+=", algorithm=MD5, qop="auth", stale=false',
    );
    expect(c).toEqual({ realm: 'MMS Public API', nonce: 'abc/+=', algorithm: 'MD5', qop: 'auth', stale: false });
  });
  it('tolerates unquoted qop, auth-int alongside, absent algorithm, unknown directives, stale=true', () => {
    const c = parseChallenge('Digest qop="auth,auth-int", realm=r, nonce="n", foo=bar, stale=TRUE');
    expect(c).toMatchObject({ algorithm: 'MD5', qop: 'auth', stale: true });
    expect(parseChallenge('Digest realm="r", nonce="n", qop=auth, algorithm=SHA-256').algorithm).toBe('SHA-256');
  });
  it('refuses what it cannot answer', () => {
    expect(() => parseChallenge('Digest realm="r", nonce="n", qop="auth", algorithm=MD5-sess')).toThrow(/MD5-SESS/);
    expect(() => parseChallenge('Digest realm="r", nonce="n", qop="auth-int"')).toThrow(/qop=auth/);
    expect(() => parseChallenge('Basic realm="r"')).toThrow();
  });
});

describe('signing', () => {
  it('round-trips through the server-side parser, quoting the username, fresh cnonce each time', () => {
    const ch = parseChallenge('Digest realm="MMS Public API", nonce="n1", qop="auth", algorithm=SHA-256');
    const a = authorizationHeader(ch, { username: 'we"ird\\user', password: 'pw' }, 'GET', '/p?q=1');
    const b = authorizationHeader(ch, { username: 'we"ird\\user', password: 'pw' }, 'GET', '/p?q=1');
    const pa = parseAuthorization(a)!;
    const pb = parseAuthorization(b)!;
    expect(pa.username).toBe('we"ird\\user');
    expect(pa.uri).toBe('/p?q=1');
    expect(pa.cnonce).not.toBe(pb.cnonce);
    expect(pa.cnonce!.length).toBeGreaterThanOrEqual(16);
    expect(pa.response).toBe(
      digestResponse({
        algorithm: 'SHA-256',
        username: pa.username,
        realm: pa.realm,
        password: 'pw',
        method: 'GET',
        uri: pa.uri,
        nonce: 'n1',
        qop: 'auth',
        nc: pa.nc!,
        cnonce: pa.cnonce!,
      }),
    );
  });
});
