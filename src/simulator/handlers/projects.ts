import { apiError } from '../../atlas/index.ts';
import { pageQuery, paginate } from '../http/paging.ts';
import { findCluster, findGroup } from '../world/lookup.ts';
import { clusterView, groupView, orgView } from '../world/views.ts';
import type { ProjectRec } from '../world/model.ts';
import { entity, fail, list, param, type Handler, type HandlerCtx } from './types.ts';

/** `name` on /orgs and /orgs/{orgId}/groups: a case-insensitive prefix filter. */
function nameFilter(ctx: HandlerCtx): { keep: (name: string) => boolean; filters: Record<string, string> } {
  const name = typeof ctx.query.name === 'string' ? ctx.query.name : undefined;
  if (name === undefined) return { keep: () => true, filters: {} };
  return { keep: (n) => n.toLowerCase().startsWith(name.toLowerCase()), filters: { name } };
}

const groupOf = (ctx: HandlerCtx) => (p: ProjectRec) =>
  groupView(p, ctx.world.clustersByGroup.get(p.id)?.length ?? 0, ctx.base);

function findOrg(ctx: HandlerCtx) {
  const orgId = param(ctx, 'orgId');
  return ctx.world.orgs.find((o) => o.id === orgId);
}
const orgNotFound = (orgId: string) =>
  apiError(404, 'ORG_NOT_FOUND', `No organization with ID ${orgId} exists.`, { parameters: [orgId] });

export const projectHandlers: Record<string, Handler> = {
  listOrgs(ctx) {
    const { keep, filters } = nameFilter(ctx);
    const orgs = ctx.world.orgs.filter((o) => keep(o.name));
    return list(paginate(orgs, pageQuery(ctx.query), ctx.selfUrl, (o) => orgView(o, ctx.base), filters));
  },
  getOrg(ctx) {
    const org = findOrg(ctx);
    return org ? entity(orgView(org, ctx.base)) : fail(orgNotFound(param(ctx, 'orgId')));
  },
  getOrgGroups(ctx) {
    const org = findOrg(ctx);
    if (!org) return fail(orgNotFound(param(ctx, 'orgId')));
    const { keep, filters } = nameFilter(ctx);
    const groups = ctx.world.projects.filter((p) => p.orgId === org.id && keep(p.name));
    return list(paginate(groups, pageQuery(ctx.query), ctx.selfUrl, groupOf(ctx), filters));
  },
  listGroups(ctx) {
    return list(paginate(ctx.world.projects, pageQuery(ctx.query), ctx.selfUrl, groupOf(ctx)));
  },
  getGroup(ctx) {
    const g = findGroup(ctx.world, param(ctx, 'groupId'));
    return g.ok ? entity(groupOf(ctx)(g.value)) : fail(g.error);
  },
  listGroupClusters(ctx) {
    const g = findGroup(ctx.world, param(ctx, 'groupId'));
    if (!g.ok) return fail(g.error);
    const clusters = ctx.world.clustersByGroup.get(g.value.id) ?? [];
    return list(paginate(clusters, pageQuery(ctx.query), ctx.selfUrl, (c) => clusterView(c, ctx.base)));
  },
  getGroupCluster(ctx) {
    const c = findCluster(ctx.world, param(ctx, 'groupId'), param(ctx, 'clusterName'));
    return c.ok ? entity(clusterView(c.value, ctx.base)) : fail(c.error);
  },
};
