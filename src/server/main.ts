/**
 * `npm start`: config from the environment, the SPA built when missing or stale, then the server. Without
 * Atlas credentials this is demo mode: the simulator starts in-process on a free loopback port and the proxy
 * reaches it through exactly the same upstream and OAuth code as real Atlas.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SIMULATOR_CREDENTIALS } from '../simulator/credentials.ts';
import { startSimulator } from '../simulator/server.ts';
import { ConfigError, loadConfig, type ServerConfig } from './config.ts';
import { listenFailure } from './listen-error.ts';
import { createLogger, type Logger } from './logger.ts';
import { startServer } from './start.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SPA_SOURCES = ['index.html', 'vite.config.ts', 'src/web', 'src/atlas', 'public'];

async function main(): Promise<void> {
  let config: ServerConfig;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`Configuration error: ${err.message}\n`);
    process.exit(2);
  }
  const logger = createLogger({ level: config.logLevel });
  process.on('unhandledRejection', (reason) => crash(logger, 'unhandled rejection', reason));
  process.on('uncaughtException', (err) => crash(logger, 'uncaught exception', err));

  // SPA_BUILD=never: dist/ is prebuilt (a deployment, or tests that must not rebuild under each other).
  if (process.env.SPA_BUILD !== 'never') ensureSpaBuilt(logger);
  let stopSimulator: (() => Promise<void>) | undefined;
  if (!config.atlas) {
    const sim = await startSimulator({ host: '127.0.0.1', port: 0 });
    stopSimulator = () => sim.close();
    const { clientId, clientSecret } = SIMULATOR_CREDENTIALS;
    config = { ...config, atlas: { baseUrl: sim.url, auth: { kind: 'serviceAccount', clientId, clientSecret } } };
    logger.info('demo mode: no Atlas credentials configured, serving the built-in simulator (simulated data)', {
      simulator: sim.url,
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

function ensureSpaBuilt(logger: Logger): void {
  const index = path.join(ROOT, 'dist', 'index.html');
  const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0;
  const newest = Math.max(...SPA_SOURCES.map((p) => newestMtime(path.join(ROOT, p))));
  if (builtAt >= newest) return;
  logger.info(
    builtAt ? 'UI sources changed since the last build: building' : 'UI not built yet: building (vite build)',
  );
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  // Vite's progress goes to stderr so stdout stays one JSON object per line.
  const result = spawnSync(process.execPath, [vite, 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    if (builtAt) logger.warn('vite build failed; serving the previous build');
    else throw new Error('vite build failed; see the output above');
  }
}

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(p).map((name) => newestMtime(path.join(p, name))));
}

await main();
