/**
 * The one way out to Atlas: an undici Pool bound to the configured origin. undici's defaults are unsafe for a
 * proxy (300 s timeouts, unbounded bodies), so every limit is explicit. Redirects are never followed: a
 * redirect could carry our Authorization header to another host.
 *
 * Each call is one `dispatch()` with a small handler that collects the body chunks into one Buffer: no response
 * stream, async iterator or per-call AbortController (what `request()` costs per call). undici itself is loaded
 * on the first call, not at start: the server answers /healthz before its 300 KB are compiled.
 */
import { setFlagsFromString } from 'node:v8';
import type * as UndiciModule from 'undici';
import type { Dispatcher, Pool } from 'undici';
import type { ProxySettings } from '../config.ts';
import { ByteBudget } from './budget.ts';

export interface UpstreamRequest {
  method: 'GET' | 'POST';
  /** Path and query exactly as sent; Digest signs this string. Always built from the operation table. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: Buffer<ArrayBuffer>;
  /** Time to the complete body, for logs. */
  ms: number;
}

/**
 * `busy`: the response did not fit the in-flight memory budget (the dashboard's refusal, not Atlas's).
 * `shutdown`: the shutdown grace period ended while the call was in flight.
 */
export type UpstreamFailure = 'timeout' | 'connect' | 'tls' | 'too-large' | 'network' | 'aborted' | 'busy' | 'shutdown';

