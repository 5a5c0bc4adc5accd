/**
 * A request from a chosen loopback source address (Linux routes all of 127/8 to loopback), so the dashboard sees
 * that address as the client's: sign-in limits, trusted proxies and /readyz's same-host rule depend on it.
 */
import http from 'node:http';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function requestFrom(
  base: string,
  localAddress: string,
  path: string,
  o: { headers?: Record<string, string>; method?: string; agent?: http.Agent | false } = {},
): Promise<Reply> {
  const { hostname, port } = new URL(base);
  const { headers = {}, method = 'GET', agent = false } = o;
  return new Promise<Reply>((resolve, reject) => {
    const req = http.request(
      { host: hostname, port, path, method, headers, localAddress, agent, timeout: 30_000 },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}
