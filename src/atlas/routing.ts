import { apiError, type ApiError, type BadRequestField } from './api-error.ts';
import {
  API_PREFIX,
  OPERATIONS,
  PATH_PARAM_PATTERNS,
  type OperationSpec,
  type PathParamName,
  type QueryParamSpec,
} from './operations.ts';

export type PathParams = Partial<Record<PathParamName, string>>;
export type QueryValue = string | number | boolean;

export type RouteMatch =
  { ok: true; op: OperationSpec; params: PathParams } | { ok: false; error: ApiError; allowed?: readonly string[] };

interface CompiledOp {
  op: OperationSpec;
  segments: readonly string[];
}

const compiled: readonly CompiledOp[] = OPERATIONS.map((op) => ({ op, segments: op.path.split('/').slice(1) }));

function paramName(segment: string): PathParamName | undefined {
  return segment.startsWith('{') && segment.endsWith('}') ? (segment.slice(1, -1) as PathParamName) : undefined;
}

/**
 * Matches a raw (still percent-encoded) request path against the table. Segments are compared and validated as
 * they arrived: nothing is decoded, so `%2e%2e`, `%2F`, `%00` or a backslash can never satisfy a parameter
 * pattern, and the path is never resolved against a base URL.
 */
export function matchOperation(method: string, rawPath: string): RouteMatch {
  if (!rawPath.startsWith(API_PREFIX + '/')) return notFound(rawPath);
  const segments = rawPath.slice(API_PREFIX.length).split('/').slice(1);
  const shapeMatches: { op: OperationSpec; params: PathParams; errors: BadRequestField[] }[] = [];
  for (const { op, segments: tpl } of compiled) {
    if (tpl.length !== segments.length) continue;
    const params: PathParams = {};
    const errors: BadRequestField[] = [];
    let literalMismatch = false;
    tpl.forEach((t, i) => {
      const actual = segments[i] ?? '';
      const name = paramName(t);
      if (!name) {
        if (t !== actual) literalMismatch = true;
        return;
      }
      const rule = PATH_PARAM_PATTERNS[name];
      if (actual.length === 0 || actual.length > rule.maxLength || !rule.pattern.test(actual)) {
        errors.push({
          field: name,
          description: `must match ${rule.pattern.source}, at most ${rule.maxLength} characters`,
        });
      }
      params[name] = actual;
    });
    if (!literalMismatch) shapeMatches.push({ op, params, errors });
  }
  if (shapeMatches.length === 0) return notFound(rawPath);
  // A literal segment beats a parameter (`snapshots/shardedClusters` vs `snapshots/{snapshotId}`).
  const valid = shapeMatches.filter((m) => m.errors.length === 0);
  const allowed = [...new Set(shapeMatches.map((m) => m.op.method))];
  const byMethod = valid.filter((m) => m.op.method === method || (method === 'HEAD' && m.op.method === 'GET'));
  const best = byMethod.sort((a, b) => literalCount(b.op) - literalCount(a.op))[0];
  if (best) return { ok: true, op: best.op, params: best.params };
  if (valid.length > 0) {
    return {
      ok: false,
      allowed,
      error: apiError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on this resource.`),
    };
  }
  const first = shapeMatches.sort((a, b) => literalCount(b.op) - literalCount(a.op))[0];
  const fields = first?.errors ?? [];
  return {
    ok: false,
    error: apiError(
      400,
      'INVALID_PATH_PARAMETER',
      `Invalid path parameter: ${fields.map((f) => f.field).join(', ')}.`,
      {
        badRequestDetail: { fields },
      },
    ),
  };
}

function literalCount(op: OperationSpec): number {
  return op.path.split('/').filter((s) => s && !s.startsWith('{')).length;
}

function notFound(path: string): RouteMatch {
  return {
    ok: false,
    error: apiError(404, 'RESOURCE_NOT_FOUND', `Cannot find resource ${path.slice(0, 200)}.`),
  };
}

export type QueryParse =
  { ok: true; values: Record<string, QueryValue>; unknown: string[] } | { ok: false; error: ApiError };

/**
 * Validates a query string against an operation's parameters: each allowed name at most once, values parsed as
 * the spec types them. Unknown names are reported, not rejected: Atlas ignores them and the caller decides.
 */
export function parseQuery(op: OperationSpec, search: URLSearchParams): QueryParse {
  const values: Record<string, QueryValue> = {};
  const unknown: string[] = [];
  const fields: BadRequestField[] = [];
  const seen = new Set<string>();
  for (const [name, raw] of search) {
    // Own names only: `constructor` or `__proto__` must not find Object.prototype's members.
    const spec = Object.hasOwn(op.query, name) ? op.query[name] : undefined;
    if (!spec) {
      unknown.push(name);
      continue;
    }
    if (seen.has(name)) {
      fields.push({ field: name, description: 'must be given at most once' });
      continue;
    }
    seen.add(name);
    const parsed = parseValue(spec, raw);
    if (parsed.ok) values[name] = parsed.value;
    else fields.push({ field: name, description: parsed.description });
  }
  if (fields.length > 0) {
    const first = fields[0]!;
    return {
      ok: false,
      error: apiError(400, 'INVALID_QUERY_PARAMETER', `Invalid query parameter ${first.field}: ${first.description}.`, {
        parameters: fields.map((f) => f.field),
        badRequestDetail: { fields },
      }),
    };
  }
  return { ok: true, values, unknown };
}

function parseValue(
  spec: QueryParamSpec,
  raw: string,
): { ok: true; value: QueryValue } | { ok: false; description: string } {
  switch (spec.type) {
    case 'boolean':
      if (raw === 'true' || raw === 'false') return { ok: true, value: raw === 'true' };
      return { ok: false, description: 'must be true or false' };
    case 'integer': {
      const range = `an integer${spec.min !== undefined ? ` >= ${spec.min}` : ''} and <= ${spec.max}`;
      // Canonical decimal only (no sign, leading zeros or exponent): what Atlas's int32/int64 parameters take.
      if (!/^(?:0|-?[1-9]\d{0,15})$/.test(raw)) return { ok: false, description: `must be ${range}` };
      const n = Number(raw);
      if (!Number.isSafeInteger(n) || (spec.min !== undefined && n < spec.min) || n > spec.max) {
        return { ok: false, description: `must be ${range}` };
      }
      return { ok: true, value: n };
    }
    case 'string':
      // Control characters never belong in a query value we forward.
      // eslint-disable-next-line no-control-regex
      if (raw.length > spec.maxLength || /[\u0000-\u001f\u007f]/.test(raw)) {
        return { ok: false, description: `must be at most ${spec.maxLength} printable characters` };
      }
      return { ok: true, value: raw };
  }
}

/** Builds the path (under API_PREFIX) of an operation from validated parameters. */
export function buildPath(op: OperationSpec, params: PathParams): string {
  return (
    API_PREFIX +
    op.path.replace(/\{(\w+)\}/g, (_, name: PathParamName) => {
      const value = params[name];
      if (value === undefined) throw new Error(`missing path parameter ${name}`);
      return encodeURIComponent(value);
    })
  );
}
