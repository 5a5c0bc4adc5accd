import { Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { faultSchema } from './faults.ts';
import { fleetSummary } from './fleet-summary.ts';
import type { SimState } from './state.ts';
import { clusterJobs } from './world/lookup.ts';
import { jobAt } from './world/lifecycle.ts';
import { worldCounts } from './world/seed.ts';
import { addCluster, addSnapshot, removeCluster, setAccess, startJob } from './world/edit.ts';

const objectId = z.string().regex(/^[a-f0-9]{24}$/);
const clusterName = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9-]{0,63}$/);
const newClusterSchema = z.object({
  groupId: objectId,
  name: clusterName,
  backupEnabled: z.boolean().optional(),
  autoExport: z.enum(['monthly', 'yearly']).optional(),
});
const newJobSchema = z.object({
  groupId: objectId,
  clusterName,
  outcome: z.enum(['Successful', 'Failed']),
  queueSec: z.number().int().min(0).max(86_400).optional(),
  runSec: z.number().int().min(90).max(86_400).optional(),
});

const newSnapshotSchema = z.object({
  groupId: objectId,
  clusterName,
  status: z.enum(['queued', 'inProgress', 'completed', 'failed']).optional(),
  snapshotType: z.enum(['scheduled', 'onDemand', 'fallback']).optional(),
});
const accessSchema = z.object({ groupId: objectId, access: z.enum(['all', 'none', 'readOnly', 'noExport']) });

const clockSchema = z.object({
  advanceMs: z
    .number()
    .finite()
    .min(0)
    .max(10 * 365 * 86_400_000),
});

/**
 * A web page the operator happens to open must not drive the simulator (inject faults into a demo, reset it):
 * cross-site and same-site fetches are refused by their fetch metadata or Origin, and a write must be JSON,
 * which a page can only send cross-origin after a CORS preflight that the simulator never grants.
 */
const guard: MiddlewareHandler = async (c, next) => {
  // DNS rebinding: a page on evil.example that resolves to 127.0.0.1 is same-origin with itself, so fetch
  // metadata and Origin look clean; only the Host header tells. Loopback names only, as the dashboard does.
  if (!loopbackHost(c.req.header('host'))) {
    return c.json({ error: 'the control endpoints only answer a loopback Host (localhost, 127.0.0.1, [::1])' }, 421);
  }
  const site = c.req.header('sec-fetch-site');
  const origin = c.req.header('origin');
  if (site === 'cross-site' || site === 'same-site' || (origin !== undefined && origin !== new URL(c.req.url).origin)) {
    return c.json({ error: 'the control endpoints only answer same-origin requests and local tools' }, 403);
  }
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (c.req.method === 'POST' && type !== 'application/json') {
    return c.json({ error: 'control requests must be Content-Type: application/json' }, 415);
  }
  return next();
};

/** `localhost`, `127.x.x.x` or `[::1]`, with any port. */
export function loopbackHost(hostHeader: string | undefined): boolean {
  const m = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i.exec(hostHeader ?? '');
  return m !== null;
}

