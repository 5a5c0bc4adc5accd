import { apiError } from '../../atlas/index.ts';
import { pageQuery, paginate } from '../http/paging.ts';
import { clusterSnapshots, findBucket, findCluster, findGroup, findSnapshot } from '../world/lookup.ts';
import { scheduleView } from '../world/schedule.ts';
import { bucketView, replicaSetSnapshotView, shardedSnapshotView } from '../world/views.ts';
import { entity, fail, list, param, type Handler, type HandlerCtx } from './types.ts';

const cluster = (ctx: HandlerCtx) => findCluster(ctx.world, param(ctx, 'groupId'), param(ctx, 'clusterName'));

export const backupHandlers: Record<string, Handler> = {
  listGroupBackupExportBuckets(ctx) {
    const g = findGroup(ctx.world, param(ctx, 'groupId'));
    if (!g.ok) return fail(g.error);
    const buckets = ctx.world.bucketsByGroup.get(g.value.id) ?? [];
    return list(paginate(buckets, pageQuery(ctx.query), ctx.selfUrl, (b) => bucketView(b, ctx.base)));
  },
  getGroupBackupExportBucket(ctx) {
    const g = findGroup(ctx.world, param(ctx, 'groupId'));
    if (!g.ok) return fail(g.error);
    const b = findBucket(ctx.world, g.value.id, param(ctx, 'exportBucketId'));
    return b.ok ? entity(bucketView(b.value, ctx.base)) : fail(b.error);
  },
  // Assumption: a cluster with backup off has no schedule; Atlas's errorCode for it is not in the spec.
  getGroupClusterBackupSchedule(ctx) {
    const c = cluster(ctx);
    if (!c.ok) return fail(c.error);
    if (!c.value.backupEnabled)
      return fail(
        apiError(404, 'BACKUP_CONFIG_NOT_FOUND', `Cloud Backup is not enabled for cluster ${c.value.name}.`, {
          parameters: [c.value.name],
        }),
      );
    const buckets = ctx.world.bucketsByGroup.get(c.value.groupId) ?? [];
    return entity(scheduleView(c.value, buckets, ctx.now, ctx.base));
  },
  // A sharded cluster has no replica-set snapshots and vice versa: the list is empty, not an error (assumption).
  listGroupClusterBackupSnapshots(ctx) {
    const c = cluster(ctx);
    if (!c.ok) return fail(c.error);
    const snaps = clusterSnapshots(ctx.world, c.value).filter((s) => s.members === undefined);
    return list(paginate(snaps, pageQuery(ctx.query), ctx.selfUrl, (s) => replicaSetSnapshotView(s, ctx.base)));
  },
  getGroupClusterBackupSnapshot(ctx) {
    const c = cluster(ctx);
    if (!c.ok) return fail(c.error);
    const s = findSnapshot(ctx.world, c.value, param(ctx, 'snapshotId'), false);
    return s.ok ? entity(replicaSetSnapshotView(s.value, ctx.base)) : fail(s.error);
  },
  // Not paginated in the spec: every sharded snapshot in one page.
  listGroupClusterBackupSnapshotShardedClusters(ctx) {
    const c = cluster(ctx);
    if (!c.ok) return fail(c.error);
    const snaps = clusterSnapshots(ctx.world, c.value).filter((s) => s.members !== undefined);
    return list({
      links: [{ href: ctx.selfUrl, rel: 'self' }],
      results: snaps.map((s) => shardedSnapshotView(s, ctx.base)),
      totalCount: snaps.length,
    });
  },
  getGroupClusterBackupSnapshotShardedCluster(ctx) {
    const c = cluster(ctx);
    if (!c.ok) return fail(c.error);
    const s = findSnapshot(ctx.world, c.value, param(ctx, 'snapshotId'), true);
    return s.ok ? entity(shardedSnapshotView(s.value, ctx.base)) : fail(s.error);
  },
};
