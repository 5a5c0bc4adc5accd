/**
 * The one place that knows what a credential looks like. The logger runs every line through it, and the proxy
 * every Atlas error body it relays, so a secret that an error message or an upstream echoes never leaves the
 * process. Registered values (the configured secrets, every token issued at runtime) are removed verbatim;
 * credential-shaped values (`Bearer …`, `Basic …`, `Digest username=…`) by shape, in case one arrives that was
 * never registered.
 */

const MAX_SECRETS = 64;
/**
 * Works on JSON text (a log line, a serialized error body): a Digest header runs to the end of the JSON string
 * it sits in, and the replacement holds no quote or backslash, so the text stays valid JSON.
 */
const CREDENTIAL_SHAPES =
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}|\b(Digest)\s+(?:username|realm|nonce|response)=(?:[^"\\]|\\.)*/g;

export interface Scrubber {
  /** Registers a value that must never leave the process (a secret, an issued token). */
  add(value: string): void;
  /** Returns JSON text with every registered value and credential-shaped string replaced by `[REDACTED]`. */
  scrub(jsonText: string): string;
}

export function createScrubber(initial: readonly string[] = []): Scrubber {
  const secrets = new Set<string>();
  const add = (value: string) => {
    if (value.length < 4) return;
    secrets.add(value);
    // Tokens rotate: keep only the newest ones so the set (and the cost per line) stays bounded.
    if (secrets.size > MAX_SECRETS) secrets.delete(secrets.values().next().value as string);
  };
  for (const s of initial) add(s);
  const scrub = (text: string): string => {
    let out = text.replace(CREDENTIAL_SHAPES, (_m, a?: string, b?: string) => `${a ?? b} [REDACTED]`);
    for (const s of secrets) if (out.includes(s)) out = out.split(s).join('[REDACTED]');
    return out;
  };
  return { add, scrub };
}

/** Scrubs one plain string (not JSON text) with a JSON-text scrubber. */
export function scrubString(scrub: (jsonText: string) => string, text: string): string {
  const parsed: unknown = JSON.parse(scrub(JSON.stringify(text)));
  return typeof parsed === 'string' ? parsed : '[REDACTED]';
}
