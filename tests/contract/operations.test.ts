import { describe, expect, it } from 'vitest';
import {
  API_PREFIX,
  OPERATIONS,
  PATH_PARAM_PATTERNS,
  mediaType,
  type PathParamName,
} from '../../src/atlas/operations.ts';
import { loadSpec, resolveParameter } from '../support/spec.ts';

const doc = loadSpec();
const specOps = Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
);

describe('the operation table matches the vendored spec', () => {
  it('lists exactly the 17 operations of the extract', () => {
    expect(specOps).toHaveLength(17);
    expect(OPERATIONS.map((o) => o.operationId).sort()).toEqual(specOps.map((s) => s.op.operationId).sort());
  });

  for (const entry of OPERATIONS) {
    it(`${entry.operationId}: method, path, media type, parameters, schema, errors, role`, () => {
      const spec = specOps.find((s) => s.op.operationId === entry.operationId);
      expect(spec).toBeDefined();
      const { path, method, op } = spec!;
      expect(method).toBe(entry.method);
      expect(path).toBe(API_PREFIX + entry.path);
      expect(op['x-xgen-operation-id-override'] ?? op.operationId).toBe(entry.sdkName);
      const ok = op.responses['200']!.content!;
      expect(Object.keys(ok)).toEqual([mediaType(entry.version)]);
      expect(ok[mediaType(entry.version)]!.schema.$ref).toBe(`#/components/schemas/${entry.responseSchema}`);
      expect(
        Object.keys(op.responses)
          .filter((s) => s !== '200')
          .map(Number),
      ).toEqual([...entry.errorStatuses]);
      expect(op['x-rolesRequirements']?.[0]).toBe('role' in entry ? entry.role : undefined);

      const params = (op.parameters ?? []).map((p) => resolveParameter(doc, p));
      const query = params.filter((p) => p.in === 'query');
      expect(query.map((p) => p.name).sort()).toEqual(Object.keys(entry.query).sort());
      for (const p of query) {
        const mine = entry.query[p.name as keyof typeof entry.query] as unknown as Record<string, unknown>;
        expect(mine.type).toBe(p.schema?.type);
        if (p.schema?.minimum !== undefined) expect(mine.min).toBe(p.schema.minimum);
        if (p.schema?.maximum !== undefined) expect(mine.max).toBe(p.schema.maximum);
        if (p.schema?.default !== undefined) expect(mine.default).toBe(p.schema.default);
      }
      const pathParams = params.filter((p) => p.in === 'path');
      const templateNames = [...entry.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(pathParams.map((p) => p.name).sort()).toEqual([...templateNames].sort());
      for (const p of pathParams) {
        expect(PATH_PARAM_PATTERNS[p.name as PathParamName].pattern.source).toBe(p.schema?.pattern);
      }
      expect(entry.paginated).toBe(query.some((p) => p.name === 'pageNum'));
    });
  }
});
