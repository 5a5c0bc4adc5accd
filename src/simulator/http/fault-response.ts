import type { Context } from 'hono';
import { apiError, OPERATIONS_BY_ID, mediaType } from '../../atlas/index.ts';
import { faultErrorCode, type Fault } from '../faults.ts';
import { incoming } from './request-target.ts';
import { sendError, sendJson } from './respond.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves when the client's socket closes (it gave up, or the server is closing all connections). */
function socketClosed(c: Context): Promise<void> {
  const socket = incoming(c)?.socket;
  if (!socket || socket.destroyed) return new Promise(() => {});
  return new Promise((resolve) => socket.once('close', () => resolve()));
}

/**
 * Applies an injected fault. Returns a Response to answer with, or undefined to carry on normally (a fault that
 * only adds latency).
 */
export async function applyFault(
  c: Context,
  fault: Fault,
  operationId: string,
  challenge: () => string,
): Promise<Response | undefined> {
  if (fault.latencyMs) await sleep(fault.latencyMs);
  const kind = fault.kind ?? (fault.body !== undefined ? 'body' : fault.status !== undefined ? 'error' : undefined);
  switch (kind) {
    case undefined:
      return undefined;
    case 'reset':
      incoming(c)?.socket.destroy();
      return c.body(null, 500);
    case 'hang':
      await socketClosed(c);
      return c.body(null, 504);
    case 'malformed': {
      const op = OPERATIONS_BY_ID.get(operationId);
      return c.body('{"results":[{"id":"5f1d', 200, {
        'Content-Type': op ? mediaType(op.version) : 'application/json',
      });
    }
    case 'body': {
      // Any JSON, right or wrong for the operation: for tests of how the dashboard meets odd answers.
      const op = OPERATIONS_BY_ID.get(operationId);
      return sendJson(c, fault.status ?? 200, fault.body ?? null, {
        contentType: op ? mediaType(op.version) : 'application/json',
      });
    }
    case 'error':
      return faultError(c, fault, operationId, challenge);
  }
}

function faultError(c: Context, fault: Fault, operationId: string, challenge: () => string): Response {
  const status = fault.status ?? 500;
  const role = OPERATIONS_BY_ID.get(operationId)?.role;
  const detail: Record<number, string> = {
    401: 'You are not authorized for this resource.',
    403: `The currently logged in user does not have the ${role ?? 'required'} role for this resource.`,
    404: `Cannot find resource ${requestPath(c)}.`,
    429: `Resource rate limit exceeded. Please retry after ${fault.retryAfter ?? 60} seconds.`,
    503: 'The service is temporarily unavailable.',
  };
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
  if (status === 401) headers['WWW-Authenticate'] = challenge();
  return sendError(c, apiError(status, faultErrorCode(status), detail[status] ?? 'Unexpected error.'), headers);
}

const requestPath = (c: Context) => new URL(c.req.url).pathname.slice(0, 200);
