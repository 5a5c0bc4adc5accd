/**
 * wrk, the load generator for the nginx comparison (a C generator: on 2 cores a JavaScript one saturates its own
 * core first and makes nginx and the proxy look alike). One Lua script: a fixed URL, or `distinct` URLs (pageNum
 * cycling over 125 pages, each thread on its own stretch) so nothing can be cached or coalesced; results come
 * back as one JSON line from wrk's done() hook, latencies in microseconds.
 */
import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

export const onPath = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

const SCRIPT = `
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
function init(args)
  target = args[1]
  mode = args[2] or "fixed"
  n = (tid or 0) * 62
end
function request()
  if mode == "distinct" then
    n = n + 1
    return wrk.format("GET", target .. "&pageNum=" .. (n % 125 + 1))
  end
  return wrk.format("GET", target)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"non2xx":%d,"errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
`;

export interface WrkResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  bad: number;
}

export interface WrkRun {
  origin: string;
  target: string;
  distinct?: boolean;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
}

export function writeScript(dir: string): string {
  const file = path.join(dir, 'bench.lua');
  writeFileSync(file, SCRIPT);
  return file;
}

export async function wrk(script: string, run: WrkRun): Promise<WrkResult> {
  const threads = run.connections > 1 ? 2 : 1;
  const args = ['-t', String(threads), '-c', String(run.connections), '-d', `${run.seconds}s`, '-s', script];
  for (const [k, v] of Object.entries(run.headers ?? {})) args.push('-H', `${k}: ${v}`);
  args.push(run.origin, '--', run.target, run.distinct ? 'distinct' : 'fixed');
  const { stdout } = await promisify(execFile)('wrk', args, { timeout: (run.seconds + 30) * 1000 });
  const line = stdout.split('\n').find((l) => l.startsWith('{"requests"'));
  if (!line) throw new Error(`wrk printed no result: ${stdout.slice(0, 500)}`);
  const r = JSON.parse(line) as {
    requests: number;
    durationUs: number;
    p50Us: number;
    p99Us: number;
    non2xx: number;
    errors: number;
  };
  return {
    rps: r.requests / (r.durationUs / 1e6),
    p50Ms: r.p50Us / 1000,
    p99Ms: r.p99Us / 1000,
    bad: r.non2xx + r.errors,
  };
}
