/**
 * The one write's body, DiskBackupExportJobRequest, checked before anything reaches Atlas: exactly the spec's
 * writable fields (`snapshotId`, `exportBucketId`, `customData` of BackupLabel), ids by the spec's pattern, and
 * the dashboard's own bounds on custom data (Atlas documents none; these keep the audit file and the metadata
 * file Atlas writes into the bucket sane).
 */
import { apiError, type ApiError } from '../../atlas/index.ts';

export const MAX_BODY_BYTES = 16 * 1024;
export const MAX_CUSTOM_DATA = 50;
export const MAX_LABEL_LENGTH = 255;
const OBJECT_ID = /^([a-f0-9]{24})$/;

export interface ExportRequest {
  snapshotId: string;
  exportBucketId: string;
  customData?: { key: string; value: string }[];
}

type Field = { field: string; description: string };

export function parseExportRequest(text: string): { ok: true; value: ExportRequest } | { ok: false; error: ApiError } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: apiError(400, 'INVALID_JSON', 'The request body is not valid JSON.') };
  }
  const fields: Field[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, error: invalid([{ field: 'body', description: 'must be a JSON object' }]) };
  }
  const body = raw as Record<string, unknown>;
  for (const key of Object.keys(body)) {
    if (key !== 'snapshotId' && key !== 'exportBucketId' && key !== 'customData')
      fields.push({ field: key, description: 'is not a field of DiskBackupExportJobRequest' });
  }
  for (const key of ['snapshotId', 'exportBucketId'] as const) {
    const v = body[key];
    if (typeof v !== 'string' || !OBJECT_ID.test(v))
      fields.push({ field: key, description: 'must be a 24-hexadecimal string (^([a-f0-9]{24})$)' });
  }
  let customData: { key: string; value: string }[] | undefined;
  if (body.customData !== undefined) {
    if (!Array.isArray(body.customData)) {
      fields.push({ field: 'customData', description: 'must be an array of {key, value}' });
    } else if (body.customData.length > MAX_CUSTOM_DATA) {
      fields.push({ field: 'customData', description: `must hold at most ${MAX_CUSTOM_DATA} entries` });
    } else {
      customData = [];
      body.customData.forEach((item: unknown, i) => {
        const at = `customData.${i}`;
        if (typeof item !== 'object' || item === null || Array.isArray(item)) {
          fields.push({ field: at, description: 'must be an object {key, value}' });
          return;
        }
        const label = item as Record<string, unknown>;
        for (const k of Object.keys(label))
          if (k !== 'key' && k !== 'value')
            fields.push({ field: `${at}.${k}`, description: 'is not a field of BackupLabel' });
        for (const k of ['key', 'value'] as const) {
          const v = label[k];
          if (typeof v !== 'string' || (k === 'key' && v.trim() === ''))
            fields.push({
              field: `${at}.${k}`,
              description: k === 'key' ? 'must be a non-empty string' : 'must be a string',
            });
          else if (v.length > MAX_LABEL_LENGTH)
            fields.push({ field: `${at}.${k}`, description: `must be at most ${MAX_LABEL_LENGTH} characters` });
        }
        if (typeof label.key === 'string' && typeof label.value === 'string')
          customData!.push({ key: label.key, value: label.value });
      });
      const keys = customData.map((d) => d.key);
      if (new Set(keys).size !== keys.length) fields.push({ field: 'customData', description: 'keys must be unique' });
    }
  }
  if (fields.length > 0) return { ok: false, error: invalid(fields) };
  return {
    ok: true,
    value: {
      snapshotId: body.snapshotId as string,
      exportBucketId: body.exportBucketId as string,
      ...(customData && customData.length > 0 ? { customData } : {}),
    },
  };
}

function invalid(fields: Field[]): ApiError {
  return apiError(
    400,
    'INVALID_EXPORT_REQUEST',
    `The export request is not valid: ${fields.map((f) => `${f.field} ${f.description}`).join('; ')}. Nothing was sent to Atlas.`,
    { badRequestDetail: { fields } },
  );
}
