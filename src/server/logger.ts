/**
 * One JSON object per line. Every line passes through the redactor, so a secret that slips into a message or an
 * error still never reaches the log: the configured secrets and every token issued at runtime are registered.
 */
import { writeSync } from 'node:fs';
import type { LogLevel } from './config.ts';
import { createScrubber } from './scrubber.ts';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** Registers a value that must never appear in a log line (a secret, an issued token). */
  addSecret(value: string): void;
  /** The log's redaction applied to other JSON text (an Atlas error body about to be relayed). */
  scrub(jsonText: string): string;
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
    const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }, replacer);
    sink.write(scrubber.scrub(line) + '\n');
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    addSecret: (value) => scrubber.add(value),
    scrub: (text) => scrubber.scrub(text),
  };
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
