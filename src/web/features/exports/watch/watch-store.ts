import * as z from 'zod/mini';
import { createPreference, usePreference } from '../../../lib/preference.ts';

/**
 * What the user asked to be told about: one job ending, or any job of a cluster ending (or failing). Kept for
 * the life of the tab (sessionStorage): a reload keeps a watch, a second tab does not notify twice.
 */
const jobWatch = z.object({
  kind: z.literal('job'),
  groupId: z.string(),
  clusterName: z.string(),
  exportId: z.string(),
});
const clusterWatch = z.object({
  kind: z.literal('cluster'),
  groupId: z.string(),
  clusterName: z.string(),
  on: z.enum(['end', 'fail']),
});
const watchSchema = z.discriminatedUnion('kind', [jobWatch, clusterWatch]);
export type Watch = z.infer<typeof watchSchema>;
export type JobWatch = z.infer<typeof jobWatch>;
export type ClusterWatch = z.infer<typeof clusterWatch>;

export const watchesPreference = createPreference<Watch[]>(
  'atlas-dashboard.watches',
  z.array(watchSchema),
  [],
  'sessionStorage',
);

export function useWatches(): Watch[] {
  return usePreference(watchesPreference);
}

export function watchKey(w: Watch): string {
  return w.kind === 'job' ? `job/${w.groupId}/${w.clusterName}/${w.exportId}` : `cluster/${w.groupId}/${w.clusterName}`;
}

/** Adds `w`, replacing any watch with the same key (a cluster has one watch: "ends" or "fails"). */
export function addWatch(w: Watch): void {
  const others = watchesPreference.get().filter((x) => watchKey(x) !== watchKey(w));
  watchesPreference.set([...others, w]);
}

export function removeWatch(key: string): void {
  watchesPreference.set(watchesPreference.get().filter((x) => watchKey(x) !== key));
}

export type NotifyPermission = NotificationPermission | 'unsupported';

export function notificationPermission(): NotifyPermission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Asks for permission only from a click (browsers ignore, and users resent, a prompt on page load). */
export async function askToNotify(): Promise<NotifyPermission> {
  if (typeof Notification === 'undefined') return 'unsupported';
  if (Notification.permission !== 'default') return Notification.permission;
  return Notification.requestPermission();
}

export function notify(title: string, body: string, tag: string): void {
  if (notificationPermission() !== 'granted') return;
  // The tag replaces an older notification about the same job instead of stacking them.
  new Notification(title, { body, tag });
}
