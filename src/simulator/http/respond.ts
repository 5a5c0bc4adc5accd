import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiError } from '../../atlas/index.ts';

export interface BodyOptions {
  contentType?: string;
  pretty?: boolean;
  headers?: Record<string, string>;
}

/** Writes JSON with an exact content type (Hono's c.json would force application/json). */
export function sendJson(c: Context, status: number, body: unknown, o: BodyOptions = {}): Response {
  const text = o.pretty ? JSON.stringify(body, null, 2) + '\n' : JSON.stringify(body);
  return c.body(text, status as ContentfulStatusCode, {
    ...o.headers,
    'Content-Type': o.contentType ?? 'application/json',
  });
}

/** Atlas serves errors as plain application/json with the ApiError body, whatever version was asked for. */
export function sendError(c: Context, error: ApiError, headers?: Record<string, string>): Response {
  return sendJson(c, error.error, error, headers ? { headers } : {});
}

/**
 * `envelope=true` wraps a single entity as {status, content} and adds `status` next to a list's `results`.
 * Assumption (CONTRACT.md section 7 leaves it open): the HTTP status stays as it is; errors are not enveloped.
 */
export function envelop(status: number, body: object, isList: boolean): object {
  return isList ? { ...body, status } : { status, content: body };
}
