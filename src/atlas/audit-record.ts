/**
 * One write attempt as the dashboard records it (DATA_DIR/audit.jsonl) and serves it (`GET /api/activity`): the
 * server writes it, the Activity page reads it, one shape for both sides of the wire.
 */
export interface AuditRecord {
  /** Record id (UUID). */
  id: string;
  /** ISO 8601, UTC. */
  at: string;
  action: 'createExport';
  /** allowed: sent to Atlas (whatever it answered); refused: stopped by the dashboard, nothing sent. */
  decision: 'allowed' | 'refused' | 'replayed';
  who: { id: string; name: string; role: string; via: string } | null;
  address: string | null;
  request: {
    groupId?: string;
    clusterName?: string;
    snapshotId?: string;
    exportBucketId?: string;
    customData?: { key: string; value: string }[];
    idempotencyKey?: string;
  };
  answer: {
    status: number;
    errorCode?: string;
    detail?: string;
    from: 'atlas' | 'dashboard';
    exportId?: string;
    state?: string;
  };
}
