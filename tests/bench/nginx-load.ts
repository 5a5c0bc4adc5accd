/** The wrk-driven part of the nginx comparison, interleaved round by round so drift hits both alike. */
import type { RunningSimulator } from '../../src/simulator/server.ts';
import type { Nginx } from './nginx-conf.ts';
import { median, simCalls, type Served } from './procs.ts';
import { wrk, writeScript, type WrkRun } from './wrk.ts';

const ROUNDS = 3;
/** Cache-hit req/s swings by a quarter from run to run here: more rounds for it too. */
const HIT_ROUNDS = 5;
/** The 1-connection p50s are the noisiest figure (tenths of a millisecond on a shared machine): more rounds. */
const LATENCY_ROUNDS = 5;
const SECONDS = 5;
const LATENCY_SECONDS = 3;

export interface Cold {
  calls: number;
  p50: number;
  max: number;
}

export interface LoadFigures {
  rounds: number;
  hitRounds: number;
  latencyRounds: number;
  seconds: number;
  latencySeconds: number;
  proxyHitRps: number;
  nginxHitRps: number;
  proxyPassRps: number;
  nginxPassRps: number;
  directPassRps: number;
  directP50: number;
  proxyUncachedP50: number;
  nginxUncachedP50: number;
  /** The minimal Node proxy (node-floor.mjs), the same figures. */
  floorHitRps: number;
  floorPassRps: number;
  floorUncachedP50: number;
  proxyCold: Cold;
  nginxCold: Cold;
  runs: { hit: string; pass: string; latency: string };
}

interface Targets {
  dir: string;
  sim: RunningSimulator;
  exportsPath: string;
  direct: { origin: string; headers: Record<string, string> };
  cached: Served;
  pass: Served;
  nginx: Nginx | undefined;
  floor: { cached: Served; pass: Served };
}

export async function measureLoad(t: Targets): Promise<LoadFigures> {
  const script = writeScript(t.dir);
  const page = `${t.exportsPath}?itemsPerPage=100&pageNum=1`;
  const distinct = `${t.exportsPath}?itemsPerPage=10`;
  const run = (r: Partial<WrkRun> & { origin: string }) =>
    wrk(script, { target: page, connections: 32, seconds: SECONDS, ...r });
  const n = t.nginx;
  await checkNginxCaches(n, page);
  const f = t.floor;
  for (const origin of [t.cached.url, t.pass.url, f.cached.url, f.pass.url, ...(n ? [n.cacheUrl, n.passUrl] : [])])
    await run({ origin, seconds: 1 });
  const acc = {
    proxyHit: [],
    nginxHit: [],
    proxyPass: [],
    nginxPass: [],
    directPass: [],
    direct: [],
    proxyLat: [],
    nginxLat: [],
    floorHit: [],
    floorPass: [],
    floorLat: [],
  } as Record<string, number[]>;
  const push = (k: string, v: number) => acc[k]!.push(v);
  for (let i = 0; i < HIT_ROUNDS; i++) {
    if (n) push('nginxHit', (await run({ origin: n.cacheUrl })).rps);
    push('proxyHit', (await run({ origin: t.cached.url })).rps);
    push('floorHit', (await run({ origin: f.cached.url })).rps);
  }
  for (let i = 0; i < ROUNDS; i++) {
    if (n) push('nginxPass', (await run({ origin: n.passUrl, target: distinct, distinct: true })).rps);
    push('proxyPass', (await run({ origin: t.pass.url, target: distinct, distinct: true })).rps);
    push('floorPass', (await run({ origin: f.pass.url, target: distinct, distinct: true })).rps);
    push('directPass', (await run({ ...t.direct, target: distinct, distinct: true })).rps);
  }
  for (let i = 0; i < LATENCY_ROUNDS; i++) {
    const c1 = { connections: 1, seconds: LATENCY_SECONDS };
    push('direct', (await run({ ...t.direct, ...c1 })).p50Ms);
    if (n) push('nginxLat', (await run({ origin: n.passUrl, ...c1 })).p50Ms);
    push('proxyLat', (await run({ origin: t.pass.url, ...c1 })).p50Ms);
    push('floorLat', (await run({ origin: f.pass.url, ...c1 })).p50Ms);
  }
  const m = (k: string) => median(acc[k]!);
  const list = (k: string) => acc[k]!.map((x) => Math.round(x)).join('/');
  const ms = (k: string) => acc[k]!.map((x) => x.toFixed(2)).join('/');
  return {
    rounds: ROUNDS,
    hitRounds: HIT_ROUNDS,
    latencyRounds: LATENCY_ROUNDS,
    seconds: SECONDS,
    latencySeconds: LATENCY_SECONDS,
    proxyHitRps: m('proxyHit'),
    nginxHitRps: n ? m('nginxHit') : NaN,
    proxyPassRps: m('proxyPass'),
    nginxPassRps: n ? m('nginxPass') : NaN,
    directPassRps: m('directPass'),
    directP50: m('direct'),
    proxyUncachedP50: m('proxyLat'),
    nginxUncachedP50: n ? m('nginxLat') : NaN,
    floorHitRps: m('floorHit'),
    floorPassRps: m('floorPass'),
    floorUncachedP50: m('floorLat'),
    proxyCold: await cold(t.sim.url, `${t.cached.url}${t.exportsPath}?itemsPerPage=100&pageNum=7`),
    nginxCold: n
      ? await cold(t.sim.url, `${n.cacheUrl}${t.exportsPath}?itemsPerPage=100&pageNum=8`)
      : { calls: NaN, p50: NaN, max: NaN },
    runs: {
      hit: `nginx ${n ? list('nginxHit') : '-'}, proxy ${list('proxyHit')}, node floor ${list('floorHit')}`,
      pass: `nginx ${n ? list('nginxPass') : '-'}, proxy ${list('proxyPass')}, node floor ${list('floorPass')}, direct ${list('directPass')}`,
      latency: `direct ${ms('direct')}, nginx ${n ? ms('nginxLat') : '-'}, proxy ${ms('proxyLat')}, node floor ${ms('floorLat')}`,
    },
  };
}

/** A figure that compares against a cache that does not cache would be worthless: check it first. */
async function checkNginxCaches(n: Nginx | undefined, page: string): Promise<void> {
  if (!n) return;
  await (await fetch(n.cacheUrl + page)).arrayBuffer();
  const second = await fetch(n.cacheUrl + page);
  await second.arrayBuffer();
  if (second.headers.get('x-cache-status') !== 'HIT')
    throw new Error(
      `nginx proxy_cache is not caching: HTTP ${second.status}, X-Cache-Status ${second.headers.get('x-cache-status')}`,
    );
}

/** 200 concurrent requests for one uncached page while Atlas takes 200 ms: Atlas calls, and how long each waited. */
async function cold(simUrl: string, url: string): Promise<Cold> {
  await fetch(`${simUrl}/__sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ match: 'listGroupClusterBackupExports', latencyMs: 200, times: 1 }),
  });
  const before = await simCalls(simUrl);
  const times = await Promise.all(
    Array.from({ length: 200 }, async () => {
      const t0 = performance.now();
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`cold run: HTTP ${res.status}`);
      return performance.now() - t0;
    }),
  );
  return { calls: (await simCalls(simUrl)) - before, p50: median(times), max: Math.max(...times) };
}
