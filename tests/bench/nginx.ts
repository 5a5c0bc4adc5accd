/**
 * The proxy side by side with nginx 1.22 (one worker) in front of the same simulator (rate limits off), driven
 * by wrk, every figure a ratio from this one run (~4 minutes): cache-hit req/s at 32 connections, added p50 with
 * nothing cached at 1 connection (vs the simulator direct), pass-through req/s with every URL distinct, start to
 * /healthz of the compiled server, idle memory, 200 concurrent cold requests, and Digest exchanges per miss.
 * Beside them runs the floor for any Node proxy (node-floor.mjs: node:http and one undici Pool, nothing else), so
 * a gap to nginx splits into what Node costs and what the proxy adds.
 * Needs `wrk` (and `nginx` for the nginx columns) on the PATH; skips what is missing and says so.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mediaType, operation } from '../../src/atlas/index.ts';
import { SIMULATOR_CREDENTIALS as SIM } from '../../src/simulator/credentials.ts';
import { startSimulator } from '../../src/simulator/server.ts';
import { token } from '../support/sim-client.ts';
import { startNginx, type Nginx } from './nginx-conf.ts';
import {
  freePort,
  median,
  ROOT,
  round,
  rssMb,
  rssTreeMb,
  simCalls,
  startCompiled,
  startFloor,
  waitFor200,
  type Served,
} from './procs.ts';
import { measureLoad, type LoadFigures } from './nginx-load.ts';
import type { BenchSection } from './types.ts';
import { onPath } from './wrk.ts';

const OP = 'listGroupClusterBackupExports';

export async function run(): Promise<BenchSection> {
  if (!onPath('wrk'))
    return { name: 'nginx', rows: [], notes: ['wrk is not on the PATH (apt-get install -y wrk): section skipped'] };
  const build = spawnSync(process.execPath, ['scripts/build-server.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('building the server failed');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-nginx-'));
  const sim = await startSimulator({ rateLimits: false, tokenLifetimeSec: 86_400 });
  const served: Served[] = [];
  let nginx: Nginx | undefined;
  try {
    const { groupId, name } = sim.simulator.summary().bigCluster;
    const exportsPath = `/api/atlas/v2/groups/${groupId}/clusters/${name}/backup/exports`;
    const bearer = await token(sim.url);
    const base = {
      LOG_LEVEL: 'info',
      MONGODB_ATLAS_BASE_URL: sim.url,
      PROXY_UPSTREAM_RATE_PER_SEC: '1000000',
      PROXY_UPSTREAM_BURST: '1000000',
    };
    const sa = { ...base, MONGODB_ATLAS_CLIENT_ID: SIM.clientId, MONGODB_ATLAS_CLIENT_SECRET: SIM.clientSecret };
    const log = path.join(dir, 'proxy.log');
    const starts: number[] = [];
    for (let i = 0; i < 7; i++) {
      const s = await startCompiled({ ...sa, PROXY_CACHE_TTL_MS: '3000' }, log);
      starts.push(s.startMs);
      await s.close();
    }
    const cached = await startCompiled({ ...sa, PROXY_CACHE_TTL_MS: '3000' }, log);
    served.push(cached);
    const freshRss = rssMb(cached.pid);
    const pass = await startCompiled({ ...sa, PROXY_CACHE_TTL_MS: '0' }, log);
    served.push(pass);
    let nginxStart = NaN;
    if (onPath('nginx')) {
      const t0 = performance.now();
      nginx = await startNginx(dir, new URL(sim.url).host, bearer, [await freePort(), await freePort()]);
      nginxStart = await waitFor200(`${nginx.passUrl}/healthz`, t0);
    }
    const accept = mediaType(operation(OP).version);
    const direct = { origin: sim.url, headers: { authorization: `Bearer ${bearer}`, accept } };
    const upstream = { origin: sim.url, bearer, accept };
    const floorStarts: number[] = [];
    for (let i = 0; i < 7; i++) {
      const f = await startFloor('pass', upstream, log);
      floorStarts.push(f.startMs);
      await f.close();
    }
    const floor = { cached: await startFloor('cache', upstream, log), pass: await startFloor('pass', upstream, log) };
    served.push(floor.cached, floor.pass);
    const floorFreshRss = rssMb(floor.cached.pid);
    const load: LoadFigures = await measureLoad({ dir, sim, exportsPath, direct, cached, pass, nginx, floor });
    await new Promise((r) => setTimeout(r, 2000));
    const idle = {
      proxy: rssMb(cached.pid),
      nginx: nginx ? rssTreeMb(nginx.pid) : NaN,
      floor: rssMb(floor.cached.pid),
      floorFresh: floorFreshRss,
    };
    const digest = await startCompiled(
      {
        ...base,
        PROXY_CACHE_TTL_MS: '0',
        MONGODB_ATLAS_PUBLIC_API_KEY: SIM.publicKey,
        MONGODB_ATLAS_PRIVATE_API_KEY: SIM.privateKey,
      },
      log,
    );
    served.push(digest);
    const digestCalls = await digestExchanges(sim.url, digest.url, exportsPath, 20);
    return report({
      load,
      starts,
      nginxStart,
      floorStartMs: median(floorStarts),
      floorStarts,
      freshRss,
      idle,
      digestCalls,
      haveNginx: nginx !== undefined,
    });
  } finally {
    for (const s of served) await s.close().catch(() => undefined);
    await nginx?.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** N distinct misses in a row through the Digest proxy: Atlas exchanges for the first, and per miss after it. */
