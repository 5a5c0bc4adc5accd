/**
 * Write mode's one write: `POST /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/exports`
 * (createGroupClusterBackupExport). Registered only with DASHBOARD_WRITE=on, before the read-only proxy route.
 * Every check runs before anything reaches Atlas, in this order: same origin, operator with the session's CSRF
 * token, the path against the operation table, no query, JSON, an idempotency key, the body against the spec.
 * The POST is sent once (never retried: it is not idempotent). Every attempt, allowed or refused, is audited.
 */
import { createHash } from 'node:crypto';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { Env } from '../app.ts';
import { apiError, buildPath, matchOperation, mediaType, type ApiError } from '../../atlas/index.ts';
import type { AuditLog, AuditRecord } from '../audit/audit.ts';
import { identityOf } from '../access/access.ts';
import type { Authenticator } from '../proxy/auth/authenticator.ts';
import { fromError, fromUpstream, type Outcome } from '../proxy/outcome.ts';
import { ERROR_SOURCE, FROM_DASHBOARD } from '../proxy/refusals.ts';
import type { Logger } from '../logger.ts';
import { MAX_BODY_BYTES, parseExportRequest, type ExportRequest } from './body.ts';
import { IdempotencyKeys } from './idempotency.ts';

export const EXPORTS_ROUTE = '/api/atlas/v2/groups/:groupId/clusters/:clusterName/backup/exports';
const KEY_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
const JSON_TYPES = new Set(['application/json', 'application/vnd.atlas.2023-01-01+json']);

export interface WriteDeps {
  auth: Authenticator;
  audit: AuditLog;
  operatorOnly: MiddlewareHandler;
  logger: Logger;
  /** Called after Atlas created a job: cached lists of that cluster must not hide it. */
  created: () => void;
  scrub: (text: string) => string;
  now?: () => number;
}

type Answer = { status: number; body: string; headers: Record<string, string> };

export function registerWrite(app: Hono<Env>, d: WriteDeps): void {
  const keys = new IdempotencyKeys<Answer>(10 * 60_000, 10_000, d.now);

  app.post(EXPORTS_ROUTE, async (c) => {
    c.set('route', EXPORTS_ROUTE.replace(/:(\w+)/g, '{$1}'));
    const raw = rawTarget(c);
    const [path = '', query] = raw.split('?', 2) as [string, string | undefined];
    const request: AuditRecord['request'] = {};
    const m = /^\/api\/atlas\/v2\/groups\/([^/]*)\/clusters\/([^/]*)\//.exec(path);
    if (m) {
      request.groupId = m[1]!.slice(0, 64);
      request.clusterName = m[2]!.slice(0, 64);
    }
    const refuse = async (error: ApiError, headers: Record<string, string> = {}) => {
      await audit(d, c, 'refused', request, {
        status: error.error,
        errorCode: error.errorCode,
        ...(error.detail ? { detail: error.detail } : {}),
        from: 'dashboard',
      });
      return c.json(error, error.error as 400, { ...headers, ...FROM_DASHBOARD, 'cache-control': 'no-store' });
    };

    // 1. Same origin: a browser always sends Origin on a POST; it must be this dashboard's own.
    const site = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    const host = c.req.header('host');
    const originOk = origin === undefined ? site === 'same-origin' : sameHost(origin, host);
    if ((site !== undefined && site !== 'same-origin') || !originOk) {
      return refuse(
        apiError(
          403,
          'CROSS_SITE_REQUEST',
          'Exports can only be started from the dashboard’s own pages (same origin).',
        ),
      );
    }
    // 2. An operator, with the session's CSRF token.
    let passed = false;
    const guard = await d.operatorOnly(c, async () => {
      passed = true;
    });
    if (!passed) {
      const res = guard instanceof Response ? guard : c.res;
      const error = (await res
        .clone()
        .json()
        .catch(() => undefined)) as ApiError | undefined;
      await audit(d, c, 'refused', request, {
        status: res.status,
        from: 'dashboard',
        ...(error?.errorCode ? { errorCode: error.errorCode, ...(error.detail ? { detail: error.detail } : {}) } : {}),
      });
      return res;
    }
    // 3. The path against the operation table (never decoded), and no query at all.
    const match = matchOperation('POST', path);
    if (!match.ok || match.op.operationId !== 'createGroupClusterBackupExport') {
      return refuse(match.ok ? apiError(404, 'RESOURCE_NOT_FOUND', 'No such write.') : match.error);
    }
    if (query !== undefined && query !== '') {
      return refuse(
        apiError(400, 'INVALID_QUERY_PARAMETER', 'Starting an export takes no query parameters.', {
          badRequestDetail: { fields: [{ field: 'query', description: 'must be empty' }] },
        }),
      );
    }
    // 4. JSON only.
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!JSON_TYPES.has(type)) {
      return refuse(
        apiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the export request as Content-Type: application/json.'),
      );
    }
    // 5. A client-generated idempotency key.
    const key = c.req.header('idempotency-key');
    if (key === undefined || !KEY_PATTERN.test(key)) {
      return refuse(
        apiError(
          400,
          'IDEMPOTENCY_KEY_REQUIRED',
          'Send an Idempotency-Key header (16 to 128 letters, digits, - or _), new for each export you mean to start.',
        ),
      );
    }
    request.idempotencyKey = key;
    // 6. The body against the spec.
    const declared = Number(c.req.header('content-length') ?? '0');
    if (declared > MAX_BODY_BYTES) {
      return refuse(apiError(413, 'REQUEST_TOO_LARGE', `The export request may be at most ${MAX_BODY_BYTES} bytes.`));
    }
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.byteLength > MAX_BODY_BYTES) {
      return refuse(apiError(413, 'REQUEST_TOO_LARGE', `The export request may be at most ${MAX_BODY_BYTES} bytes.`));
    }
    const parsed = parseExportRequest(new TextDecoder().decode(bytes));
    if (!parsed.ok) return refuse(parsed.error);
    Object.assign(request, parsed.value);

    // 7. The same key again: the first attempt's answer, nothing sent.
    const who = identityOf(c);
    const slot = `${who?.via ?? ''}:${who?.id ?? ''}\n${key}`;
    const fingerprint = fingerprintOf(path, parsed.value);
    const seen = keys.get(slot);
    if (seen) {
      if (seen.fingerprint !== fingerprint) {
        return refuse(
          apiError(
            422,
            'IDEMPOTENCY_KEY_REUSED',
            'This Idempotency-Key was already used for a different export request: generate a new key.',
          ),
        );
      }
      const answer = await seen.result;
      await audit(d, c, 'replayed', request, summarize(answer));
      return new Response(answer.body, {
        status: answer.status,
        headers: { ...answer.headers, 'idempotent-replayed': 'true' },
      });
    }
    const result = send(d, buildPath(match.op, match.params), match.op.version, parsed.value);
    keys.set(slot, fingerprint, result);
    const answer = await result;
    if (answer.status === 200) d.created();
    await audit(d, c, 'allowed', request, summarize(answer));
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  });
}

