/**
 * Sends a request byte for byte over a TCP socket: fetch and http.request normalize or refuse exactly the
 * malformed request-targets the proxy must reject (dot segments, absolute-form, raw TAB).
 */
import net from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function rawRequest(
  url: string,
  requestLine: string,
  headers: Record<string, string> = {},
  body = '',
): Promise<RawResponse> {
  const { host } = new URL(url);
  const lines = [requestLine, `Host: ${headers.Host ?? host}`, 'Connection: close'];
  for (const [k, v] of Object.entries(headers)) if (k !== 'Host') lines.push(`${k}: ${v}`);
  return rawBytes(url, lines.join('\r\n') + '\r\n\r\n' + body);
}

/** Writes `bytes` exactly as given (no Host or anything else added) and parses the answer once the server closes. */
export function rawBytes(url: string, bytes: string, timeoutMs = 10_000): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('raw request timed out')));
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const out: Record<string, string> = {};
      for (const l of headerLines) {
        const i = l.indexOf(':');
        if (i > 0) out[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1] ?? 0), headers: out, body: rest.join('\r\n\r\n') });
    });
  });
}
