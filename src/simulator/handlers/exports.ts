import { z } from 'zod';
import { apiError } from '../../atlas/index.ts';
import { pageQuery, paginate } from '../http/paging.ts';
import { isActive } from '../world/lifecycle.ts';
import { clusterJobs, findBucket, findCluster, findJob } from '../world/lookup.ts';
import { clusterKey, type JobRec } from '../world/model.ts';
import { failureFor } from '../world/failures.ts';
import { exportPrefix } from '../world/seed-backups.ts';
import { jobView } from '../world/views.ts';
import { entity, fail, list, param, type Handler, type HandlerCtx } from './types.ts';

const objectId = z.string().regex(/^([a-f0-9]{24})$/, 'must be a 24-hexadecimal string');
/** DiskBackupExportJobRequest: both ids required; `customData` optional; unknown fields ignored as Atlas does. */
const requestSchema = z.object({
  snapshotId: objectId,
  exportBucketId: objectId,
  customData: z
    .array(z.object({ key: z.string().max(255).optional(), value: z.string().max(255).optional() }))
    .max(50)
    .optional(),
});

const cluster = (ctx: HandlerCtx) => findCluster(ctx.world, param(ctx, 'groupId'), param(ctx, 'clusterName'));

export const exportHandlers: Record<string, Handler> = {
  // Assumption: newest first by createdAt. Atlas does not document the order of this list.
  listGroupClusterBackupExports(ctx) {
    const c = cluster(ctx);
    if (!c.ok) return fail(c.error);
    return list(
      paginate(clusterJobs(ctx.world, c.value), pageQuery(ctx.query), ctx.selfUrl, (j) =>
        jobView(j, ctx.now, ctx.base),
      ),
    );
  },
  getGroupClusterBackupExport(ctx) {
    const c = cluster(ctx);
    if (!c.ok) return fail(c.error);
    const j = findJob(ctx.world, c.value, param(ctx, 'exportId'));
    return j.ok ? entity(jobView(j.value, ctx.now, ctx.base)) : fail(j.error);
  },
  createGroupClusterBackupExport: createExport,
};

async function createExport(ctx: HandlerCtx) {
  const c = cluster(ctx);
  if (!c.ok) return fail(c.error);
  let raw: unknown;
  try {
    raw = JSON.parse(await ctx.readBody());
  } catch {
    return fail(apiError(400, 'INVALID_JSON', 'The request body is not valid JSON.'));
  }
  const parsed = requestSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'body', description: i.message }));
    return fail(
      apiError(400, 'VALIDATION_ERROR', `Invalid request body: ${fields.map((f) => f.field).join(', ')}.`, {
        badRequestDetail: { fields },
      }),
    );
  }
  const { snapshotId, exportBucketId, customData } = parsed.data;
  const snapshot = ctx.world.snapshotsByCluster
    .get(clusterKey(c.value.groupId, c.value.name))
    ?.find((s) => s.id === snapshotId);
  if (!snapshot) {
    return fail(
      apiError(404, 'SNAPSHOT_NOT_FOUND', `No snapshot with ID ${snapshotId} exists for cluster ${c.value.name}.`, {
        parameters: [snapshotId],
      }),
    );
  }
  const bucket = findBucket(ctx.world, c.value.groupId, exportBucketId);
  if (!bucket.ok) return fail(bucket.error);
  // Atlas exports only completed snapshots, and never a fallback snapshot (taken when a scheduled one failed).
  if (snapshot.snapshotType === 'fallback') {
    return fail(
      apiError(
        400,
        'CANNOT_EXPORT_FALLBACK_SNAPSHOT',
        `Snapshot ${snapshotId} is a fallback snapshot and cannot be exported.`,
        {
          parameters: [snapshotId],
        },
      ),
    );
  }
  if (snapshot.status !== undefined) {
    return fail(
      apiError(
        400,
        'SNAPSHOT_NOT_COMPLETED',
        `Snapshot ${snapshotId} is ${snapshot.status}; only a completed snapshot can be exported.`,
        { parameters: [snapshotId] },
      ),
    );
  }
  const jobs = clusterJobs(ctx.world, c.value);
  if (jobs.some((j) => j.snapshotId === snapshotId && isActive(j, ctx.now))) {
    return fail(
      apiError(
        409,
        'EXPORT_ALREADY_IN_PROGRESS',
        `An export of snapshot ${snapshotId} is already queued or in progress.`,
        { parameters: [snapshotId] },
      ),
    );
  }
  const org = ctx.world.projects.find((p) => p.id === c.value.groupId)?.orgId ?? '';
  const total = ctx.rng.int(10, 60);
  // Most exports succeed; about one in six fails part way, with a reason in Atlas's style.
  const failed = ctx.rng.chance(1 / 6);
  const job: JobRec = {
    id: ctx.rng.objectId(ctx.now),
    groupId: c.value.groupId,
    clusterName: c.value.name,
    snapshotId,
    exportBucketId,
    createdAt: ctx.now,
    queueMs: 15_000,
    runMs: total * 3_000,
    totalCollections: total,
    outcome: failed ? 'Failed' : 'Successful',
    stopFraction: failed ? 0.5 : 1,
    ...(failed ? { failure: failureFor(bucket.value, ctx.rng.int(0, 9)) } : {}),
    customData: (customData ?? []).map((d) => ({ ...d })),
    ...(c.value.sharded
      ? { components: c.value.replicaSets.map((rs) => ({ exportId: ctx.rng.objectId(ctx.now), replicaSetName: rs })) }
      : {}),
    prefix: exportPrefix(org, c.value, snapshot.createdAt, ctx.now),
  };
  // Newest first: a new job goes to the front.
  ctx.world.jobsByCluster.set(clusterKey(c.value.groupId, c.value.name), [job, ...jobs]);
  return entity(jobView(job, ctx.now, ctx.base));
}
