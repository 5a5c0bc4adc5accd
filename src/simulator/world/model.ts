/** The simulator's internal records. API shapes are produced from them in views.ts, at read time. */
export type Provider = 'AWS' | 'AZURE' | 'GCP';
export type FinalState = 'Successful' | 'Failed' | 'Cancelled';

export interface OrgRec {
  id: string;
  name: string;
  created: number;
}

export interface ProjectRec {
  id: string;
  orgId: string;
  name: string;
  created: number;
  tags: { key: string; value: string }[];
  /**
   * What the simulator's credentials may do here: `none` (no role: every call under the project is 403),
   * `readOnly` (Project Read Only: export jobs are 403), `noExport` (Project Backup Manager without Project Backup
   * Export Operator: every read works, creating an export is 403). Absent: every role the dashboard needs.
   */
  access?: 'none' | 'readOnly' | 'noExport';
}

export interface ClusterRec {
  id: string;
  groupId: string;
  name: string;
  sharded: boolean;
  /** Replica set names: one for a replica set, one per shard for a sharded cluster. */
  replicaSets: string[];
  backupEnabled: boolean;
  provider: Provider;
  instanceSize: 'M10' | 'M20' | 'M30' | 'M40' | 'M50';
  mongoDBVersion: string;
  created: number;
  specIds: string[];
  zoneId: string;
  /**
   * The backup schedule's auto-export policy (`export.frequencyType`; the official schema knows only monthly and
   * yearly). Absent: auto-export off, exports are started by something else (a job runner, an operator).
   */
  autoExport?: 'monthly' | 'yearly';
}

interface BucketBase {
  id: string;
  groupId: string;
  bucketName: string;
}
export type BucketRec =
  | (BucketBase & { provider: 'AWS'; iamRoleId: string; region: string; requirePrivateNetworking: boolean })
  | (BucketBase & { provider: 'AZURE'; roleId: string; serviceUrl: string; tenantId: string })
  | (BucketBase & { provider: 'GCP'; roleId: string });

export interface SnapshotRec {
  id: string;
  groupId: string;
  clusterName: string;
  createdAt: number;
  expiresAt: number;
  snapshotType: 'scheduled' | 'onDemand' | 'fallback';
  /** Absent: completed (every seeded snapshot). Tests set others through `/__sim/snapshots`. */
  status?: 'queued' | 'inProgress' | 'failed';
  frequencyType: 'hourly' | 'daily' | 'weekly' | 'monthly';
  storageSizeBytes: number;
  mongodVersion: string;
  provider: Provider;
  /** Replica set snapshots: the set's name. Sharded snapshots: one member snapshot per shard. */
  replicaSetName?: string;
  members?: { id: string; replicaSetName: string }[];
}

export interface JobRec {
  id: string;
  groupId: string;
  clusterName: string;
  snapshotId: string;
  exportBucketId: string;
  createdAt: number;
  /** Time spent Queued, then running; state at any instant is derived from these (lifecycle.ts). */
  queueMs: number;
  runMs: number;
  totalCollections: number;
  outcome: FinalState;
  /** Fraction of the run after which a Failed or Cancelled job stopped. */
  stopFraction: number;
  failure?: { errorCode: string; message: string };
  customData: { key?: string; value?: string }[];
  components?: { exportId: string; replicaSetName: string }[];
  prefix: string;
}

export interface World {
  orgs: OrgRec[];
  projects: ProjectRec[];
  clustersByGroup: Map<string, ClusterRec[]>;
  bucketsByGroup: Map<string, BucketRec[]>;
  /** Keyed by `${groupId}/${clusterName}`, newest first. */
  snapshotsByCluster: Map<string, SnapshotRec[]>;
  /** Keyed by `${groupId}/${clusterName}`, newest first (createdAt descending). */
  jobsByCluster: Map<string, JobRec[]>;
  /** Clusters with an auto-export policy: a new snapshot and export job every `periodMs` of simulated time. */
  autoExports: AutoExportSchedule[];
  landmarks: {
    bigCluster: ClusterRec;
    shardedCluster: ClusterRec;
    noBackupCluster: ClusterRec;
    noExportsCluster: ClusterRec;
    /** `--world history` only: the cluster with 20,000 export jobs. */
    hugeCluster?: ClusterRec;
  };
}

export interface AutoExportSchedule {
  cluster: ClusterRec;
  orgId: string;
  buckets: BucketRec[];
  periodMs: number;
  /** Export k starts at world start + k * periodMs - phaseMs (default 0), so clusters need not start together. */
  phaseMs?: number;
  /** Index of the next export to create. */
  next: number;
}

export const clusterKey = (groupId: string, clusterName: string) => `${groupId}/${clusterName}`;
