import type { components } from './openapi/schema';

/** Atlas's error body, as the spec defines it. Served as `application/json`, not the versioned type. */
export type ApiError = components['schemas']['ApiError'];
export type BadRequestField = { field: string; description: string };

export const REASON_PHRASES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  421: 'Misdirected Request',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function apiError(
  status: number,
  errorCode: string,
  detail: string,
  extra: { parameters?: unknown[]; badRequestDetail?: { fields: BadRequestField[] } } = {},
): ApiError {
  return {
    error: status,
    errorCode,
    reason: REASON_PHRASES[status] ?? 'Error',
    detail,
    parameters: (extra.parameters ?? []) as ApiError['parameters'],
    ...(extra.badRequestDetail ? { badRequestDetail: extra.badRequestDetail } : {}),
  };
}

/** True when `value` has the two fields the spec requires of an ApiError. */
export function isApiError(value: unknown): value is ApiError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.error === 'number' && typeof v.errorCode === 'string';
}
