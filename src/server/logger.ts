/**
 * One JSON object per line. Every line passes through the redactor, so a secret that slips into a message or an
 * error still never reaches the log: the configured secrets and every token issued at runtime are registered.
 */
import { writeSync } from 'node:fs';
import type { LogLevel } from './config.ts';
import { createScrubber, type SecretLifetime } from './scrubber.ts';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /**
   * Registers a value that must never appear in a log line or a relayed body: a configured secret (`process`,
   * the default: kept for the life of the process) or an issued token (`token`: the newest 64 are kept).
   */
  addSecret(value: string, lifetime?: SecretLifetime): void;
  /** The log's redaction applied to other JSON text (an Atlas error body about to be relayed). */
  scrub(jsonText: string): string;
  /** Registered secrets and recent tokens removed from a successful Atlas body (the same Buffer if none). */
  scrubBody(body: Buffer<ArrayBuffer>): Buffer<ArrayBuffer>;
  /**
   * The per-request line at info level, written without a generic JSON pass: every field is the server's own
   * (a method the fast path accepted, a route template from the operation table, numbers, a cache status), so
   * there is nothing to redact; the route's JSON text is built once per route. Same keys, same order, same
   * line as `info('request', fields)` would write.
   */
  request(line: RequestLine): void;
}

export interface RequestLine {
  method: string;
  route: string;
  status: number;
  ms: number;
  upstreamMs?: number;
  cache?: string;
}

export interface LogSink {
  write(line: string): unknown;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(options: { level: LogLevel; sink?: LogSink; secrets?: readonly string[] }): Logger {
  const sink = options.sink ?? batchedStdout();
  const scrubber = createScrubber(options.secrets);
  const emit = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (RANK[level] < RANK[options.level]) return;
    // The replacer costs a call per key; request lines (all primitives) do not need it.
    const replacer = fields && !allPrimitive(fields) ? errorReplacer : undefined;
    const line = JSON.stringify({ time: isoNow(), level, msg, ...fields }, replacer);
    sink.write(scrubber.scrub(line) + '\n');
  };
  const infoOn = RANK.info >= RANK[options.level];
  // Route templates and methods are few: their JSON prefix is built once (method -> route -> prefix).
  const prefixes = new Map<string, Map<string, string>>();
  let cachedPrefixes = 0;
  const prefixOf = (method: string, route: string) => {
    let byRoute = prefixes.get(method);
    if (!byRoute) prefixes.set(method, (byRoute = new Map()));
    let prefix = byRoute.get(route);
    if (prefix === undefined) {
      prefix = scrubber.scrub(
        `","level":"info","msg":"request","method":${JSON.stringify(method)},"route":${JSON.stringify(route)},"status":`,
      );
      if (cachedPrefixes < 1024) {
        cachedPrefixes++;
        byRoute.set(route, prefix);
      }
    }
    return prefix;
  };
  const request = (r: RequestLine) => {
    if (!infoOn) return;
    let line = `{"time":"${isoNow()}${prefixOf(r.method, r.route)}${r.status},"ms":${r.ms}`;
    if (r.upstreamMs !== undefined) line += `,"upstreamMs":${r.upstreamMs}`;
    if (r.cache !== undefined) line += `,"cache":${JSON.stringify(r.cache)}`;
    sink.write(line + '}\n');
  };
  return {
    request,
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    addSecret: (value, lifetime) => scrubber.add(value, lifetime),
    scrub: (text) => scrubber.scrub(text),
    scrubBody: (body) => scrubber.scrubBody(body),
  };
}

let isoMs = 0;
let isoText = '';
/** `new Date().toISOString()`, formatted at most once per millisecond (request lines come thousands a second). */
function isoNow(): string {
  const now = Date.now();
  if (now !== isoMs) {
    isoMs = now;
    isoText = new Date(now).toISOString();
  }
  return isoText;
}

function allPrimitive(fields: LogFields): boolean {
  for (const key in fields) {
    const v = fields[key];
    if (v !== null && typeof v === 'object') return false;
  }
  return true;
}

let stdoutSink: LogSink | undefined;

/**
 * stdout, written once per event-loop turn instead of once per line: under load that is one write for many
 * request lines instead of a syscall each. Whatever is pending when the process exits (a crash included) is
 * written synchronously on the way out.
 */
export function batchedStdout(): LogSink {
  if (stdoutSink) return stdoutSink;
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const chunk = pending.join('');
    pending = [];
    process.stdout.write(chunk);
  };
  process.on('exit', () => {
    if (pending.length > 0) writeSync(1, pending.join(''));
    pending = [];
  });
  stdoutSink = {
    write(line: string) {
      if (pending.push(line) === 1) setImmediate(flush);
    },
  };
  return stdoutSink;
}

/** Errors serialize to name + message (+ code): never a stack, which may carry paths and arguments. */
function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { name: value.name, message: value.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return value;
}

/** A logger that keeps lines in memory, for tests. */
export function memorySink(): LogSink & { lines: string[] } {
  const lines: string[] = [];
  return { lines, write: (line: string) => lines.push(line) };
}
