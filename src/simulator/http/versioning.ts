import { apiError, mediaType, type ApiError, type AtlasVersion } from '../../atlas/index.ts';

const VERSIONED = /^application\/vnd\.atlas\.(\d{4}-\d{2}-\d{2})\+json$/i;

export type Negotiated = { ok: true; version: AtlasVersion; contentType: string } | { ok: false; error: ApiError };

/**
 * Atlas's per-resource versioning: the Accept header must name a date. A date on or after the resource's version
 * gets the newest version on or before it (each of our operations has exactly one version at 2025-03-12); a
 * missing or unversioned Accept, or an earlier or impossible date, gets 406 INVALID_VERSION_DATE.
 */
export function negotiate(accept: string | undefined, versions: readonly AtlasVersion[]): Negotiated {
  let best: AtlasVersion | undefined;
  for (const part of (accept ?? '').split(',')) {
    const m = VERSIONED.exec(part.split(';')[0]!.trim());
    if (!m || !isRealDate(m[1]!)) continue;
    const date = m[1]!;
    const served = [...versions]
      .filter((v) => v <= date)
      .sort()
      .at(-1);
    if (served && (!best || served > best)) best = served;
  }
  if (!best)
    return { ok: false, error: apiError(406, 'INVALID_VERSION_DATE', 'Invalid accept header or version date.') };
  return { ok: true, version: best, contentType: mediaType(best) };
}

function isRealDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}
