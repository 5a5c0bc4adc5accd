/**
 * The one place that knows what a credential looks like. The logger runs every line through it, and the proxy
 * every Atlas body it relays (errors and successes), so a secret that an error message or an upstream echoes
 * never leaves the process. Registered values are removed verbatim; credential-shaped values (`Bearer …`,
 * `Basic …`, `Digest username=…`) by shape, in case one arrives that was never registered.
 *
 * Two kinds of registered value: the configured secrets, kept for the life of the process whatever else is
 * registered, and issued tokens, which rotate (one an hour) and are kept newest-first up to a bound. The bound
 * once applied to both, so after 64 renewals the configured client secret was the one dropped.
 */

const MAX_TOKENS = 64;
/** A token Atlas echoes in a body is one the proxy is using: bodies are searched for the newest few only. */
const BODY_TOKENS = 4;
/**
 * Works on JSON text (a log line, a serialized error body): a Digest header runs to the end of the JSON string
 * it sits in, and the replacement holds no quote or backslash, so the text stays valid JSON.
 */
const CREDENTIAL_SHAPES =
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}|\b(Digest)\s+(?:username|realm|nonce|response)=(?:[^"\\]|\\.)*/g;
const REDACTED = Buffer.from('[REDACTED]');

export type SecretLifetime = 'process' | 'token';

export interface Scrubber {
  /**
   * Registers a value that must never leave the process: `process` (the default) for configured secrets, kept
   * until exit; `token` for issued tokens, of which the newest 64 are kept.
   */
  add(value: string, lifetime?: SecretLifetime): void;
  /** Returns JSON text with every registered value and credential-shaped string replaced by `[REDACTED]`. */
  scrub(jsonText: string): string;
  /**
   * A successful Atlas body (JSON bytes) with every configured secret and recent token replaced by
   * `[REDACTED]`; the same Buffer when none occurs (the common case costs a few byte searches).
   */
  scrubBody(body: Buffer<ArrayBuffer>): Buffer<ArrayBuffer>;
}

export function createScrubber(initial: readonly string[] = []): Scrubber {
  const pinned = new Set<string>();
  const tokens = new Set<string>();
  let bodyNeedles: Buffer[] | null = null;
  const add = (value: string, lifetime: SecretLifetime = 'process') => {
    if (value.length < 4) return;
    bodyNeedles = null;
    if (lifetime === 'process') {
      pinned.add(value);
      tokens.delete(value);
      return;
    }
    if (pinned.has(value)) return;
    tokens.delete(value);
    tokens.add(value);
    // Tokens rotate: keep only the newest ones so the set (and the cost per line) stays bounded.
    if (tokens.size > MAX_TOKENS) tokens.delete(tokens.values().next().value as string);
  };
  for (const s of initial) add(s, 'process');
  const scrub = (text: string): string => {
    let out = text.replace(CREDENTIAL_SHAPES, (_m, a?: string, b?: string) => `${a ?? b} [REDACTED]`);
    for (const set of [pinned, tokens]) for (const s of set) if (out.includes(s)) out = out.split(s).join('[REDACTED]');
    return out;
  };
  const scrubBody = (body: Buffer<ArrayBuffer>): Buffer<ArrayBuffer> => {
    bodyNeedles ??= [...pinned, ...[...tokens].slice(-BODY_TOKENS)].map((s) => Buffer.from(s));
    let out = body;
    for (const needle of bodyNeedles) {
      let at = out.indexOf(needle);
      if (at < 0) continue;
      const parts: Buffer<ArrayBuffer>[] = [];
      let from = 0;
      while (at >= 0) {
        parts.push(out.subarray(from, at), REDACTED);
        from = at + needle.length;
        at = out.indexOf(needle, from);
      }
      parts.push(out.subarray(from));
      out = Buffer.concat(parts);
    }
    return out;
  };
  return { add, scrub, scrubBody };
}

/** Scrubs one plain string (not JSON text) with a JSON-text scrubber. */
export function scrubString(scrub: (jsonText: string) => string, text: string): string {
  const parsed: unknown = JSON.parse(scrub(JSON.stringify(text)));
  return typeof parsed === 'string' ? parsed : '[REDACTED]';
}