export class UpstreamError extends Error {
  constructor(
    readonly kind: UpstreamFailure,
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

/**
 * Small bodies (token responses, Digest challenges, most errors) are not counted: at 32 connections that is
 * at most 2 MiB, and a token request refused for memory would pause every request behind a token back-off.
 */
const UNCOUNTED_BYTES = 64 * 1024;
/** Connections to Atlas, and so calls sent at once; the rest wait in the upstream's own queue. */
const CONNECTIONS = 32;

interface Waiting {
  u: Undici;
  req: UpstreamRequest;
  signal: AbortSignal | undefined;
  resolve: (r: UpstreamResponse) => void;
  reject: (e: UpstreamError) => void;
  onAbort: () => void;
}

/** Token requests and revocations are never refused for memory: their bodies are small and uncounted. */
const exempt = (req: UpstreamRequest) => req.method === 'POST';
const busyError = () => new UpstreamError('busy', 'the dashboard is reading too many large responses at once');

export interface Upstream {
  readonly origin: string;
  /** Shared by every response body being read; the proxy checks it before sending anything. */
  readonly budget: ByteBudget;
  send(req: UpstreamRequest, signal?: AbortSignal): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

export interface RawUpstream extends Upstream {
  /**
   * Aborts every call in flight now (shutdown's grace period is over) with an UpstreamError of kind
   * `shutdown`, so each waiting request still gets an answer. Later calls run normally (the token revocation).
   */
  abortInFlight(): void;
}

type Limits = Pick<
  ProxySettings,
  'connectTimeoutMs' | 'headersTimeoutMs' | 'bodyTimeoutMs' | 'maxResponseBytes' | 'maxInflightBytes'
>;

type Undici = typeof UndiciModule;
let undici: Undici | undefined;
let loadingUndici: Promise<Undici> | undefined;
/**
 * undici parses responses with llhttp compiled to WebAssembly. V8 compiles it with Liftoff, then recompiles the
 * hot parser with TurboFan in the background; that one compile peaks at about 30 MB of malloc and leaves 5 to 13
 * MB of resident memory behind for good (measured: RSS after the first Atlas call 57 MB instead of 64, after
 * cache-hit load 64.5 instead of 69). Liftoff's code is enough here: the parser reads headers and skips a body
 * of known length, and CPU per uncached request did not move measurably. The flag only affects WebAssembly
 * compiled after it is set, and nothing else in the server compiles any.
 */
const loadUndici = () =>
  (loadingUndici ??= Promise.resolve()
    .then(() => setFlagsFromString('--liftoff-only'))
    .then(() => import('undici'))
    .then((m) => (undici = m)));

export function createUpstream(origin: string, limits: Limits): RawUpstream {
  const budget = new ByteBudget(limits.maxInflightBytes);
  const inflight = new Set<Call>();
  let pool: Pool | undefined;
  let closed = false;
  const makePool = (u: Undici) =>
    new u.Pool(origin, {
      connect: { timeout: limits.connectTimeoutMs },
      headersTimeout: limits.headersTimeoutMs,
      // undici's bodyTimeout is per chunk; the whole-body deadline below catches a drip-fed body.
      bodyTimeout: limits.bodyTimeoutMs,
      maxResponseSize: limits.maxResponseBytes,
      keepAliveTimeout: 4_000,
      connections: CONNECTIONS,
    });
  /**
   * Calls wait for a connection here, not in undici's queue: the memory budget is checked when a call is about
   * to be sent, so a burst queued while the budget is full is refused (503 PROXY_BUSY) without reaching Atlas.
   * undici's own queue sent every queued request once a connection freed, budget or not.
   */
  let active = 0;
  const waiting: Waiting[] = [];
  const send = (u: Undici, w: Waiting) => {
    pool ??= makePool(u);
    active++;
    const call = new Call(u, limits, budget, w.resolve, w.reject, inflight, () => {
      active--;
      drain();
    });
    call.dispatch(pool, origin, w.req, w.signal);
  };
  const drain = () => {
    while (active < CONNECTIONS && waiting.length > 0) {
      const w = waiting.shift()!;
      w.signal?.removeEventListener('abort', w.onAbort);
      if (budget.full && !exempt(w.req)) w.reject(busyError());
      else send(w.u, w);
    }
  };
  const start = (u: Undici, req: UpstreamRequest, signal: AbortSignal | undefined) =>
    new Promise<UpstreamResponse>((resolve, reject) => {
      const w: Waiting = { u, req, signal, resolve, reject, onAbort: () => undefined };
      if (active < CONNECTIONS && waiting.length === 0) return send(u, w);
      if (signal?.aborted) return reject(new UpstreamError('aborted', 'request aborted by the client'));
      w.onAbort = () => {
        const i = waiting.indexOf(w);
        if (i >= 0) waiting.splice(i, 1);
        reject(new UpstreamError('aborted', 'request aborted by the client'));
      };
      signal?.addEventListener('abort', w.onAbort, { once: true });
      waiting.push(w);
    });
  const rejectWaiting = (err: UpstreamError) => {
    for (const w of waiting.splice(0)) {
      w.signal?.removeEventListener('abort', w.onAbort);
      w.reject(err);
    }
  };
  return {
    origin,
    budget,
    send(req, signal) {
      if (closed) return Promise.reject(new UpstreamError('network', 'connection to Atlas failed'));
      return undici ? start(undici, req, signal) : loadUndici().then((u) => start(u, req, signal));
    },
    abortInFlight() {
      const reason = new UpstreamError('shutdown', 'the dashboard is shutting down');
      rejectWaiting(reason);
      for (const call of inflight) call.cancel(reason);
    },
    async close() {
      closed = true;
      rejectWaiting(new UpstreamError('network', 'connection to Atlas failed'));
      for (const call of inflight) call.cancel();
      await pool?.close();
    },
  };
}

/** One exchange: undici's (legacy, unwrapped) dispatch handler, collecting the body into one Buffer. */
class Call implements Dispatcher.DispatchHandler {
  private readonly started = performance.now();
  private abortFn: ((reason?: Error) => void) | undefined;
  private reason: UpstreamError | undefined;
  private status = 0;
  private headers: Record<string, string | undefined> = {};
  private chunks: Buffer[] = [];
  private received = 0;
  private reserved = 0;
  private bodyTimer: NodeJS.Timeout | undefined;
  private signal: AbortSignal | undefined;
  private done = false;
  private readonly onAbort = () => this.abort(new UpstreamError('aborted', 'request aborted by the client'));

  constructor(
    private readonly u: Undici,
    private readonly limits: Limits,
    private readonly budget: ByteBudget,
    private readonly resolve: (r: UpstreamResponse) => void,
    private readonly reject: (e: UpstreamError) => void,
    private readonly inflight: Set<Call>,
    /** Called once when the call is over (its connection slot is free). */
    private readonly onDone: () => void = () => undefined,
  ) {}

  dispatch(pool: Pool, origin: string, req: UpstreamRequest, signal: AbortSignal | undefined): void {
    this.inflight.add(this);
    if (signal) {
      this.signal = signal;
      if (signal.aborted) this.onAbort();
      else signal.addEventListener('abort', this.onAbort, { once: true });
    }
    if (this.done) return;
    pool.dispatch(
      { origin, path: req.path, method: req.method, headers: req.headers, body: req.body ?? null },
      this as unknown as Dispatcher.DispatchHandler,
    );
  }

  /** Ends the call now, with this reason (shutdown, close). */
  cancel(reason?: UpstreamError): void {
    if (reason) this.abort(reason);
    else this.onAbort();
  }

  private abort(reason: UpstreamError): void {
    if (this.done) return;
    this.reason ??= reason;
    if (this.abortFn) this.abortFn(reason);
    else this.fail(reason);
  }

  onConnect(abort: (reason?: Error) => void): void {
    this.abortFn = abort;
    if (this.reason) abort(this.reason);
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], _resume: () => void): boolean {
    if (statusCode < 200) return true;
    this.status = statusCode;
    const headers = this.headers;
    const nameOf = this.u.util.headerNameToString;
    for (let i = 0; i < rawHeaders.length; i += 2) {
      const name = nameOf(rawHeaders[i]!);
      if (name === '__proto__') continue;
      const value = rawHeaders[i + 1]!.toString('latin1');
      const prev = headers[name];
      headers[name] = prev === undefined ? value : `${prev}, ${value}`;
    }
    const declared = Number(headers['content-length'] ?? 0);
    if (declared > this.limits.maxResponseBytes) {
      // Refuse up front instead of reading (and waiting for) a body we would discard anyway.
      this.abort(new UpstreamError('too-large', 'Atlas response exceeds the size limit'));
      return false;
    }
    this.bodyTimer = setTimeout(
      () => this.abort(new UpstreamError('timeout', 'Atlas did not finish its response in time')),
      this.limits.bodyTimeoutMs,
    );
    if (declared > UNCOUNTED_BYTES) return this.reserve(declared);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.done) return false;
    const received = (this.received += chunk.length);
    if (received > UNCOUNTED_BYTES && received > this.reserved && !this.reserve(received - this.reserved)) return false;
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.done) return;
    // One exact-size copy: a cached body must not pin the larger socket buffers its chunks may share.
    const body = Buffer.concat(this.chunks, this.received);
    this.finish();
    this.resolve({
      status: this.status,
      headers: this.headers,
      body: body as Buffer<ArrayBuffer>,
      ms: performance.now() - this.started,
    });
  }

