import { queryOptions, useQuery } from '@tanstack/react-query';
import { getJson, isAtlasRequestError } from '../../lib/api-client.ts';

/**
 * `/api/session`: who is signed in, their role, and the CSRF token that state-changing requests send back in
 * `X-CSRF-Token`. The server enforces roles on every request; what this hides is a courtesy.
 */
export type AccessMode = 'none' | 'basic' | 'oidc' | 'proxy';
export type Role = 'viewer' | 'operator';

export interface SessionInfo {
  mode: AccessMode;
  user: { id: string; name: string; email: string | null } | null;
  role: Role | null;
  csrfToken: string | null;
  canSignOut: boolean;
  /** Behind an authenticating proxy: its sign-out address (the dashboard holds no session to end). */
  signOutUrl: string | null;
  expiresAt: string | null;
}

const str = (x: unknown) => (typeof x === 'string' ? x : null);

export function parseSession(value: unknown): SessionInfo {
  const v = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const u = typeof v.user === 'object' && v.user !== null ? (v.user as Record<string, unknown>) : null;
  const mode = (['none', 'basic', 'oidc', 'proxy'] as const).find((m) => m === v.mode) ?? 'none';
  return {
    mode,
    user: u && str(u.id) && str(u.name) ? { id: str(u.id)!, name: str(u.name)!, email: str(u.email) } : null,
    role: v.role === 'operator' || v.role === 'viewer' ? v.role : null,
    csrfToken: str(v.csrfToken),
    canSignOut: v.canSignOut === true,
    signOutUrl: str(v.signOutUrl),
    expiresAt: str(v.expiresAt),
  };
}

export const sessionQueryOptions = queryOptions({
  queryKey: ['session'] as const,
  queryFn: async ({ signal }) => parseSession(await getJson<unknown>('/api/session', 'application/json', signal)),
  staleTime: 60_000,
});

export function useSession(): SessionInfo | undefined {
  return useQuery(sessionQueryOptions).data;
}

/** What a role may do. `act`: writes and alert tests (operator only). `read`: everything else. */
export type Capability = 'read' | 'act';

/** Whether this session may do `capability`: false while the session is unknown or has no role. */
export function can(s: SessionInfo | undefined, capability: Capability): boolean {
  if (!s?.role) return false;
  return capability === 'read' || s.role === 'operator';
}

/** The SPA's one question before it shows a control (a courtesy: the server refuses regardless). */
export function useCan(capability: Capability): boolean {
  return can(useSession(), capability);
}

/** The server's 401 for a missing, ended or unreadable session (not Atlas refusing the server's credentials). */
export function isSessionEnded(error: unknown): boolean {
  return (
    isAtlasRequestError(error) &&
    error.status === 401 &&
    error.source === 'dashboard' &&
    (error.errorCode === 'SESSION_EXPIRED' || error.errorCode === 'SESSION_REQUIRED')
  );
}

export const signInUrl = (returnTo: string) => `/auth/sign-in?returnTo=${encodeURIComponent(returnTo)}`;

/** Ends the session on the server, then goes where it says (the provider's end-session page, or signed-out). */
export async function signOut(csrfToken: string): Promise<void> {
  const res = await fetch('/api/session', {
    method: 'DELETE',
    headers: { 'x-csrf-token': csrfToken, accept: 'application/json' },
    credentials: 'same-origin',
  });
  const body = (await res.json().catch(() => ({}))) as { redirectTo?: unknown };
  const to = typeof body.redirectTo === 'string' ? body.redirectTo : '/auth/signed-out';
  window.location.assign(res.ok ? to : '/auth/signed-out');
}
