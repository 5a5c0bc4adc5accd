/**
 * Write mode (DASHBOARD_WRITE=on): off by default. It needs access control, because every write names who made
 * it: with no sign-in (the anonymous loopback mode) it refuses to start, even on loopback.
 */
import type { AccessMode } from '../access/settings.ts';

export interface WriteSettings {
  enabled: boolean;
  /** Append-only JSON lines, one per write attempt: `${DATA_DIR}/audit.jsonl`. */
  auditFile: string;
}

export class WriteConfigError extends Error {}

export function writeSettings(
  env: Record<string, string | undefined>,
  mode: AccessMode,
  dataDir: string,
): WriteSettings {
  const raw = (env.DASHBOARD_WRITE ?? '').trim().toLowerCase();
  if (raw !== '' && raw !== 'on' && raw !== 'off') {
    throw new WriteConfigError('DASHBOARD_WRITE must be one of on, off.');
  }
  const enabled = raw === 'on';
  if (enabled && mode === 'none') {
    throw new WriteConfigError(
      'DASHBOARD_WRITE=on needs access control, so that every write names who made it: set DASHBOARD_BASIC_AUTH, or sign-in with an identity provider (DASHBOARD_OIDC_ISSUER), or DASHBOARD_AUTH=proxy. Anonymous writes are never allowed, not even on loopback.',
    );
  }
  return { enabled, auditFile: `${dataDir.replace(/\/+$/, '')}/audit.jsonl` };
}