  onError(err: Error): void {
    this.fail(classify(this.u, this.reason ?? err));
  }

  private reserve(bytes: number): boolean {
    if (this.budget.tryReserve(bytes)) {
      this.reserved += bytes;
      return true;
    }
    this.abort(busyError());
    return false;
  }

  private fail(err: UpstreamError): void {
    if (this.done) return;
    this.finish();
    this.reject(err);
  }

  private finish(): void {
    this.done = true;
    this.chunks = [];
    this.budget.release(this.reserved);
    this.reserved = 0;
    clearTimeout(this.bodyTimer);
    this.signal?.removeEventListener('abort', this.onAbort);
    this.inflight.delete(this);
    this.onDone();
  }
}

/** Maps undici and socket errors to the few kinds the proxy acts on. Messages carry no host or stack. */
function classify({ errors }: Undici, err: unknown): UpstreamError {
  if (err instanceof UpstreamError) return err;
  if (err instanceof errors.ConnectTimeoutError)
    return new UpstreamError('connect', 'could not connect to Atlas in time');
  if (err instanceof errors.HeadersTimeoutError) return new UpstreamError('timeout', 'Atlas did not answer in time');
  if (err instanceof errors.BodyTimeoutError) return new UpstreamError('timeout', 'Atlas stopped sending its response');
  if (err instanceof errors.ResponseExceededMaxSizeError)
    return new UpstreamError('too-large', 'Atlas response exceeds the size limit');
  const code = (err as { code?: unknown }).code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH') {
    return new UpstreamError('connect', 'could not connect to Atlas');
  }
  if (
    typeof code === 'string' &&
    (code.startsWith('ERR_TLS') || code.includes('CERT') || code === 'DEPTH_ZERO_SELF_SIGNED_CERT')
  ) {
    return new UpstreamError('tls', 'Atlas TLS certificate was not accepted');
  }
  return new UpstreamError('network', 'connection to Atlas failed');
}

/** Parses `Retry-After` (seconds or HTTP date) into milliseconds; undefined when absent or unusable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d{1,7}$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
