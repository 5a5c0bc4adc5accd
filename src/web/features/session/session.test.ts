import { describe, expect, it } from 'vitest';
import { AtlasRequestError } from '../../lib/api-client.ts';
import { can, isSessionEnded, parseSession } from './session.ts';

describe('the session as the SPA reads it', () => {
  it('parses /api/session and answers what a role may do', () => {
    const operator = parseSession({
      mode: 'oidc',
      user: { id: 'u1', name: 'Olivia', email: 'o@example.com' },
      role: 'operator',
      csrfToken: 't',
      canSignOut: true,
      expiresAt: '2026-01-01T00:00:00.000Z',
    });
    expect(operator).toMatchObject({ mode: 'oidc', user: { name: 'Olivia' }, role: 'operator', canSignOut: true });
    expect(can(operator, 'act')).toBe(true);
    const viewer = { ...operator, role: 'viewer' as const };
    expect(can(viewer, 'read')).toBe(true);
    expect(can(viewer, 'act')).toBe(false);
    // Unknown, odd or missing: nothing is offered.
    expect(can(undefined, 'read')).toBe(false);
    expect(can(parseSession({ mode: 'oidc', role: 'admin' }), 'act')).toBe(false);
    expect(parseSession('nonsense')).toMatchObject({ mode: 'none', user: null, role: null, canSignOut: false });
  });

  it('tells an ended session from Atlas refusing the server’s credentials', () => {
    const ended = new AtlasRequestError(
      'http',
      401,
      'x',
      {
        error: 401,
        errorCode: 'SESSION_EXPIRED',
        reason: 'Unauthorized',
        detail: 'x',
        parameters: [],
      },
      undefined,
      { source: 'dashboard' },
    );
    expect(isSessionEnded(ended)).toBe(true);
    const atlas = new AtlasRequestError('http', 401, 'x', {
      error: 401,
      errorCode: 'SESSION_EXPIRED',
      reason: 'Unauthorized',
      detail: 'x',
      parameters: [],
    });
    expect(isSessionEnded(atlas)).toBe(false);
    expect(isSessionEnded(new Error('x'))).toBe(false);
  });
});
