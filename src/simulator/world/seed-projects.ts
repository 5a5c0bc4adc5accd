import type { Rng } from './prng.ts';
import type { BucketRec, ClusterRec, OrgRec, ProjectRec, Provider } from './model.ts';

const DAY = 86_400_000;
/** Ids carry a timestamp like ObjectIds; it comes from this fixed epoch so ids depend on the seed only. */
const ID_EPOCH = Date.UTC(2026, 10, 1);
export const idAt = (rng: Rng, offsetMs: number) => rng.objectId(ID_EPOCH + offsetMs);

export interface ProjectPlan {
  org: number;
  name: string;
  /** Extra ordinary clusters besides the landmark ones. */
  clusters: number;
  landmarks: boolean;
}

/** The spec allows letters, digits and -_.(),:&@+' in organization names; no spaces. */
export const ORG_NAMES = ['Acme-Payments', 'Globex-Research'];
/** The first project holds the landmark clusters (big, sharded, no backup, no exports) plus 22 ordinary ones. */
export const PROJECT_PLANS: ProjectPlan[] = [
  { org: 0, name: 'payments-prod', clusters: 22, landmarks: true },
  { org: 0, name: 'payments-staging', clusters: 3, landmarks: false },
  { org: 0, name: 'analytics', clusters: 2, landmarks: false },
  { org: 1, name: 'research-lab', clusters: 2, landmarks: false },
  { org: 1, name: 'sandbox-empty', clusters: 0, landmarks: false },
];

const WORDS = [
  'billing',
  'catalog',
  'checkout',
  'events',
  'fraud',
  'identity',
  'inventory',
  'ledger',
  'loyalty',
  'metrics',
  'notify',
  'pricing',
  'profiles',
  'quotes',
  'reports',
  'search',
  'sessions',
  'shipping',
  'tax',
  'wallet',
];
const VERSIONS = ['7.0.24', '8.0.12', '8.0.13'];
const SIZES = ['M10', 'M20', 'M30', 'M40', 'M50'] as const;

export function seedOrgs(rng: Rng, start: number): OrgRec[] {
  return ORG_NAMES.map((name, i) => ({ id: idAt(rng, -900 * DAY + i * DAY), name, created: start - (900 - i) * DAY }));
}

export function seedProject(rng: Rng, start: number, org: OrgRec, plan: ProjectPlan, index: number): ProjectRec {
  const ageDays = 700 - index * 40;
  const tags =
    index % 2 === 0 ? [{ key: 'environment', value: plan.name.endsWith('prod') ? 'production' : 'test' }] : [];
  return { id: idAt(rng, -ageDays * DAY), orgId: org.id, name: plan.name, created: start - ageDays * DAY, tags };
}

export function seedCluster(
  rng: Rng,
  start: number,
  groupId: string,
  name: string,
  opts: { sharded?: boolean; backupEnabled?: boolean; provider?: Provider } = {},
): ClusterRec {
  const ageDays = rng.int(30, 600);
  const sharded = opts.sharded ?? false;
  const shards = sharded ? rng.int(2, 4) : 1;
  const tag = rng.hex(6);
  const replicaSets = Array.from({ length: shards }, (_, i) => `atlas-${tag}-shard-${i}`);
  return {
    id: idAt(rng, -ageDays * DAY),
    groupId,
    name,
    sharded,
    replicaSets,
    backupEnabled: opts.backupEnabled ?? true,
    provider: opts.provider ?? rng.pick<Provider>(['AWS', 'AWS', 'AWS', 'GCP', 'AZURE']),
    instanceSize: rng.pick(SIZES),
    mongoDBVersion: rng.pick(VERSIONS),
    created: start - ageDays * DAY,
    specIds: replicaSets.map(() => idAt(rng, -ageDays * DAY)),
    zoneId: idAt(rng, -ageDays * DAY),
  };
}

export function ordinaryClusterName(rng: Rng, taken: Set<string>): string {
  for (;;) {
    const name = `${rng.pick(WORDS)}-${rng.pick(['prod', 'db', 'store', 'rs', 'cache'])}${rng.int(1, 9)}`;
    if (!taken.has(name)) return name;
  }
}

export function seedBuckets(rng: Rng, project: ProjectRec): BucketRec[] {
  const base = project.name.replace(/[^a-z0-9-]/g, '-');
  const id = () => idAt(rng, -rng.int(1, 300) * DAY);
  return [
    {
      id: id(),
      groupId: project.id,
      bucketName: `${base}-atlas-exports`,
      provider: 'AWS',
      iamRoleId: id(),
      region: 'US_EAST_1',
      requirePrivateNetworking: false,
    },
    {
      id: id(),
      groupId: project.id,
      bucketName: `${base}-exports-eu`,
      provider: 'AWS',
      iamRoleId: id(),
      region: 'EU_WEST_1',
      requirePrivateNetworking: true,
    },
    {
      id: id(),
      groupId: project.id,
      bucketName: `${base}-exports`,
      provider: 'AZURE',
      roleId: id(),
      serviceUrl: `https://${base.replace(/-/g, '')}exports.blob.core.windows.net/exports`,
      tenantId: rng.uuid(),
    },
    { id: id(), groupId: project.id, bucketName: `${base}-gcs-exports`, provider: 'GCP', roleId: id() },
  ];
}
