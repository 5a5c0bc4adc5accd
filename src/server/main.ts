/**
 * The server's entry (compiled to dist/server/main.js; `npm start` builds it first when stale, see
 * scripts/start.mjs): config from the environment, then the server. Without
 * Atlas credentials this is demo mode: the simulator starts in-process on a free loopback port and the proxy
 * reaches it through exactly the same upstream and OAuth code as real Atlas.
 */
import { SIMULATOR_CREDENTIALS } from '../simulator/credentials.ts';
import { OptionError, rateLimitsFromEnv, worldFromEnv, type WorldName } from '../simulator/options.ts';
import { ConfigError, loadConfig, type ServerConfig } from './config.ts';
import { listenFailure } from './listen-error.ts';
import { createLogger, type Logger } from './logger.ts';
import { startServer } from './start.ts';

async function main(): Promise<void> {
  let config: ServerConfig;
  let demoRateLimits: boolean;
  let demoWorld: WorldName;
  try {
    config = loadConfig(process.env);
    demoRateLimits = rateLimitsFromEnv(process.env.SIMULATOR_RATE_LIMITS);
    // `npm start -- --world large` or SIMULATOR_WORLD=large: the demo at Atlas's default fleet size; `history`: a
    // cluster with 20,000 export jobs beside it.
    const flag = process.argv.indexOf('--world');
    demoWorld = worldFromEnv(flag >= 0 ? process.argv[flag + 1] : process.env.SIMULATOR_WORLD);
  } catch (err) {
    if (!(err instanceof ConfigError) && !(err instanceof OptionError)) throw err;
    process.stderr.write(`Configuration error: ${err.message}\n`);
    process.exit(2);
  }
  const logger = createLogger({ level: config.logLevel });
  process.on('unhandledRejection', (reason) => crash(logger, 'unhandled rejection', reason));
  process.on('uncaughtException', (err) => crash(logger, 'uncaught exception', err));

  let stopSimulator: (() => Promise<void>) | undefined;
  if (!config.atlas) {
    // Loaded only in demo mode: a deployment with credentials never parses the simulator.
    const { startSimulator } = await import('../simulator/server.ts');
    const sim = await startSimulator({ host: '127.0.0.1', port: 0, rateLimits: demoRateLimits, world: demoWorld });
    stopSimulator = () => sim.close();
    const { clientId, clientSecret } = SIMULATOR_CREDENTIALS;
    config = { ...config, atlas: { baseUrl: sim.url, auth: { kind: 'serviceAccount', clientId, clientSecret } } };
    logger.info('demo mode: no Atlas credentials configured, serving the built-in simulator (simulated data)', {
      simulator: sim.url,
      simulatorRateLimits: demoRateLimits ? 'on' : 'off',
      simulatorWorld: demoWorld,
    });
  }
  const server = await startServer(config, { logger }).catch(async (err: unknown) => {
    const message = listenFailure(err, config.host, config.port);
    if (!message) throw err;
    logger.error(message);
    await stopSimulator?.();
    process.exit(2);
  });
  logger.info('listening', {
    url: server.url,
    mode: config.mode,
    authKind: server.auth.kind,
    atlasHost: new URL(config.atlas!.baseUrl).host,
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    // The close sequence aborts every upstream call at the end of the grace period; this is the last resort.
    setTimeout(() => {
      logger.error('shutdown overran its grace period; exiting now');
      process.exit(1);
    }, config.shutdownGraceMs + 900).unref();
    await server.close();
    await stopSimulator?.();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/** A crash is logged (redacted, no stack) and ends the process non-zero so a supervisor restarts it. */
function crash(logger: Logger, msg: string, reason: unknown): never {
  logger.error(msg, { err: reason instanceof Error ? reason : String(reason) });
  process.exit(1);
}

await main();
