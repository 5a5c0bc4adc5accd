import type { components } from './openapi/schema';

type S = components['schemas'];

/** Domain names for the generated schema types. */
export type ExportJob = S['DiskBackupExportJob'];
export type ExportJobRequest = S['DiskBackupExportJobRequest'];
export type ExportJobState = NonNullable<ExportJob['state']>;
export type ExportJobPage = S['PaginatedApiAtlasDiskBackupExportJobView'];
export type ExportBucket =
  | S['DiskBackupSnapshotAWSExportBucketResponse']
  | S['DiskBackupSnapshotAzureExportBucketResponse']
  | S['DiskBackupSnapshotGCPExportBucketResponse'];
export type ExportBucketPage = S['PaginatedBackupSnapshotExportBucketsView'];
export type ReplicaSetSnapshot = S['DiskBackupReplicaSet'];
export type ReplicaSetSnapshotPage = S['PaginatedCloudBackupReplicaSetView'];
export type ShardedClusterSnapshot = S['DiskBackupShardedClusterSnapshot'];
export type ShardedClusterSnapshotPage = S['PaginatedCloudBackupShardedClusterSnapshotView'];
export type Group = S['Group'];
export type GroupPage = S['PaginatedAtlasGroupView'];
export type Organization = S['AtlasOrganization'];
export type OrganizationPage = S['PaginatedOrganizationView'];
export type Cluster = S['ClusterDescription20240805'];
export type ClusterPage = S['PaginatedClusterDescription20240805'];
export type Link = S['Link'];
export type BackupSchedule = S['DiskBackupSnapshotSchedule20240805'];
export type AutoExportFrequency = NonNullable<NonNullable<BackupSchedule['export']>['frequencyType']>;

export const EXPORT_JOB_STATES = [
  'Queued',
  'InProgress',
  'Successful',
  'Failed',
  'Cancelled',
] as const satisfies readonly ExportJobState[];
export const ACTIVE_EXPORT_JOB_STATES: readonly ExportJobState[] = ['Queued', 'InProgress'];
