import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { createSimulator, type Simulator, type SimulatorOptions } from './app.ts';

export interface RunningSimulator {
  url: string;
  port: number;
  close(): Promise<void>;
  simulator: Simulator;
}

/** Starts the simulator on a real HTTP server (127.0.0.1, port 0 = a free port by default). */
export async function startSimulator(
  options: SimulatorOptions & { host?: string; port?: number } = {},
): Promise<RunningSimulator> {
  const { host = '127.0.0.1', port = 0, ...simOptions } = options;
  const simulator = createSimulator(simOptions);
  const server = createAdaptorServer({ fetch: simulator.app.fetch }) as Server;
  // Benchmarks open 50-100 keep-alive connections; do not let Node's defaults throttle them.
  server.keepAliveTimeout = 5_000;
  server.maxConnections = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostForUrl}:${address.port}`,
    port: address.port,
    simulator,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Idle keep-alive sockets and hung requests would hold close() open; end them now.
        server.closeAllConnections();
      }),
  };
}
