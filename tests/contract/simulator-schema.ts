/**
 * A strict JSON Schema validator over the vendored OpenAPI extract, for contract tests.
 * OpenAPI 3.0 is not JSON Schema, so each component schema is rewritten once:
 * - `nullable: true` becomes a `null` member of `type` (and of `enum`);
 * - every object with `properties` gets `additionalProperties: false`, so an extra or misspelled field fails;
 * - polymorphic schemas are flattened: a child `allOf: [Base, ext]` becomes one closed object with Base's and
 *   ext's properties and its discriminator pinned to its mapping key; a discriminated Base becomes a `oneOf` of
 *   its children; an undiscriminated `oneOf` (whose branches may overlap) becomes an `anyOf` of closed objects;
 * - annotation keywords (readOnly, discriminator, example, x-*) are dropped.
 * Refs stay refs (`#/definitions/Name`), so the spec's circular Base <-> child references are fine.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { loadSpec } from '../support/spec.ts';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const refName = (ref: unknown) => (typeof ref === 'string' ? ref.replace('#/components/schemas/', '') : undefined);
const DROP = new Set([
  'discriminator',
  'example',
  'externalDocs',
  'readOnly',
  'writeOnly',
  'nullable',
  'title',
  'description',
]);

export function buildDefinitions(): Record<string, Json> {
  const raw = loadSpec().components.schemas as Record<string, Json>;
  const discriminatorOf = (child: string): { prop: string; key: string } | undefined => {
    for (const s of Object.values(raw)) {
      const d = s.discriminator as { propertyName: string; mapping: Record<string, string> } | undefined;
      const key = d && Object.entries(d.mapping).find(([, ref]) => refName(ref) === child)?.[0];
      if (d && key) return { prop: d.propertyName, key };
    }
    return undefined;
  };
  const closed = (properties: Json, required: unknown): Json => ({
    type: 'object',
    properties: convertProps(properties),
    additionalProperties: false,
    ...(Array.isArray(required) && required.length > 0 ? { required } : {}),
  });
  function convertProps(props: Json): Json {
    return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, convert(v)]));
  }
  function convert(s: unknown): unknown {
    if (Array.isArray(s)) return s.map(convert);
    if (!isObj(s)) return s;
    if (typeof s.$ref === 'string') return { $ref: `#/definitions/${refName(s.$ref)}` };
    const out: Json = {};
    for (const [k, v] of Object.entries(s)) {
      if (DROP.has(k) || k.startsWith('x-')) continue;
      out[k] = k === 'properties' && isObj(v) ? convertProps(v) : convert(v);
    }
    if (s.nullable === true) {
      if (typeof out.type === 'string') out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    }
    if (isObj(s.discriminator) && isObj(s.discriminator.mapping)) {
      return {
        oneOf: Object.values(s.discriminator.mapping).map((ref) => ({ $ref: `#/definitions/${refName(ref)}` })),
      };
    }
    if (Array.isArray(s.oneOf) && isObj(s.properties)) {
      // Base with overlapping variants (hardware specs): any variant, each closed over base + variant fields.
      return {
        anyOf: (s.oneOf as Json[]).map((b) => {
          const child = raw[refName(b.$ref) ?? ''] ?? {};
          return closed({ ...(s.properties as Json), ...((child.properties as Json) ?? {}) }, child.required);
        }),
      };
    }
    if (Array.isArray(s.oneOf)) {
      delete out.oneOf;
      out.anyOf = convert(s.oneOf);
      // Spec defect: regionName is `type: object` over a oneOf of string enums. The branches carry the type.
      if (out.type === 'object' && !isObj(s.properties)) delete out.type;
    }
    if (isObj(out.properties) && out.additionalProperties === undefined && !out.allOf) out.additionalProperties = false;
    return out;
  }
  const defs: Record<string, Json> = {};
  for (const [name, s] of Object.entries(raw)) {
    const parts = s.allOf as Json[] | undefined;
    if (!parts) {
      defs[name] = convert(s) as Json;
      continue;
    }
    let props: Json = {};
    for (const p of parts) {
      const src = typeof p.$ref === 'string' ? (raw[refName(p.$ref) ?? ''] ?? {}) : p;
      props = { ...props, ...((src.properties as Json) ?? {}) };
    }
    defs[name] = closed(props, s.required);
  }
  // Each discriminated child accepts only its own mapping key (an AWS bucket cannot claim cloudProvider GCP).
  for (const [name, def] of Object.entries(defs)) {
    const d = discriminatorOf(name);
    if (d && isObj(def.properties)) def.properties[d.prop] = { enum: [d.key] };
  }
  // Spec defect: DiskBackupExportJob.prefix carries the documentation template
  // "/exported_snapshots/{ORG-NAME}/..." as its `pattern`; no real prefix matches it, so only the type is checked.
  const job = defs.DiskBackupExportJob?.properties as Record<string, Json> | undefined;
  if (job?.prefix) job.prefix = { type: 'string' };
  return defs;
}

export interface SchemaValidator {
  /** Validation errors as text, or undefined when `data` conforms to components.schemas[name]. */
  check(name: string, data: unknown): string | undefined;
}

export function createValidator(defs = buildDefinitions()): SchemaValidator {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
  addFormats(ajv);
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
  });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  // The spec types ApiError.parameters as objects, but Atlas sends plain strings and numbers there
  // (CONTRACT.md section 4); accept any item so the simulator can answer as Atlas does.
  const apiErrorProps = defs.ApiError?.properties as Record<string, Json> | undefined;
  if (apiErrorProps?.parameters) apiErrorProps.parameters = { type: 'array', items: {} };
  ajv.addSchema({ $id: 'atlas', definitions: defs });
  const cache = new Map<string, ValidateFunction>();
  return {
    check(name, data) {
      if (!defs[name]) throw new Error(`no schema ${name}`);
      let v = cache.get(name);
      if (!v) {
        v = ajv.compile({ $ref: `atlas#/definitions/${name}` });
        cache.set(name, v);
      }
      if (v(data)) return undefined;
      // A drifted field repeats on every row of a page: name the first few, count the rest.
      const errors = v.errors ?? [];
      const more = errors.length > 5 ? ` (and ${errors.length - 5} more)` : '';
      return ajv.errorsText(errors.slice(0, 5), { dataVar: name }) + more;
    },
  };
}
