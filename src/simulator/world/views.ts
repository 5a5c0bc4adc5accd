import type {
  Cluster,
  ExportBucket,
  ExportJob,
  Group,
  Link,
  Organization,
  ReplicaSetSnapshot,
  ShardedClusterSnapshot,
} from '../../atlas/index.ts';
import { jobAt } from './lifecycle.ts';
import type { BucketRec, ClusterRec, JobRec, OrgRec, ProjectRec, SnapshotRec } from './model.ts';

/** API shapes built from records at read time. `base` is the absolute API root, e.g. http://host/api/atlas/v2. */
/** Atlas timestamps are whole seconds: 2026-08-10T03:28:25Z. */
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';
const self = (href: string): Link[] => [{ href, rel: 'self' }];

export function orgView(o: OrgRec, base: string): Organization {
  return {
    id: o.id,
    name: o.name,
    isDeleted: false,
    skipDefaultAlertsSettings: false,
    links: self(`${base}/orgs/${o.id}`),
  };
}

/** `regionUsageRestrictions` is for Atlas for Government only, so commercial projects leave it out. */
export type GroupView = Omit<Group, 'regionUsageRestrictions'>;
export function groupView(p: ProjectRec, clusterCount: number, base: string): GroupView {
  return {
    id: p.id,
    name: p.name,
    orgId: p.orgId,
    clusterCount,
    created: iso(p.created),
    tags: p.tags,
    withDefaultAlertsSettings: true,
    links: self(`${base}/groups/${p.id}`),
  };
}

export function jobView(j: JobRec, now: number, base: string): ExportJob {
  const at = jobAt(j, now);
  return {
    id: j.id,
    snapshotId: j.snapshotId,
    exportBucketId: j.exportBucketId,
    state: at.state,
    exportStatus: { exportedCollections: at.exportedCollections, totalCollections: at.totalCollections },
    createdAt: iso(j.createdAt),
    ...(at.finishedAt !== undefined ? { finishedAt: iso(at.finishedAt) } : {}),
    ...(at.state === 'Failed' && j.failure ? { stateReason: j.failure } : {}),
    prefix: j.prefix,
    customData: j.customData,
    ...(j.components ? { components: j.components } : {}),
    links: self(`${base}/groups/${j.groupId}/clusters/${j.clusterName}/backup/exports/${j.id}`),
  };
}

export function bucketView(b: BucketRec, base: string): ExportBucket {
  const common = {
    _id: b.id,
    bucketName: b.bucketName,
    links: self(`${base}/groups/${b.groupId}/backup/exportBuckets/${b.id}`),
  };
  switch (b.provider) {
    case 'AWS':
      return {
        ...common,
        cloudProvider: 'AWS',
        iamRoleId: b.iamRoleId,
        region: b.region,
        requirePrivateNetworking: b.requirePrivateNetworking,
      };
    case 'AZURE':
      return { ...common, cloudProvider: 'AZURE', roleId: b.roleId, serviceUrl: b.serviceUrl, tenantId: b.tenantId };
    case 'GCP':
      return { ...common, cloudProvider: 'GCP', roleId: b.roleId };
  }
}

function snapshotCommon(s: SnapshotRec) {
  return {
    id: s.id,
    createdAt: iso(s.createdAt),
    expiresAt: iso(s.expiresAt),
    frequencyType: s.frequencyType,
    snapshotType: s.snapshotType,
    status: s.status ?? ('completed' as const),
    storageSizeBytes: s.storageSizeBytes,
    mongodVersion: s.mongodVersion,
    policyItems: [] as string[],
    description:
      s.snapshotType === 'onDemand'
        ? 'On-demand snapshot'
        : s.snapshotType === 'fallback'
          ? 'Fallback snapshot'
          : `Scheduled ${s.frequencyType} snapshot`,
  };
}

export function replicaSetSnapshotView(s: SnapshotRec, base: string): ReplicaSetSnapshot {
  return {
    ...snapshotCommon(s),
    type: 'replicaSet',
    cloudProvider: s.provider,
    copyRegions: [],
    replicaSetName: s.replicaSetName ?? '',
    links: self(`${base}/groups/${s.groupId}/clusters/${s.clusterName}/backup/snapshots/${s.id}`),
  };
}

export function shardedSnapshotView(s: SnapshotRec, base: string): ShardedClusterSnapshot {
  const members = (s.members ?? []).map((m) => ({
    cloudProvider: s.provider,
    id: m.id,
    replicaSetName: m.replicaSetName,
  }));
  return {
    ...snapshotCommon(s),
    type: 'shardedCluster',
    configServerType: 'DEDICATED',
    members,
    snapshotIds: members.map((m) => m.id),
    links: self(`${base}/groups/${s.groupId}/clusters/${s.clusterName}/backup/snapshots/shardedCluster/${s.id}`),
  };
}

const REGIONS = { AWS: 'US_EAST_1', AZURE: 'US_EAST_2', GCP: 'CENTRAL_US' } as const;

export function clusterView(c: ClusterRec, base: string): Cluster {
  const specs = c.replicaSets.map((_, i) => ({
    id: c.specIds[i],
    zoneId: c.zoneId,
    zoneName: 'Zone 1',
    regionConfigs: [
      {
        providerName: c.provider,
        regionName: REGIONS[c.provider],
        priority: 7,
        electableSpecs: { instanceSize: c.instanceSize, nodeCount: 3, diskSizeGB: 40 },
      },
    ],
  }));
  return {
    id: c.id,
    groupId: c.groupId,
    name: c.name,
    clusterType: c.sharded ? 'SHARDED' : 'REPLICASET',
    stateName: 'IDLE',
    backupEnabled: c.backupEnabled,
    pitEnabled: c.backupEnabled && !c.sharded,
    paused: false,
    mongoDBVersion: c.mongoDBVersion,
    mongoDBMajorVersion: c.mongoDBVersion.split('.').slice(0, 2).join('.'),
    createDate: iso(c.created),
    ...(c.sharded ? { configServerType: 'DEDICATED' as const } : {}),
    configServerManagementMode: 'ATLAS_MANAGED',
    diskWarmingMode: 'FULLY_WARMED',
    replicaSetScalingStrategy: 'WORKLOAD_TYPE',
    retainBackups: false,
    rootCertType: 'ISRGROOTX1',
    terminationProtectionEnabled: c.name.endsWith('prod'),
    useAwsTimeBasedSnapshotCopyForFastInitialSync: false,
    versionReleaseSystem: 'LTS',
    replicationSpecs: specs,
    tags: [],
    links: self(`${base}/groups/${c.groupId}/clusters/${c.name}`),
  };
}