async function send(
  d: WriteDeps,
  path: string,
  version: '2023-01-01' | '2024-05-30' | '2024-08-05',
  body: ExportRequest,
): Promise<Answer> {
  let outcome: Outcome;
  try {
    // Exactly one attempt: a retry could start a second export.
    const res = await d.auth.send({
      method: 'POST',
      path,
      headers: { accept: mediaType(version), 'content-type': mediaType(version) },
      body: JSON.stringify(body),
    });
    outcome = fromUpstream(res, { authKind: d.auth.kind, ttlMs: 0, notFoundTtlMs: 0, attempts: 1, scrub: d.scrub });
  } catch (err) {
    outcome = fromError(err, d.auth.kind);
  }
  return {
    status: outcome.status === 499 ? 502 : outcome.status,
    body: outcome.body.toString('utf8'),
    headers: {
      ...outcome.headers,
      ...(outcome.status >= 400 && !outcome.headers[ERROR_SOURCE] ? { [ERROR_SOURCE]: 'atlas' } : {}),
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    },
  };
}

function summarize(a: Answer): AuditRecord['answer'] {
  const from = a.headers[ERROR_SOURCE] === 'dashboard' ? 'dashboard' : 'atlas';
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(a.body) as Record<string, unknown>;
  } catch {
    // not JSON: status only
  }
  if (a.status === 200) {
    return {
      status: 200,
      from,
      ...(typeof body.id === 'string' ? { exportId: body.id } : {}),
      ...(typeof body.state === 'string' ? { state: body.state } : {}),
    };
  }
  return {
    status: a.status,
    from,
    ...(typeof body.errorCode === 'string' ? { errorCode: body.errorCode } : {}),
    ...(typeof body.detail === 'string' ? { detail: body.detail.slice(0, 500) } : {}),
  };
}

async function audit(
  d: WriteDeps,
  c: Context,
  decision: AuditRecord['decision'],
  request: AuditRecord['request'],
  answer: AuditRecord['answer'],
): Promise<void> {
  const who = identityOf(c);
  const address = (c as Context<{ Variables: { clientAddress?: string } }>).get('clientAddress') ?? null;
  await d.audit
    .record({
      action: 'createExport',
      decision,
      who: who ? { id: who.id, name: who.name, role: who.role, via: who.via } : null,
      address,
      request,
      answer,
    })
    .catch(() => undefined);
}

function fingerprintOf(path: string, body: ExportRequest): string {
  return createHash('sha256').update(path).update('\n').update(JSON.stringify(body)).digest('hex');
}

function sameHost(origin: string, host: string | undefined): boolean {
  try {
    const u = new URL(origin);
    return (
      (u.protocol === 'http:' || u.protocol === 'https:') &&
      host !== undefined &&
      u.host.toLowerCase() === host.toLowerCase()
    );
  } catch {
    return false;
  }
}

function rawTarget(c: Context): string {
  const raw = (c.env as { incoming?: { url?: string } } | undefined)?.incoming?.url;
  if (raw !== undefined) return raw;
  const url = new URL(c.req.url);
  return url.pathname + url.search;
}
