import { queryOptions } from '@tanstack/react-query';
import { getJson } from './api-client.ts';

/** `/api/info`: which Atlas we talk to and whether the data is simulated. Never holds a secret. */
export interface ServerInfo {
  mode: 'demo' | 'atlas';
  authKind?: string;
  atlasHost?: string;
  version?: string;
  /** Write mode (DASHBOARD_WRITE=on): operators may start export jobs. */
  write: boolean;
  /** Alerts configured (ALERTS_CONFIG): the Alerts page has channels to show. */
  alerts: boolean;
}

function parseServerInfo(value: unknown): ServerInfo {
  if (typeof value !== 'object' || value === null) return { mode: 'atlas', write: false, alerts: false };
  const v = value as Record<string, unknown>;
  const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
  return {
    mode: v.mode === 'demo' ? 'demo' : 'atlas',
    authKind: str(v.authKind),
    atlasHost: str(v.atlasHost),
    version: str(v.version),
    write: v.write === true,
    alerts: v.alerts === true,
  };
}

export const serverInfoQueryOptions = queryOptions({
  queryKey: ['serverInfo'] as const,
  queryFn: async ({ signal }) => parseServerInfo(await getJson<unknown>('/api/info', 'application/json', signal)),
  staleTime: Infinity,
});