async function digestExchanges(simUrl: string, proxyUrl: string, exportsPath: string, n: number) {
  const before = await simCalls(simUrl);
  const res = await fetch(`${proxyUrl}${exportsPath}?itemsPerPage=10&pageNum=1`);
  if (res.status !== 200) throw new Error(`digest proxy: HTTP ${res.status}`);
  await res.arrayBuffer();
  const first = (await simCalls(simUrl)) - before;
  for (let i = 2; i <= n; i++)
    await (await fetch(`${proxyUrl}${exportsPath}?itemsPerPage=10&pageNum=${i}`)).arrayBuffer();
  return { first, perMissAfter: ((await simCalls(simUrl)) - before - first) / (n - 1) };
}

function report(r: {
  load: LoadFigures;
  starts: number[];
  nginxStart: number;
  floorStartMs: number;
  floorStarts: number[];
  freshRss: number;
  idle: { proxy: number; nginx: number; floor: number; floorFresh: number };
  digestCalls: { first: number; perMissAfter: number };
  haveNginx: boolean;
}): BenchSection {
  const { load: l } = r;
  const ratio = (ours: number, theirs: number) => (r.haveNginx ? `${round(ours / theirs, 2)}x` : 'n/a');
  const row = (
    figure: string,
    nginx: number | string,
    proxy: number | string,
    rel: string,
    target: string,
    met: boolean,
    floor: number | string = 'n/a',
  ) => ({
    figure,
    nginx: r.haveNginx ? nginx : 'skipped',
    proxy,
    'node floor': floor,
    ratio: rel,
    target,
    met: met ? 'yes' : 'NO',
  });
  const added = l.proxyUncachedP50 - l.directP50;
  return {
    name: 'nginx',
    rows: [
      row(
        'cache hit req/s, 32 conn',
        Math.round(l.nginxHitRps),
        Math.round(l.proxyHitRps),
        ratio(l.proxyHitRps, l.nginxHitRps),
        '>= 0.8x nginx',
        l.proxyHitRps >= 0.8 * l.nginxHitRps,
        Math.round(l.floorHitRps),
      ),
      row(
        'uncached added p50 ms, 1 conn (vs direct)',
        round(l.nginxUncachedP50 - l.directP50, 3),
        round(added, 3),
        ratio(added, l.nginxUncachedP50 - l.directP50),
        '<= 0.2 ms',
        added <= 0.2,
        round(l.floorUncachedP50 - l.directP50, 3),
      ),
      row(
        'pass-through req/s, distinct URLs, 32 conn',
        Math.round(l.nginxPassRps),
        Math.round(l.proxyPassRps),
        ratio(l.proxyPassRps, l.nginxPassRps),
        '>= 0.7x nginx',
        l.proxyPassRps >= 0.7 * l.nginxPassRps,
        Math.round(l.floorPassRps),
      ),
      row(
        'start to /healthz ms (median of 7)',
        round(r.nginxStart, 1),
        round(median(r.starts), 1),
        ratio(median(r.starts), r.nginxStart),
        '<= 150 ms',
        median(r.starts) <= 150,
        round(r.floorStartMs, 1),
      ),
      row(
        'idle RSS MB, serving process (after load)',
        round(r.idle.nginx, 1),
        round(r.idle.proxy, 1),
        ratio(r.idle.proxy, r.idle.nginx),
        '<= 60 MB',
        r.idle.proxy <= 60,
        round(r.idle.floor, 1),
      ),
      row('200 cold concurrent: Atlas calls', l.nginxCold.calls, l.proxyCold.calls, '', '1', l.proxyCold.calls === 1),
      row(
        '200 cold concurrent: p50 ms (Atlas answers in 200 ms)',
        round(l.nginxCold.p50, 1),
        round(l.proxyCold.p50, 1),
        ratio(l.proxyCold.p50, l.nginxCold.p50),
        // Waiters on nginx's cache lock poll every 500 ms; waiting on the one call in flight must beat that.
        '< 500 ms (no lock polling)',
        l.proxyCold.p50 < 500,
      ),
      row(
        'Digest: Atlas exchanges per miss after the first',
        'n/a',
        round(r.digestCalls.perMissAfter, 2),
        '',
        '1',
        r.digestCalls.perMissAfter === 1,
      ),
    ],
    notes: [
      `rounds, interleaved: ${l.hitRounds} for cache hits, ${l.rounds} for pass-through, ${l.latencyRounds} for p50; median per figure; wrk -t2 -c32 -d${l.seconds}s for req/s, wrk -t1 -c1 -d${l.latencySeconds}s for p50; runs: hit ${l.runs.hit}; pass ${l.runs.pass}`,
      `p50 runs (ms): ${l.runs.latency}`,
      `node floor: node:http + one undici Pool, no checks, log or security headers (tests/bench/node-floor.mjs); its RSS ${round(r.idle.floorFresh, 1)} MB after start, ${round(r.idle.floor, 1)} MB after the same load; started the same way (undici on the first request), its start runs (ms) ${r.floorStarts.map((s) => s.toFixed(0)).join(' / ')}`,
      `direct to the simulator: p50 ${round(l.directP50, 3)} ms at 1 conn, ${Math.round(l.directPassRps)} req/s distinct at 32 conn; proxy uncached p50 ${round(l.proxyUncachedP50, 3)} ms, nginx ${round(l.nginxUncachedP50, 3)} ms`,
      `start runs (ms): ${r.starts.map((s) => s.toFixed(0)).join(' / ')}; RSS right after start ${round(r.freshRss, 1)} MB; nginx RSS is master + worker`,
      `Digest: the first miss cost ${r.digestCalls.first} exchanges (challenge + signed), 19 more misses ${round(r.digestCalls.perMissAfter, 2)} each`,
      `cold: 200 concurrent requests for one uncached page while Atlas takes 200 ms; nginx max ${round(l.nginxCold.max, 0)} ms, proxy max ${round(l.proxyCold.max, 0)} ms`,
      `load: wrk, nginx (1 worker), the proxy and the simulator share this machine's ${os.cpus().length} cores with whatever else runs (load average ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')})`,
      ...(r.haveNginx ? [] : ['nginx is not on the PATH (apt-get install -y nginx): nginx columns skipped']),
    ],
  };
}
