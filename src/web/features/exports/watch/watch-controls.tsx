import { useId, useState } from 'react';
import { addWatch, askToNotify, removeWatch, useWatches, watchKey, type NotifyPermission } from './watch-store.ts';

const control =
  'rounded border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none';

function PermissionNote({ permission }: { permission: NotifyPermission | undefined }) {
  const text =
    permission === 'denied'
      ? 'Notifications are blocked for this site; the tab title still shows the counts.'
      : permission === 'unsupported'
        ? 'This browser cannot show notifications; the tab title still shows the counts.'
        : '';
  return (
    <span role="status" className="text-xs text-slate-600">
      {text}
    </span>
  );
}

/** "Notify me when it ends" on a running job's page. */
export function WatchJobButton({
  groupId,
  clusterName,
  exportId,
}: {
  groupId: string;
  clusterName: string;
  exportId: string;
}) {
  const watch = { kind: 'job', groupId, clusterName, exportId } as const;
  const key = watchKey(watch);
  const watching = useWatches().some((w) => watchKey(w) === key);
  const [permission, setPermission] = useState<NotifyPermission>();
  const toggle = async () => {
    if (watching) return removeWatch(key);
    const answer = await askToNotify();
    setPermission(answer);
    // Watch anyway: the tab title and favicon report the end even without desktop notifications.
    addWatch(watch);
  };
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <button type="button" className={control} aria-pressed={watching} onClick={() => void toggle()}>
        {watching ? 'Watching: notify when it ends' : 'Notify me when it ends'}
      </button>
      <PermissionNote permission={permission} />
    </span>
  );
}

/** "Notify me when any job ends / fails" for a cluster's table. */
export function WatchClusterSelect({ groupId, clusterName }: { groupId: string; clusterName: string }) {
  const key = watchKey({ kind: 'cluster', groupId, clusterName, on: 'end' });
  const current = useWatches().find((w) => watchKey(w) === key);
  const value = current?.kind === 'cluster' ? current.on : 'off';
  const [permission, setPermission] = useState<NotifyPermission>();
  const id = useId();
  const change = async (next: string) => {
    if (next !== 'end' && next !== 'fail') return removeWatch(key);
    setPermission(await askToNotify());
    addWatch({ kind: 'cluster', groupId, clusterName, on: next });
  };
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5 text-xs text-slate-700">
      <label htmlFor={id}>Notify me</label>
      <select id={id} value={value} onChange={(e) => void change(e.target.value)} className={control}>
        <option value="off">never</option>
        <option value="end">when any job ends</option>
        <option value="fail">when any job fails</option>
      </select>
      <PermissionNote permission={permission} />
    </span>
  );
}
