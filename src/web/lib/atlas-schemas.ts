import * as z from 'zod/mini';
import type { OperationId } from '../../atlas/operations.ts';

/**
 * What the dashboard reads of each Atlas answer, as zod schemas mirroring the generated types in
 * src/atlas/openapi/schema.d.ts. Lenient the way Atlas is: fields it leaves out until they matter are optional,
 * fields the UI never reads are not checked, unknown fields pass. A job state this build does not know is a
 * string, not an error: the badge shows it as it is.
 */

// Zod compiles object parsers with `new Function` unless told not to; the page's CSP forbids eval, and the mere
// attempt would be reported as a violation.
z.config({ jitless: true });

const str = z.optional(z.string());
const num = z.optional(z.number());
const bool = z.optional(z.boolean());
const link = z.looseObject({ href: str, rel: str });
const links = z.optional(z.array(link));
const list = <T extends z.ZodMiniType>(item: T) => z.looseObject({ results: z.array(item), totalCount: num, links });

const exportJob = z.looseObject({
  id: str,
  exportBucketId: z.string(),
  state: str,
  createdAt: str,
  finishedAt: str,
  prefix: str,
  snapshotId: str,
  customData: z.optional(z.array(z.looseObject({ key: str, value: str }))),
  exportStatus: z.optional(z.looseObject({ exportedCollections: num, totalCollections: num })),
  stateReason: z.optional(z.looseObject({ errorCode: str, message: str })),
  components: z.optional(z.array(z.looseObject({ exportId: str, replicaSetName: str }))),
  links,
});
const org = z.looseObject({ id: str, name: str, links });
const group = z.looseObject({ id: str, name: str, orgId: str, clusterCount: num, created: str, links });
const cluster = z.looseObject({
  id: str,
  name: str,
  clusterType: str,
  stateName: str,
  paused: bool,
  mongoDBVersion: str,
  backupEnabled: bool,
  links,
});
const bucket = z.looseObject({
  _id: str,
  bucketName: str,
  cloudProvider: str,
  region: str,
  iamRoleId: str,
  roleId: str,
  serviceUrl: str,
  links,
});
const snapshot = z.looseObject({
  id: str,
  createdAt: str,
  expiresAt: str,
  snapshotType: str,
  frequencyType: str,
  status: str,
  storageSizeBytes: num,
  links,
});

/** One schema per operation: a response is checked once, in the client, before anything renders it. */
export const RESPONSE_SCHEMAS: Readonly<Record<OperationId, z.ZodMiniType>> = {
  listOrgs: list(org),
  getOrg: org,
  getOrgGroups: list(group),
  listGroups: list(group),
  getGroup: group,
  listGroupClusters: list(cluster),
  getGroupCluster: cluster,
  listGroupBackupExportBuckets: list(bucket),
  getGroupBackupExportBucket: bucket,
  listGroupClusterBackupExports: list(exportJob),
  createGroupClusterBackupExport: exportJob,
  getGroupClusterBackupExport: exportJob,
  listGroupClusterBackupSnapshots: list(snapshot),
  getGroupClusterBackupSnapshot: snapshot,
  listGroupClusterBackupSnapshotShardedClusters: list(snapshot),
  getGroupClusterBackupSnapshotShardedCluster: snapshot,
  getGroupClusterBackupSchedule: z.looseObject({
    autoExportEnabled: bool,
    export: z.optional(z.looseObject({ exportBucketId: str, frequencyType: str })),
    links,
  }),
};

/** Where an answer departs from the contract, in words: `results[3].customData: expected a list, got text`. */
export interface ShapeProblem {
  path: string;
  expected: string;
  got: string;
}

/** The first problem in `body` for this operation, or undefined when the dashboard can read it. */
export function shapeProblem(id: OperationId, body: unknown): ShapeProblem | undefined {
  const result = RESPONSE_SCHEMAS[id].safeParse(body, { reportInput: true });
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  if (!issue) return { path: '(body)', expected: 'the documented shape', got: describe(body) };
  const path = formatPath(issue.path);
  const expected = issue.code === 'invalid_type' ? describeType(issue.expected) : 'the documented shape';
  return { path, expected, got: describe(issue.input) };
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out || '(body)';
}

const TYPE_WORDS: Record<string, string> = {
  array: 'a list',
  object: 'an object',
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
};

function describeType(type: string): string {
  return TYPE_WORDS[type] ?? type;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return describeType(typeof value);
}
