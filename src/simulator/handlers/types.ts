import type { ApiError, PathParams, QueryValue } from '../../atlas/index.ts';
import type { Rng } from '../world/prng.ts';
import type { World } from '../world/model.ts';

export interface HandlerCtx {
  world: World;
  params: PathParams;
  query: Record<string, QueryValue>;
  /** Simulated time of this request. */
  now: number;
  /** Absolute API root for links, e.g. http://127.0.0.1:8090/api/atlas/v2. */
  base: string;
  /** Absolute URL of this resource without its query, the base of paging links. */
  selfUrl: string;
  /** Draws ids for created jobs; seeded, so a replayed scenario yields the same ids. */
  rng: Rng;
  readBody(): Promise<string>;
}

export type HandlerResult = { ok: true; body: object; list: boolean } | { ok: false; error: ApiError };
export type Handler = (ctx: HandlerCtx) => HandlerResult | Promise<HandlerResult>;

export const entity = (body: object): HandlerResult => ({ ok: true, body, list: false });
export const list = (body: object): HandlerResult => ({ ok: true, body, list: true });
export const fail = (error: ApiError): HandlerResult => ({ ok: false, error });

/** Path params are present whenever the route matched; this narrows them without casts. */
export function param(ctx: HandlerCtx, name: keyof PathParams): string {
  const v = ctx.params[name];
  if (v === undefined) throw new Error(`route without ${name}`);
  return v;
}