/** `/__sim/*`: the loopback control surface for tests and demos. Not Atlas; no auth; not counted in stats. */
export function controlRoutes(sim: SimState): Hono {
  const app = new Hono();
  app.use('*', guard);
  app.get('/stats', (c) =>
    c.json({
      ...sim.stats.snapshot(sim.oauth.tokensIssued()),
      tokensRevoked: sim.oauth.tokensRevoked(),
      activeTokens: sim.oauth.activeTokens(),
    }),
  );
  app.post('/faults', async (c) => {
    const parsed = faultSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: 'invalid fault', issues: parsed.error.issues }, 400);
    sim.faults.add(parsed.data);
    return c.json({ faults: sim.faults.list() });
  });
  app.get('/faults', (c) => c.json({ faults: sim.faults.list() }));
  app.delete('/faults', (c) => {
    sim.faults.clear();
    return c.json({ faults: [] });
  });
  app.post('/reset', (c) => {
    sim.reset();
    return c.json({ ok: true, now: sim.clock.nowIso() });
  });
  app.get('/clock', (c) => c.json({ now: sim.clock.nowIso(), speed: sim.clock.speed }));
  app.post('/clock', async (c) => {
    const parsed = clockSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: 'expected {advanceMs: number >= 0}' }, 400);
    sim.clock.advance(parsed.data.advanceMs);
    return c.json({ now: sim.clock.nowIso(), speed: sim.clock.speed });
  });
  app.get('/world', (c) => c.json(worldSummary(sim)));
  // World edits for tests: a cluster created or deleted, an export job started now with a chosen outcome.
  app.post('/clusters', async (c) => {
    const parsed = newClusterSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: 'expected {groupId, name, backupEnabled?, autoExport?}' }, 400);
    const now = sim.advanceWorld();
    const r = addCluster(sim.world, sim.createRng, now, parsed.data);
    return r.ok
      ? c.json({ groupId: r.value.groupId, name: r.value.name })
      : c.json(r.error, r.error.error === 409 ? 409 : 404);
  });
  app.delete('/clusters/:groupId/:name', (c) => {
    const r = removeCluster(sim.world, c.req.param('groupId'), c.req.param('name'));
    return r.ok ? c.json({ deleted: r.value.name }) : c.json(r.error, 404);
  });
  app.post('/jobs', async (c) => {
    const parsed = newJobSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: 'expected {groupId, clusterName, outcome, queueSec?, runSec?}' }, 400);
    const now = sim.advanceWorld();
    const r = startJob(sim.world, sim.createRng, now, parsed.data);
    return r.ok ? c.json({ id: r.value.id, snapshotId: r.value.snapshotId }) : c.json(r.error, 404);
  });
  // A snapshot taken now, in a chosen state or of a chosen type (a fallback snapshot, one still in progress).
  app.post('/snapshots', async (c) => {
    const parsed = newSnapshotSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: 'expected {groupId, clusterName, status?, snapshotType?}' }, 400);
    const now = sim.advanceWorld();
    const r = addSnapshot(sim.world, sim.createRng, now, parsed.data);
    return r.ok ? c.json({ id: r.value.id }) : c.json(r.error, 404);
  });
  // What the simulated credentials may do in a project (`noExport`: every read, but no Backup Export Operator).
  app.post('/access', async (c) => {
    const parsed = accessSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: 'expected {groupId, access: all|none|readOnly|noExport}' }, 400);
    const r = setAccess(sim.world, parsed.data.groupId, parsed.data.access);
    return r.ok ? c.json({ groupId: parsed.data.groupId, access: parsed.data.access }) : c.json(r.error, 404);
  });
  return app;
}

export function worldSummary(sim: SimState) {
  const now = sim.advanceWorld();
  const { world } = sim;
  const states: Record<string, number> = {};
  for (const jobs of world.jobsByCluster.values())
    for (const j of jobs) {
      const s = jobAt(j, now).state;
      states[s] = (states[s] ?? 0) + 1;
    }
  const { bigCluster, shardedCluster, noBackupCluster, noExportsCluster, hugeCluster } = world.landmarks;
  return {
    seed: sim.options.seed,
    now: new Date(now).toISOString(),
    counts: worldCounts(world),
    jobStates: states,
    orgs: world.orgs.map((o) => ({ id: o.id, name: o.name })),
    projects: world.projects.map((p) => ({
      id: p.id,
      name: p.name,
      orgId: p.orgId,
      clusterCount: world.clustersByGroup.get(p.id)?.length ?? 0,
      access: p.access ?? 'full',
    })),
    clusters: fleetSummary(sim, now),
    bigCluster: { groupId: bigCluster.groupId, name: bigCluster.name, jobs: clusterJobs(world, bigCluster).length },
    shardedCluster: {
      groupId: shardedCluster.groupId,
      name: shardedCluster.name,
      jobs: clusterJobs(world, shardedCluster).length,
    },
    noBackupCluster: { groupId: noBackupCluster.groupId, name: noBackupCluster.name },
    noExportsCluster: { groupId: noExportsCluster.groupId, name: noExportsCluster.name },
    // `--world history` only.
    ...(hugeCluster
      ? {
          hugeCluster: {
            groupId: hugeCluster.groupId,
            name: hugeCluster.name,
            jobs: clusterJobs(world, hugeCluster).length,
          },
        }
      : {}),
  };
}
