import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const SPEC_PATH = fileURLToPath(
  new URL('../../src/atlas/openapi/atlas-api-exports.openapi.yaml', import.meta.url),
);

/** The vendored OpenAPI extract, parsed (not dereferenced). */
export function loadSpec(): OpenApiDoc {
  return parse(readFileSync(SPEC_PATH, 'utf8')) as OpenApiDoc;
}

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: { type?: string; pattern?: string; minimum?: number; maximum?: number; default?: unknown };
  $ref?: string;
}
export interface OpenApiOperation {
  operationId: string;
  'x-xgen-operation-id-override'?: string;
  'x-rolesRequirements'?: string[];
  parameters?: OpenApiParameter[];
  responses: Record<string, { content?: Record<string, { schema: { $ref: string } }>; $ref?: string }>;
}
export interface OpenApiDoc {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { parameters: Record<string, OpenApiParameter>; schemas: Record<string, unknown> };
}

export function resolveParameter(doc: OpenApiDoc, p: OpenApiParameter): OpenApiParameter {
  if (!p.$ref) return p;
  const name = p.$ref.split('/').at(-1)!;
  const resolved = doc.components.parameters[name];
  if (!resolved) throw new Error(`unresolved ${p.$ref}`);
  return resolved;
}
