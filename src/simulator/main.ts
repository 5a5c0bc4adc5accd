/**
 * `npm run simulator`: the Atlas simulator alone. Env: SIMULATOR_PORT (default 8090), SIMULATOR_HOST,
 * SIMULATOR_CLIENT_ID / SIMULATOR_CLIENT_SECRET / SIMULATOR_PUBLIC_KEY / SIMULATOR_PRIVATE_KEY,
 * SIMULATOR_RATE_LIMITS=off, SIMULATOR_WORLD=large|history. Flags: --seed N, --speed X, --no-rate-limits (load
 * tests: measure the proxy, not Atlas's quota), --world large (250 projects of 25 clusters), --world history (a
 * cluster with 20,000 export jobs).
 */
import { parseArgs } from 'node:util';
import { rateLimitsFromEnv, worldFromEnv } from './options.ts';
import { startSimulator } from './server.ts';

function numberFlag(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${JSON.stringify(raw)}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      speed: { type: 'string' },
      'no-rate-limits': { type: 'boolean' },
      world: { type: 'string' },
    },
  });
  const env = process.env;
  const bootStart = performance.now();
  const running = await startSimulator({
    host: env.SIMULATOR_HOST ?? '127.0.0.1',
    port: numberFlag('SIMULATOR_PORT', env.SIMULATOR_PORT, 8090),
    seed: numberFlag('seed', values.seed, 42),
    speed: numberFlag('speed', values.speed, 1),
    rateLimits: values['no-rate-limits'] ? false : rateLimitsFromEnv(env.SIMULATOR_RATE_LIMITS),
    world: worldFromEnv(values.world ?? env.SIMULATOR_WORLD),
    credentials: {
      clientId: env.SIMULATOR_CLIENT_ID,
      clientSecret: env.SIMULATOR_CLIENT_SECRET,
      publicKey: env.SIMULATOR_PUBLIC_KEY,
      privateKey: env.SIMULATOR_PRIVATE_KEY,
    },
  });
  const bootMs = performance.now() - bootStart;
  const { options } = running.simulator.state;
  const s = running.simulator.summary();
  const cr = options.credentials;
  console.log(
    `Atlas simulator listening on ${running.url} (seed ${options.seed}, speed ${options.speed}, rate limits ${options.rateLimits === false ? 'off' : 'on'}, boot ${bootMs.toFixed(0)} ms)`,
  );
  console.log(
    `  service account: MONGODB_ATLAS_CLIENT_ID=${cr.clientId} MONGODB_ATLAS_CLIENT_SECRET=${cr.clientSecret}`,
  );
  console.log(
    `  API key (Digest): MONGODB_ATLAS_PUBLIC_API_KEY=${cr.publicKey} MONGODB_ATLAS_PRIVATE_API_KEY=${cr.privateKey}`,
  );
  console.log(
    `  world: ${s.counts.orgs} orgs, ${s.counts.projects} projects, ${s.counts.clusters} clusters, ${s.counts.jobs} export jobs, ${s.counts.snapshots} snapshots, ${s.counts.buckets} buckets`,
  );
  console.log(`  big cluster: ${s.bigCluster.name} in project ${s.bigCluster.groupId} (${s.bigCluster.jobs} jobs)`);
  if (s.hugeCluster)
    console.log(
      `  huge cluster: ${s.hugeCluster.name} in project ${s.hugeCluster.groupId} (${s.hugeCluster.jobs} jobs)`,
    );
  console.log(
    `  try: curl --digest --user ${cr.publicKey}:${cr.privateKey} --header "Accept: application/vnd.atlas.2025-03-12+json" ${running.url}/api/atlas/v2/groups`,
  );
  console.log(`  control: ${running.url}/__sim/world, /__sim/stats, /__sim/clock`);
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`\n${signal}: closing`);
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
