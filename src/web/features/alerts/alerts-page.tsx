import { queryOptions, useMutation, useQuery } from '@tanstack/react-query';
import { getJson } from '../../lib/api-client.ts';
import { useCan, useSession } from '../session/session.ts';

/** `GET /api/alerts`: channels (secrets masked by the server), routes, recent events with delivery status. */
interface Delivery {
  status: 'pending' | 'sent' | 'retrying' | 'failed';
  attempts: number;
  at: number;
  nextAt?: number;
  reason?: string;
}
interface AlertsBody {
  file: string;
  groupWindowMs: number;
  channels: { name: string; type: string; settings: Record<string, unknown> }[];
  routes: { kinds: string[]; org: string; project: string; cluster: string; channels: string[] }[];
  events: {
    event: {
      id: string;
      kind: string;
      summary: string;
      at: number;
      clusterName: string;
      projectName: string;
      link: string;
    };
    deliveries: Record<string, Delivery>;
  }[];
}

const alertsQuery = queryOptions({
  queryKey: ['alerts'] as const,
  queryFn: ({ signal }) => getJson<AlertsBody>('/api/alerts', 'application/json', signal),
  refetchInterval: 5_000,
});

/** The event's link points at the configured dashboard URL; on this page, the same path in this dashboard. */
function inApp(link: string): string {
  try {
    return new URL(link).pathname;
  } catch {
    return '/';
  }
}

const time = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';

function setting(v: unknown): string {
  if (v && typeof v === 'object' && 'env' in v) return `$${String((v as { env: string }).env)} (••••)`;
  return Array.isArray(v) ? v.join(', ') : String(v);
}

const STATUS_STYLE: Record<Delivery['status'], string> = {
  sent: 'text-emerald-700',
  pending: 'text-slate-600',
  retrying: 'text-amber-700',
  failed: 'text-red-700',
};

export function AlertsPage() {
  const q = useQuery(alertsQuery);
  if (q.error)
    return (
      <main id="main" className="p-4">
        <h1 className="text-lg font-semibold">Alerts</h1>
        <p role="alert" className="mt-2 text-sm text-slate-700">
          {q.error.message}
        </p>
      </main>
    );
  if (!q.data)
    return (
      <main id="main" className="p-4 text-sm text-slate-600">
        Loading alerts…
      </main>
    );
  const d = q.data;
  return (
    <main id="main" className="space-y-6 p-4 text-sm tabular-nums">
      <h1 className="text-lg font-semibold">Alerts</h1>
      <section aria-labelledby="channels-h">
        <h2 id="channels-h" className="mb-2 font-semibold">
          Channels <span className="font-normal text-slate-500">from {d.file}</span>
        </h2>
        <table className="w-full border-collapse bg-white" data-testid="alert-channels">
          <thead>
            <tr className="border-b text-left text-slate-600">
              <th className="px-2 py-1">Name</th>
              <th className="px-2 py-1">Type</th>
              <th className="px-2 py-1">Settings</th>
              <th className="px-2 py-1">Test</th>
            </tr>
          </thead>
          <tbody>
            {d.channels.map((c) => (
              <tr key={c.name} className="border-b align-top" data-channel={c.name}>
                <td className="px-2 py-1 font-medium">{c.name}</td>
                <td className="px-2 py-1">{c.type}</td>
                <td className="px-2 py-1 font-mono text-xs">
                  {Object.entries(c.settings)
                    .filter(([k]) => k !== 'type')
                    .map(([k, v]) => `${k}: ${setting(v)}`)
                    .join(' · ')}
                </td>
                <td className="px-2 py-1">
                  <TestButton channel={c.name} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="routes-h">
        <h2 id="routes-h" className="mb-2 font-semibold">
          Routes{' '}
          <span className="font-normal text-slate-500">
            (events within {d.groupWindowMs / 1000} s go out as one message)
          </span>
        </h2>
        <table className="w-full border-collapse bg-white">
          <thead>
            <tr className="border-b text-left text-slate-600">
              <th className="px-2 py-1">Events</th>
              <th className="px-2 py-1">Organization</th>
              <th className="px-2 py-1">Project</th>
              <th className="px-2 py-1">Cluster</th>
              <th className="px-2 py-1">Channels</th>
            </tr>
          </thead>
          <tbody>
            {d.routes.map((r, i) => (
              <tr key={i} className="border-b">
                <td className="px-2 py-1">{r.kinds.join(', ')}</td>
                <td className="px-2 py-1 font-mono text-xs">{r.org}</td>
                <td className="px-2 py-1 font-mono text-xs">{r.project}</td>
                <td className="px-2 py-1 font-mono text-xs">{r.cluster}</td>
                <td className="px-2 py-1">{r.channels.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="events-h">
        <h2 id="events-h" className="mb-2 font-semibold">
          Recent events
        </h2>
        {d.events.length === 0 ? (
          <p className="text-slate-600">No events yet: the watch has seen nothing new fail, stall or fall overdue.</p>
        ) : (
          <table className="w-full border-collapse bg-white" data-testid="alert-events">
            <thead>
              <tr className="border-b text-left text-slate-600">
                <th className="px-2 py-1">Time</th>
                <th className="px-2 py-1">Event</th>
                <th className="px-2 py-1">Delivery</th>
              </tr>
            </thead>
            <tbody>
              {d.events.map(({ event: e, deliveries }) => (
                <tr key={e.id} className="border-b align-top" data-event={e.id}>
                  <td className="px-2 py-1 whitespace-nowrap">{time(e.at)}</td>
                  <td className="px-2 py-1">
                    <span className="mr-1.5 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium">{e.kind}</span>
                    <a href={inApp(e.link)} className="text-blue-700 hover:underline">
                      {e.summary}
                    </a>
                  </td>
                  <td className="px-2 py-1">
                    <ul>
                      {Object.entries(deliveries).map(([ch, s]) => (
                        <li key={ch} data-delivery={ch} className={STATUS_STYLE[s.status]}>
                          {ch}: {s.status}
                          {s.reason ? ` (${s.reason})` : ''}
                          {s.status === 'retrying' && s.nextAt ? `, next try ${time(s.nextAt)}` : ''}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </main>
  );
}

/** Operators only (the server enforces it); sends the session's CSRF token. */
function TestButton({ channel }: { channel: string }) {
  const canAct = useCan('act');
  const session = useSession();
  const m = useMutation({
    mutationFn: async () => {
      const r = await fetch(`/api/alerts/channels/${encodeURIComponent(channel)}/test`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'X-CSRF-Token': session?.csrfToken ?? '' },
      });
      const body = (await r.json().catch(() => ({}))) as { ok?: boolean; reason?: string; detail?: string };
      if (!r.ok) throw new Error(body.detail ?? `HTTP ${r.status}`);
      if (!body.ok) throw new Error(body.reason ?? 'the channel refused the message');
      return body;
    },
  });
  if (!canAct) return <span className="text-slate-500">operators only</span>;
  return (
    <span className="flex items-center gap-2">
      <button
        type="button"
        onClick={() => m.mutate()}
        disabled={m.isPending}
        className="rounded border border-slate-300 bg-white px-2 py-0.5 hover:bg-slate-50 focus:ring-2 focus:ring-blue-600 focus:outline-none"
      >
        Send test
      </button>
      <span role="status" data-testid="test-result">
        {m.isPending ? 'sending…' : m.isSuccess ? 'sent' : m.error ? `failed: ${m.error.message}` : ''}
      </span>
    </span>
  );
}
