import type { Context } from 'hono';
import { API_PREFIX, apiError, matchOperation, parseQuery, type OperationSpec } from '../../atlas/index.ts';
import type { HandlerCtx, Handler } from '../handlers/types.ts';
import type { SimState } from '../state.ts';
import { requestTarget, splitTarget } from './request-target.ts';
import { accessDenied } from '../world/lookup.ts';
import { envelop, sendError, sendJson } from './respond.ts';
import { negotiate } from './versioning.ts';

/**
 * One Atlas API request. Checks run in this order: authentication (401), route (404/405/400), version (406),
 * rate limit (429), query parameters (400), then the resource itself. Atlas does not document its order; this one
 * never reveals whether a resource exists to an unauthenticated caller.
 */
export async function handleAtlas(c: Context, sim: SimState, handlers: Record<string, Handler>): Promise<Response> {
  const target = requestTarget(c);
  const identity = authenticate(c, sim, target);
  if (typeof identity !== 'string') return identity;
  const { path, search } = splitTarget(target);
  const route = matchOperation(c.req.method, path);
  if (!route.ok) return sendError(c, route.error, route.allowed ? { Allow: route.allowed.join(', ') } : undefined);
  const version = negotiate(c.req.header('accept'), [route.op.version]);
  if (!version.ok) return sendError(c, version.error);
  const rate = sim.rateLimiter.take(route.op.rateLimit, scopeKey(route.op, route.params, identity));
  if (rate && !rate.ok) {
    const error = apiError(
      429,
      'RATE_LIMITED',
      `Resource rate limit exceeded. Please retry after ${rate.retryAfterSec} seconds.`,
    );
    return sendError(c, error, {
      'Retry-After': String(rate.retryAfterSec),
      'RateLimit-Limit': String(rate.limit),
      'RateLimit-Remaining': '0',
    });
  }
  const query = parseQuery(route.op, new URLSearchParams(search));
  if (!query.ok) return sendError(c, query.error);
  const denied = accessDenied(sim.world, route.op, route.params.groupId);
  if (denied) return sendError(c, denied);
  const handler = handlers[route.op.operationId];
  if (!handler) return sendError(c, apiError(500, 'UNEXPECTED_ERROR', 'No handler for this operation.'));
  const origin = new URL(c.req.url).origin;
  const now = sim.advanceWorld();
  const ctx: HandlerCtx = {
    world: sim.world,
    params: route.params,
    query: query.values,
    now,
    base: origin + API_PREFIX,
    selfUrl: origin + path,
    rng: sim.createRng,
    readBody: () => c.req.text(),
  };
  const result = await handler(ctx);
  if (!result.ok) return sendError(c, result.error);
  const body = query.values.envelope === true ? envelop(200, result.body, result.list) : result.body;
  const headers: Record<string, string> = rate
    ? { 'RateLimit-Limit': String(rate.limit), 'RateLimit-Remaining': String(rate.remaining) }
    : {};
  return sendJson(c, 200, body, { contentType: version.contentType, pretty: query.values.pretty === true, headers });
}

function authenticate(c: Context, sim: SimState, target: string): string | Response {
  const header = c.req.header('authorization') ?? '';
  let stale = false;
  if (/^Bearer\s/i.test(header)) {
    const who = sim.oauth.verifyBearer(header.slice(7).trim());
    if (who) return who;
  } else if (/^Digest\s/i.test(header)) {
    const result = sim.digest.verify(header, c.req.method, target);
    if (result.ok) return result.identity;
    stale = result.stale;
  }
  const error = apiError(
    401,
    'UNAUTHORIZED',
    header ? 'You are not authorized for this resource.' : 'This resource requires authentication.',
  );
  return sendError(c, error, { 'WWW-Authenticate': sim.digest.challenge(stale) });
}

function scopeKey(op: OperationSpec, params: { groupId?: string; orgId?: string }, identity: string): string {
  if (op.rateLimit.scope === 'GROUP') return params.groupId ?? identity;
  if (op.rateLimit.scope === 'ORGANIZATION') return params.orgId ?? identity;
  return identity;
}
