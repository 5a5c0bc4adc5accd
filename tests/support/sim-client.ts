/** Helpers for tests that talk to the simulator over real HTTP. */
import { authorizationHeader, parseChallenge } from '../../src/atlas/auth/digest.ts';
import { SIMULATOR_CREDENTIALS } from '../../src/simulator/credentials.ts';

export const ACCEPT = 'application/vnd.atlas.2025-03-12+json';
export const API = '/api/atlas/v2';
const CR = SIMULATOR_CREDENTIALS;

export interface WorldSummary {
  counts: { orgs: number; projects: number; clusters: number; jobs: number; snapshots: number; buckets: number };
  jobStates: Record<string, number>;
  orgs: { id: string; name: string }[];
  projects: { id: string; name: string; orgId: string; clusterCount: number; access: 'full' | 'none' | 'readOnly' }[];
  clusters: SimCluster[];
  bigCluster: { groupId: string; name: string; jobs: number };
  shardedCluster: { groupId: string; name: string; jobs: number };
  noBackupCluster: { groupId: string; name: string };
  noExportsCluster: { groupId: string; name: string };
  /** `world: 'history'` only: the cluster with 20,000 export jobs. */
  hugeCluster?: { groupId: string; name: string; jobs: number };
}

/** What the simulator holds about one cluster (`/__sim/world` `clusters`), read without the dashboard's code. */
export interface SimCluster {
  groupId: string;
  project: string;
  orgId: string;
  name: string;
  access: 'full' | 'none' | 'readOnly';
  backupEnabled: boolean;
  /** The schedule's auto-export cadence, null when auto-export is off. */
  autoExport: 'monthly' | 'yearly' | null;
  jobs: number;
  inProgress: number;
  queued: number;
  lastSuccess?: { id: string; createdAt: string; finishedAt: string };
  failures: { id: string; createdAt: string; finishedAt: string; snapshotId: string; message?: string }[];
}

export async function world(base: string): Promise<WorldSummary> {
  return (await (await fetch(`${base}/__sim/world`)).json()) as WorldSummary;
}

export async function control(
  base: string,
  path: string,
  body?: unknown,
  method = body === undefined ? 'GET' : 'POST',
): Promise<unknown> {
  const res = await fetch(`${base}/__sim/${path}`, {
    method,
    ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new Error(`/__sim/${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Client credentials with the default service account; returns the access token. */
export async function token(base: string, clientId = CR.clientId, clientSecret = CR.clientSecret): Promise<string> {
  const res = await fetch(`${base}/api/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: 'grant_type=client_credentials',
  });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** A fetch bound to one bearer token and the 2025-03-12 Accept header; `path` is under the server root. */
export function bearerClient(base: string, accessToken: string) {
  return (path: string, init: RequestInit = {}) =>
    fetch(`${base}${path}`, {
      ...init,
      headers: { accept: ACCEPT, authorization: `Bearer ${accessToken}`, ...(init.headers as Record<string, string>) },
    });
}

/** HTTP Digest the way curl does it: one unauthenticated request for the challenge, then the signed one. */
export async function digestFetch(
  base: string,
  path: string,
  init: RequestInit & { username?: string; password?: string } = {},
): Promise<Response> {
  const { username = CR.publicKey, password = CR.privateKey, ...rest } = init;
  const headers = { accept: ACCEPT, ...(rest.headers as Record<string, string>) };
  const first = await fetch(`${base}${path}`, { ...rest, headers });
  if (first.status !== 401) return first;
  await first.arrayBuffer();
  const challenge = parseChallenge(first.headers.get('www-authenticate') ?? '');
  const auth = authorizationHeader(challenge, { username, password }, rest.method ?? 'GET', path);
  return fetch(`${base}${path}`, { ...rest, headers: { ...headers, authorization: auth } });
}
