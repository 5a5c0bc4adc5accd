import { buildPath, isApiError, operation, type OperationId, type PathParams } from '../atlas/index.ts';

/** One answer as the server's proxy gives it: status, the headers it passes on, the JSON body. */
export interface AtlasAnswer {
  status: number;
  headers: Record<string, string | undefined>;
  body: Uint8Array | string;
}

/**
 * How the watch reaches Atlas: the server hands it the proxy's own read path (credentials, rate gate, 429
 * cool-downs, upstream client), so the watch and the viewers share one budget. The watch never builds a URL
 * from anything but the operation table.
 */
export type AtlasReader = (pathAndQuery: string) => Promise<AtlasAnswer>;

export type Read<T> =
  | { ok: true; value: T; headers: AtlasAnswer['headers'] }
  | { ok: false; status: number; code: string; detail: string; headers: AtlasAnswer['headers'] };

export function pathFor(id: OperationId, params: PathParams, query: Record<string, string | number> = {}): string {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
  return buildPath(operation(id), params) + (qs ? `?${qs}` : '');
}

const decoder = new TextDecoder();

/** Reads and parses one answer; a non-JSON or malformed success is a failure like any other. */
export async function readJson<T>(read: AtlasReader, path: string, check: (v: unknown) => v is T): Promise<Read<T>> {
  let answer: AtlasAnswer;
  try {
    answer = await read(path);
  } catch (err) {
    return { ok: false, status: 0, code: 'WATCH_READ_FAILED', detail: String(err), headers: {} };
  }
  const text = typeof answer.body === 'string' ? answer.body : decoder.decode(answer.body);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (answer.status >= 200 && answer.status < 300) {
    if (check(body)) return { ok: true, value: body, headers: answer.headers };
    return {
      ok: false,
      status: 502,
      code: 'UNEXPECTED_SHAPE',
      detail: 'Atlas answered in an unexpected shape.',
      headers: answer.headers,
    };
  }
  const err = isApiError(body) ? body : undefined;
  // The proxy relays Atlas's 5xx as its own 502 and names Atlas's status in words; the watch reports Atlas's.
  const relayed = err?.errorCode === 'UPSTREAM_ERROR' ? /Atlas answered HTTP (\d{3})/.exec(err.detail ?? '') : null;
  return {
    ok: false,
    status: relayed ? Number(relayed[1]) : answer.status,
    code: err?.errorCode ?? 'UNKNOWN',
    detail: err?.detail ?? `HTTP ${answer.status}`,
    headers: answer.headers,
  };
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
export function isPage<T>(v: unknown): v is { results: T[]; totalCount?: number; links?: { rel?: string }[] } {
  return isObject(v) && Array.isArray(v.results);
}
