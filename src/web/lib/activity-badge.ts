/**
 * The tab's title and favicon carry the count of active and failed jobs in view ("(2 active, 1 failed) …"), so
 * a dashboard in a background tab still says how things stand. The favicon is drawn on a canvas; the CSP allows
 * `data:` images (server/security.ts).
 */

export interface Activity {
  active: number;
  failed: number;
}

let baseTitle = typeof document === 'undefined' ? '' : document.title;
let activity: Activity = { active: 0, failed: 0 };
let defaultIcon: string | undefined;

export function activityPrefix({ active, failed }: Activity): string {
  const parts = [active > 0 ? `${active} active` : '', failed > 0 ? `${failed} failed` : ''].filter(Boolean);
  return parts.length ? `(${parts.join(', ')}) ` : '';
}

function iconLink(): HTMLLinkElement | null {
  return document.querySelector<HTMLLinkElement>('link[rel="icon"]');
}

function drawIcon({ active, failed }: Activity): string | undefined {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 32;
  const ctx = canvas.getContext('2d');
  if (!ctx) return undefined;
  const count = failed > 0 ? failed : active;
  ctx.fillStyle = failed > 0 ? '#b91c1c' : '#1d4ed8';
  ctx.beginPath();
  ctx.arc(16, 16, 16, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = '#fff';
  ctx.font = `bold ${count > 99 ? 13 : 18}px sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(count > 999 ? '999+' : String(count), 16, 17);
  return canvas.toDataURL('image/png');
}

/** Drawn icons by count: typing in the search box moves the counts back and forth over the same few values. */
const icons = new Map<string, string | undefined>();

function iconFor(a: Activity): string | undefined {
  const key = `${a.active}/${a.failed}`;
  if (!icons.has(key)) {
    if (icons.size >= 64) icons.clear();
    icons.set(key, drawIcon(a));
  }
  return icons.get(key);
}

/** A count change waits this long, so typing in the search box redraws the tab once, after the rows, not per key. */
const SETTLE_MS = 150;
let pending: ReturnType<typeof setTimeout> | undefined;

function render(): void {
  clearTimeout(pending);
  pending = undefined;
  document.title = activityPrefix(activity) + baseTitle;
  const link = iconLink();
  if (!link) return;
  defaultIcon ??= link.href;
  const quiet = activity.active === 0 && activity.failed === 0;
  const href = (quiet ? undefined : iconFor(activity)) ?? defaultIcon;
  if (link.href !== href) link.href = href;
  link.type = quiet ? 'image/svg+xml' : 'image/png';
}

export function setBaseTitle(title: string): void {
  baseTitle = title;
  render();
}

export function setActivity(next: Activity): void {
  if (next.active === activity.active && next.failed === activity.failed) return;
  activity = next;
  // Setting the title and the favicon costs Chrome several ms: off the path from a keystroke to its rows.
  pending ??= setTimeout(render, SETTLE_MS);
}
