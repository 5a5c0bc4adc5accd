/**
 * The operation table: the one list of the Atlas Admin API surface this project uses.
 * The proxy's allowlist, the simulator's routes and the SPA's client all derive from it.
 * tests/contract/operations.test.ts checks every entry against the vendored OpenAPI extract.
 */

export const API_PREFIX = '/api/atlas/v2';

export type AtlasVersion = '2023-01-01' | '2024-05-30' | '2024-08-05';

/** Atlas's rate-limit scopes; numbers from CONTRACT.md section 4 ("not part of the API contract"). */
export type RateLimitScope = 'GROUP' | 'USER' | 'ORGANIZATION';
export interface RateLimitSpec {
  /** Name of the endpoint set sharing one bucket within a scope. */
  set: string;
  scope: RateLimitScope;
  capacity: number;
  refillPerMinute: number;
}

export type QueryParamSpec =
  | { type: 'integer'; min?: number; max: number; default?: number; proxied: boolean }
  | { type: 'boolean'; default?: boolean; proxied: boolean }
  | { type: 'string'; maxLength: number; proxied: boolean };

export type PathParamName = 'groupId' | 'orgId' | 'clusterName' | 'exportId' | 'exportBucketId' | 'snapshotId';

const OBJECT_ID = /^([a-f0-9]{24})$/;
/** Atlas caps cluster names at 64 characters; the spec only gives the pattern. */
const CLUSTER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]*$/;

export const PATH_PARAM_PATTERNS: Record<PathParamName, { pattern: RegExp; maxLength: number }> = {
  groupId: { pattern: OBJECT_ID, maxLength: 24 },
  orgId: { pattern: OBJECT_ID, maxLength: 24 },
  clusterName: { pattern: CLUSTER_NAME, maxLength: 64 },
  exportId: { pattern: OBJECT_ID, maxLength: 24 },
  exportBucketId: { pattern: OBJECT_ID, maxLength: 24 },
  snapshotId: { pattern: OBJECT_ID, maxLength: 24 },
};

/** Atlas's int32 parameters (pageNum) end here; a larger value is a 400, never a rounded number. */
export const INT32_MAX = 2 ** 31 - 1;

// `envelope` and `pretty` change the response's shape or bytes; the proxy never forwards them.
const envelope: QueryParamSpec = { type: 'boolean', default: false, proxied: false };
const pretty: QueryParamSpec = { type: 'boolean', default: false, proxied: false };
const paging = {
  includeCount: { type: 'boolean', default: true, proxied: true },
  itemsPerPage: { type: 'integer', min: 1, max: 500, default: 100, proxied: true },
  pageNum: { type: 'integer', min: 1, max: INT32_MAX, default: 1, proxied: true },
} as const satisfies Record<string, QueryParamSpec>;
// The spec's int64 values, bounded where a JavaScript number still holds them exactly.
const int64: QueryParamSpec = { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER, proxied: true };

const backupLimits: RateLimitSpec = { set: 'cloudBackups', scope: 'GROUP', capacity: 1200, refillPerMinute: 500 };
const clusterLimits: RateLimitSpec = { set: 'clusters', scope: 'GROUP', capacity: 10000, refillPerMinute: 5000 };

export interface OperationSpec {
  operationId: string;
  /** `x-xgen-operation-id-override`, the SDK/CLI name. */
  sdkName: string;
  method: 'GET' | 'POST';
  /** Path template under API_PREFIX, e.g. `/groups/{groupId}`. */
  path: string;
  version: AtlasVersion;
  query: Readonly<Record<string, QueryParamSpec>>;
  paginated: boolean;
  /** components.schemas name of the 200 body. */
  responseSchema: string;
  errorStatuses: readonly number[];
  /** `x-rolesRequirements`, for error messages that say which role is missing. */
  role?: string;
  rateLimit: RateLimitSpec;
}

const E_LIST = [401, 403, 404, 429, 500] as const;
const E_400 = [400, 401, 403, 404, 429, 500] as const;
const E_409 = [400, 401, 403, 404, 409, 429, 500] as const;

