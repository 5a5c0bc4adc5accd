/**
 * The few pages the server renders itself, before the SPA can run: a refusal that says which group is missing,
 * a sign-in that did not complete, and "signed out". Plain HTML under the SPA's CSP (the stylesheet is served
 * from /auth/style.css, no inline style or script), calm and dense like the rest of the dashboard.
 */
import type { RoleMapping } from './settings.ts';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

export const PAGE_CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#0f172a;background:#f8fafc}
header{display:flex;align-items:center;gap:.5rem;height:2.75rem;padding:0 1rem;border-bottom:1px solid #e2e8f0;background:#fff;font-weight:600}
header img{width:1.25rem;height:1.25rem}
main{max-width:40rem;margin:2.5rem auto;padding:1.25rem 1.5rem;background:#fff;border:1px solid #e2e8f0;border-radius:.375rem}
h1{margin:0 0 .75rem;font-size:1.125rem}
p{margin:.5rem 0}
code{font:12.5px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f1f5f9;border:1px solid #e2e8f0;border-radius:.25rem;padding:0 .25rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:1rem 0;font-size:13px}
dt{color:#475569}dd{margin:0}
.actions{display:flex;gap:.5rem;margin-top:1.25rem}
a.button{display:inline-block;padding:.3rem .75rem;border-radius:.25rem;border:1px solid #cbd5e1;color:#0f172a;text-decoration:none;font-weight:500}
a.button.primary{background:#1d4ed8;border-color:#1d4ed8;color:#fff}
a.button:focus-visible{outline:2px solid #2563eb;outline-offset:2px}
.missing{color:#b91c1c;font-weight:600}
.muted{color:#475569;font-size:13px}
`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)} · Atlas export jobs</title><link rel="stylesheet" href="/auth/style.css"><link rel="icon" href="/favicon.svg"></head><body><header><img src="/favicon.svg" alt="">Atlas export jobs</header><main>${body}</main></body></html>`;
}

const list = (items: readonly string[]) =>
  items.length ? items.map((g) => `<code>${esc(g)}</code>`).join(', ') : '<span class="muted">(none)</span>';

export function refusedPage(o: {
  who: string;
  mapping: RoleMapping;
  found: readonly string[];
  claimPresent: boolean;
  signOutHref?: string;
  /** In proxy mode the groups come from a header, not a claim. */
  source: 'claim' | 'header';
}): string {
  const { mapping: m } = o;
  const what = o.source === 'claim' ? `claim <code>${esc(m.claim)}</code>` : `groups header`;
  const wanted = [...m.viewerGroups, ...m.operatorGroups];
  const missing =
    wanted.length === 1
      ? `You are not a member of the group <span class="missing">${esc(wanted[0]!)}</span>.`
      : `You are not a member of any of the groups this dashboard accepts: <span class="missing">${wanted.map(esc).join(', ')}</span>.`;
  return page(
    'Access refused',
    `<h1>Access refused: a group is missing</h1>
<p>You are signed in as <strong>${esc(o.who)}</strong>, but this dashboard only lets in members of its viewer or operator groups. ${missing}</p>
<dl>
<dt>Viewer (read everything)</dt><dd>${list(m.viewerGroups)}</dd>
<dt>Operator (also act)</dt><dd>${list(m.operatorGroups)}</dd>
<dt>Your ${what}</dt><dd>${o.claimPresent ? list(o.found) : `<span class="missing">not present</span> <span class="muted">— ask your identity provider’s administrator to include it</span>`}</dd>
</dl>
<p class="muted">Ask whoever manages these groups to add you, then sign in again.</p>
<div class="actions">${o.signOutHref ? `<a class="button primary" href="${esc(o.signOutHref)}">Sign in as someone else</a>` : ''}</div>`,
  );
}

export function signInFailedPage(message: string): string {
  return page(
    'Sign-in did not complete',
    `<h1>Sign-in did not complete</h1><p>${esc(message)}</p><div class="actions"><a class="button primary" href="/auth/sign-in">Sign in again</a></div>`,
  );
}

export function signedOutPage(signInHref: string | undefined): string {
  return page(
    'Signed out',
    `<h1>You have signed out</h1><p>Your dashboard session has ended in this browser.</p>${signInHref ? `<div class="actions"><a class="button primary" href="${esc(signInHref)}">Sign in again</a></div>` : ''}`,
  );
}

export function proxyRequiredPage(reason: string): string {
  return page('Sign in through your proxy', `<h1>Sign-in happens in front of this dashboard</h1><p>${esc(reason)}</p>`);
}
