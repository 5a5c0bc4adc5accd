/**
 * The one way out to Atlas: an undici Agent bound to the configured origin. undici's defaults are unsafe for a
 * proxy (300 s timeouts, unbounded bodies), so every limit is explicit. Redirects are never followed: a
 * redirect could carry our Authorization header to another host.
 */
import { Agent, errors } from 'undici';
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

/** `busy`: the response did not fit the in-flight memory budget (the dashboard's refusal, not Atlas's). */
export type UpstreamFailure = 'timeout' | 'connect' | 'tls' | 'too-large' | 'network' | 'aborted' | 'busy';

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

export interface Upstream {
  readonly origin: string;
  /** Shared by every response body being read; the proxy checks it before sending anything. */
  readonly budget: ByteBudget;
  send(req: UpstreamRequest, signal?: AbortSignal): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

type Limits = Pick<
  ProxySettings,
  'connectTimeoutMs' | 'headersTimeoutMs' | 'bodyTimeoutMs' | 'maxResponseBytes' | 'maxInflightBytes'
>;

export function createUpstream(origin: string, limits: Limits): Upstream {
  const agent = new Agent({
    connect: { timeout: limits.connectTimeoutMs },
    headersTimeout: limits.headersTimeoutMs,
    // undici's bodyTimeout is per chunk; the whole-body deadline below catches a drip-fed body.
    bodyTimeout: limits.bodyTimeoutMs,
    maxResponseSize: limits.maxResponseBytes,
    keepAliveTimeout: 4_000,
    connections: 32,
  });
  const budget = new ByteBudget(limits.maxInflightBytes);
  return {
    origin,
    budget,
    send: (req, signal) => send(agent, origin, limits, budget, req, signal),
    close: () => agent.close(),
  };
}

async function send(
  agent: Agent,
  origin: string,
  limits: Limits,
  budget: ByteBudget,
  req: UpstreamRequest,
  outer?: AbortSignal,
): Promise<UpstreamResponse> {
  const started = performance.now();
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(new UpstreamError('aborted', 'request aborted by the client'));
  if (outer?.aborted) onOuterAbort();
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  let bodyTimer: NodeJS.Timeout | undefined;
  let reserved = 0;
  try {
    const res = await agent.request({
      origin,
      path: req.path,
      method: req.method,
      headers: req.headers,
      body: req.body ?? null,
      signal: controller.signal,
    });
    const declared = Number(res.headers['content-length'] ?? 0);
    if (declared > limits.maxResponseBytes) {
      // Refuse up front instead of reading (and waiting for) a body we would discard anyway.
      res.body.destroy();
      throw new UpstreamError('too-large', 'Atlas response exceeds the size limit');
    }
    bodyTimer = setTimeout(
      () => controller.abort(new UpstreamError('timeout', 'Atlas did not finish its response in time')),
      limits.bodyTimeoutMs,
    );
    const reserve = (bytes: number) => {
      if (!budget.tryReserve(bytes)) {
        res.body.destroy();
        throw new UpstreamError('busy', 'the dashboard is reading too many large responses at once');
      }
      reserved += bytes;
    };
    if (declared > UNCOUNTED_BYTES) reserve(declared);
    const chunks: Buffer[] = [];
    let received = 0;
    for await (const chunk of res.body) {
      const buf = chunk as Buffer;
      received += buf.length;
      if (received > UNCOUNTED_BYTES && received > reserved) reserve(received - reserved);
      chunks.push(buf);
    }
    return {
      status: res.statusCode,
      headers: flatten(res.headers),
      body: Buffer.concat(chunks, received),
      ms: performance.now() - started,
    };
  } catch (err) {
    throw classify(err, controller.signal);
  } finally {
    budget.release(reserved);
    clearTimeout(bodyTimer);
    outer?.removeEventListener('abort', onOuterAbort);
  }
}

function flatten(headers: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Maps undici and socket errors to the few kinds the proxy acts on. Messages carry no host or stack. */
function classify(err: unknown, signal: AbortSignal): UpstreamError {
  if (signal.aborted && signal.reason instanceof UpstreamError) return signal.reason;
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