export const OPERATIONS = [
  {
    operationId: 'listOrgs',
    sdkName: 'listOrgs',
    method: 'GET',
    path: '/orgs',
    version: '2023-01-01',
    query: { envelope, pretty, ...paging, name: { type: 'string', maxLength: 64, proxied: true } },
    paginated: true,
    responseSchema: 'PaginatedOrganizationView',
    errorStatuses: E_409,
    rateLimit: { set: 'orgs', scope: 'USER', capacity: 300, refillPerMinute: 100 },
  },
  {
    operationId: 'getOrg',
    sdkName: 'getOrg',
    method: 'GET',
    path: '/orgs/{orgId}',
    version: '2023-01-01',
    query: { envelope, pretty },
    paginated: false,
    responseSchema: 'AtlasOrganization',
    errorStatuses: E_409,
    role: 'Organization Member',
    rateLimit: { set: 'org', scope: 'ORGANIZATION', capacity: 500, refillPerMinute: 250 },
  },
  {
    operationId: 'getOrgGroups',
    sdkName: 'getOrgGroups',
    method: 'GET',
    path: '/orgs/{orgId}/groups',
    version: '2023-01-01',
    query: { envelope, pretty, ...paging, name: { type: 'string', maxLength: 64, proxied: true } },
    paginated: true,
    responseSchema: 'PaginatedAtlasGroupView',
    errorStatuses: E_400,
    role: 'Organization Member',
    rateLimit: { set: 'org', scope: 'ORGANIZATION', capacity: 500, refillPerMinute: 250 },
  },
  {
    operationId: 'listGroups',
    sdkName: 'listGroups',
    method: 'GET',
    path: '/groups',
    version: '2023-01-01',
    query: { envelope, pretty, ...paging },
    paginated: true,
    responseSchema: 'PaginatedAtlasGroupView',
    errorStatuses: E_400,
    rateLimit: { set: 'groups', scope: 'USER', capacity: 1200, refillPerMinute: 500 },
  },
  {
    operationId: 'getGroup',
    sdkName: 'getGroup',
    method: 'GET',
    path: '/groups/{groupId}',
    version: '2023-01-01',
    query: { envelope, pretty },
    paginated: false,
    responseSchema: 'Group',
    errorStatuses: E_400,
    role: 'Project Read Only',
    rateLimit: { set: 'group', scope: 'GROUP', capacity: 1200, refillPerMinute: 500 },
  },
  {
    operationId: 'listGroupClusters',
    sdkName: 'listClusters',
    method: 'GET',
    path: '/groups/{groupId}/clusters',
    version: '2024-08-05',
    query: {
      envelope,
      pretty,
      ...paging,
      includeDeletedWithRetainedBackups: { type: 'boolean', default: false, proxied: true },
    },
    paginated: true,
    responseSchema: 'PaginatedClusterDescription20240805',
    errorStatuses: E_LIST,
    role: 'Project Read Only',
    rateLimit: clusterLimits,
  },
  {
    operationId: 'getGroupCluster',
    sdkName: 'getCluster',
    method: 'GET',
    path: '/groups/{groupId}/clusters/{clusterName}',
    version: '2024-08-05',
    query: { envelope, pretty },
    paginated: false,
    responseSchema: 'ClusterDescription20240805',
    errorStatuses: [401, 403, 404, 409, 429, 500],
    role: 'Project Read Only',
    rateLimit: clusterLimits,
  },
  {
    operationId: 'listGroupBackupExportBuckets',
    sdkName: 'listExportBuckets',
    method: 'GET',
    path: '/groups/{groupId}/backup/exportBuckets',
    version: '2024-05-30',
    query: { envelope, pretty, ...paging },
    paginated: true,
    responseSchema: 'PaginatedBackupSnapshotExportBucketsView',
    errorStatuses: E_LIST,
    role: 'Project Read Only',
    rateLimit: backupLimits,
  },
  {
    operationId: 'getGroupBackupExportBucket',
    sdkName: 'getExportBucket',
    method: 'GET',
    path: '/groups/{groupId}/backup/exportBuckets/{exportBucketId}',
    version: '2024-05-30',
    query: { envelope },
    paginated: false,
    responseSchema: 'DiskBackupSnapshotExportBucketResponse',
    errorStatuses: E_LIST,
    role: 'Project Read Only',
    rateLimit: backupLimits,
  },
  {
    operationId: 'listGroupClusterBackupExports',
    sdkName: 'listBackupExports',
    method: 'GET',
    path: '/groups/{groupId}/clusters/{clusterName}/backup/exports',
    version: '2023-01-01',
    query: { envelope, pretty, ...paging },
    paginated: true,
    responseSchema: 'PaginatedApiAtlasDiskBackupExportJobView',
    errorStatuses: E_LIST,
    role: 'Project Backup Manager',
    rateLimit: backupLimits,
  },
  {
    operationId: 'createGroupClusterBackupExport',
    sdkName: 'createBackupExport',
    method: 'POST',
    path: '/groups/{groupId}/clusters/{clusterName}/backup/exports',
    version: '2023-01-01',
    query: { envelope },
    paginated: false,
    responseSchema: 'DiskBackupExportJob',
    errorStatuses: E_409,
    role: 'Project Backup Export Operator',
    rateLimit: backupLimits,
  },
  {
    operationId: 'getGroupClusterBackupExport',
    sdkName: 'getBackupExport',
    method: 'GET',
    path: '/groups/{groupId}/clusters/{clusterName}/backup/exports/{exportId}',
    version: '2023-01-01',
    query: { envelope },
    paginated: false,
    responseSchema: 'DiskBackupExportJob',
    errorStatuses: E_LIST,
    role: 'Project Backup Manager',
    rateLimit: backupLimits,
  },
  {
    // Read by the watch for each cluster's auto-export setting (`autoExportEnabled`, `export.frequencyType`).
    operationId: 'getGroupClusterBackupSchedule',
    sdkName: 'getBackupSchedule',
    method: 'GET',
    path: '/groups/{groupId}/clusters/{clusterName}/backup/schedule',
    version: '2024-08-05',
    query: { envelope, pretty },
    paginated: false,
    responseSchema: 'DiskBackupSnapshotSchedule20240805',
    errorStatuses: E_LIST,
    role: 'Project Read Only',
    rateLimit: backupLimits,
  },
  {
    operationId: 'listGroupClusterBackupSnapshots',
    sdkName: 'listBackupSnapshots',
    method: 'GET',
    path: '/groups/{groupId}/clusters/{clusterName}/backup/snapshots',
    version: '2023-01-01',
    query: { envelope, pretty, ...paging, pointInTimeUtcSeconds: int64, oplogTs: int64, oplogInc: int64 },
    paginated: true,
    responseSchema: 'PaginatedCloudBackupReplicaSetView',
    errorStatuses: E_400,
    role: 'Project Read Only',
    rateLimit: backupLimits,
  },
  {
    operationId: 'getGroupClusterBackupSnapshot',
    sdkName: 'getClusterBackupSnapshot',
    method: 'GET',
    path: '/groups/{groupId}/clusters/{clusterName}/backup/snapshots/{snapshotId}',
    version: '2023-01-01',
    query: { envelope, pretty },
    paginated: false,
    responseSchema: 'DiskBackupReplicaSet',
    errorStatuses: E_400,
    role: 'Project Read Only',
    rateLimit: backupLimits,
  },
  {
    operationId: 'listGroupClusterBackupSnapshotShardedClusters',
    sdkName: 'listBackupShardedClusters',
    method: 'GET',
    path: '/groups/{groupId}/clusters/{clusterName}/backup/snapshots/shardedClusters',
    version: '2023-01-01',
    query: { envelope, pretty },
    paginated: false,
    responseSchema: 'PaginatedCloudBackupShardedClusterSnapshotView',
    errorStatuses: E_400,
    role: 'Project Read Only',
    rateLimit: backupLimits,
  },
  {
    operationId: 'getGroupClusterBackupSnapshotShardedCluster',
    sdkName: 'getBackupShardedCluster',
    method: 'GET',
    path: '/groups/{groupId}/clusters/{clusterName}/backup/snapshots/shardedCluster/{snapshotId}',
    version: '2023-01-01',
    query: { envelope, pretty },
    paginated: false,
    responseSchema: 'DiskBackupShardedClusterSnapshot',
    errorStatuses: E_400,
    role: 'Project Read Only',
    rateLimit: backupLimits,
  },
] as const satisfies readonly OperationSpec[];

export type OperationId = (typeof OPERATIONS)[number]['operationId'];

export const OPERATIONS_BY_ID: ReadonlyMap<string, OperationSpec> = new Map(
  OPERATIONS.map((op) => [op.operationId, op]),
);

export function operation(id: OperationId): OperationSpec {
  const op = OPERATIONS_BY_ID.get(id);
  if (!op) throw new Error(`unknown operation ${id}`);
  return op;
}

export function mediaType(version: AtlasVersion): string {
  return `application/vnd.atlas.${version}+json`;
}

/** Every version any operation serves, oldest first. */
export const ATLAS_VERSIONS: readonly AtlasVersion[] = ['2023-01-01', '2024-05-30', '2024-08-05'];
