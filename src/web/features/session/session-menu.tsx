import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { isSessionEnded, signInUrl, signOut, useSession } from './session.ts';

/** "Signed in as …" with the role, and sign-out where the access mode has one. Nothing without sign-in. */
export function SessionMenu() {
  const s = useSession();
  const [leaving, setLeaving] = useState(false);
  if (!s?.user || s.mode === 'none') return null;
  const title = `${s.user.email ?? s.user.id}, signed in ${s.mode === 'oidc' ? 'with your identity provider' : s.mode === 'proxy' ? 'through your sign-in proxy' : 'with the dashboard password'}${s.expiresAt ? `; the session ends by ${new Date(s.expiresAt).toLocaleString()}` : ''}`;
  return (
    <div className="flex min-w-0 items-center gap-2 text-xs" data-testid="session-menu">
      <span className="flex min-w-0 items-center gap-1.5 text-slate-600" title={title}>
        <span className="sr-only">Signed in as</span>
        {/* On a phone the role stays and the name gives way (still read out, and in the tooltip). */}
        <span className="sr-only max-w-48 truncate font-medium text-slate-900 sm:not-sr-only">{s.user.name}</span>
        <span
          className={`rounded px-1.5 py-px text-[11px] font-medium ring-1 ring-inset ${s.role === 'operator' ? 'bg-blue-50 text-blue-800 ring-blue-200' : 'bg-slate-50 text-slate-700 ring-slate-200'}`}
        >
          {s.role}
        </span>
      </span>
      {s.canSignOut && s.signOutUrl && (
        <a
          href={s.signOutUrl}
          className="rounded border border-slate-300 bg-white px-2 py-1 font-medium text-slate-700 hover:bg-slate-50 focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
        >
          Sign out
        </a>
      )}
      {s.canSignOut && !s.signOutUrl && s.csrfToken && (
        <button
          type="button"
          disabled={leaving}
          onClick={() => {
            setLeaving(true);
            void signOut(s.csrfToken!).catch(() => setLeaving(false));
          }}
          className="rounded border border-slate-300 bg-white px-2 py-1 font-medium text-slate-700 hover:bg-slate-50 focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none disabled:opacity-60"
        >
          {leaving ? 'Signing out…' : 'Sign out'}
        </button>
      )}
    </div>
  );
}

/**
 * When the server says the session has ended (idle or absolute lifetime, sign-out elsewhere), a browser signed
 * in with OpenID Connect goes through sign-in again and comes back to the same address (the URL holds the
 * view). Once per page load: a sign-in that fails shows its own page rather than looping.
 */
export function SessionExpiryWatch() {
  const client = useQueryClient();
  const s = useSession();
  const oidc = s?.mode === 'oidc';
  useEffect(() => {
    if (!oidc) return;
    let gone = false;
    return client.getQueryCache().subscribe((event) => {
      if (gone || event.type !== 'updated' || event.action.type !== 'error' || !isSessionEnded(event.action.error))
        return;
      gone = true;
      window.location.assign(signInUrl(window.location.pathname + window.location.search));
    });
  }, [client, oidc]);
  return null;
}
