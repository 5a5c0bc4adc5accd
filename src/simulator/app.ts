import { Hono } from 'hono';
import { apiError, matchOperation, API_PREFIX } from '../atlas/index.ts';
import { controlRoutes, worldSummary } from './control.ts';
import { backupHandlers } from './handlers/backups.ts';
import { exportHandlers } from './handlers/exports.ts';
import { projectHandlers } from './handlers/projects.ts';
import type { Handler } from './handlers/types.ts';
import { handleAtlas } from './http/atlas-route.ts';
import { applyFault } from './http/fault-response.ts';
import { requestTarget, splitTarget } from './http/request-target.ts';
import { sendError } from './http/respond.ts';
import { resolveOptions, type SimulatorOptions } from './options.ts';
import { createState, type SimState } from './state.ts';

export type { SimulatorOptions } from './options.ts';

const HANDLERS: Record<string, Handler> = { ...projectHandlers, ...backupHandlers, ...exportHandlers };

export interface Simulator {
  app: Hono;
  reset(): void;
  clock: SimState['clock'];
  stats: SimState['stats'];
  /** Live state (world, faults, options) for in-process callers such as the demo server. */
  state: SimState;
  summary(): ReturnType<typeof worldSummary>;
}

const GROUP_PATH = /^\/api\/atlas\/v2\/groups\/([a-f0-9]{24})(?:\/|$)/;

/** The operationId a request counts under in /__sim/stats, and that faults match on. */
function operationIdOf(method: string, path: string): string {
  if (path === '/api/oauth/token') return 'oauthToken';
  if (path === '/api/oauth/revoke') return 'oauthRevoke';
  const m = matchOperation(method, path);
  return m.ok ? m.op.operationId : 'unknown';
}

export function createSimulator(options?: SimulatorOptions): Simulator {
  const state = createState(resolveOptions(options));
  const app = new Hono();
  app.route('/__sim', controlRoutes(state));
  // Every non-control request counts, then meets any injected fault before auth.
  app.use('*', async (c, next) => {
    const target = requestTarget(c);
    const { path } = splitTarget(target);
    if (path === '/__sim' || path.startsWith('/__sim/')) return next();
    const operationId = operationIdOf(c.req.method, path);
    state.stats.count(operationId, GROUP_PATH.exec(path)?.[1]);
    const end = state.stats.begin();
    try {
      const fault = state.faults.take(operationId, target);
      if (fault) {
        const res = await applyFault(c, fault, operationId, () => state.digest.challenge(false));
        if (res) return res;
      }
      return await next();
    } finally {
      end();
    }
  });
  app.post('/api/oauth/token', (c) => state.oauth.token(c));
  app.post('/api/oauth/revoke', (c) => state.oauth.revoke(c));
  app.all(`${API_PREFIX}/*`, (c) => handleAtlas(c, state, HANDLERS));
  app.notFound((c) =>
    sendError(c, apiError(404, 'RESOURCE_NOT_FOUND', `Cannot find resource ${c.req.path.slice(0, 200)}.`)),
  );
  app.onError((err, c) => {
    // Report, do not crash: a simulator bug must look like Atlas's 500, and stay visible in the log.
    process.stderr.write(`simulator error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return sendError(c, apiError(500, 'UNEXPECTED_ERROR', 'Unexpected error.'));
  });
  return {
    app,
    reset: () => state.reset(),
    clock: state.clock,
    stats: state.stats,
    state,
    summary: () => worldSummary(state),
  };
}
