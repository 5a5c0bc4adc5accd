/**
 * nginx 1.22 as the reference proxy: its own configuration in a temporary folder, one worker, two servers in
 * front of the same simulator: pass-through (a fixed bearer token, the Accept each operation needs) and the same
 * with `proxy_cache` + `proxy_cache_lock`. Access log buffered, as the proxy batches its log lines.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { API_PREFIX, mediaType, OPERATIONS } from '../../src/atlas/index.ts';

export interface Nginx {
  passUrl: string;
  cacheUrl: string;
  pid: number;
  close(): Promise<void>;
}

function acceptMap(): string {
  const lines = OPERATIONS.filter((op) => op.method === 'GET').map((op) => {
    const re = '^' + (API_PREFIX + op.path).replace(/\{\w+\}/g, '[^/]+') + '$';
    return `    "~${re}" "${mediaType(op.version)}";`;
  });
  return `  map $uri $atlas_accept {\n    default "application/json";\n${lines.join('\n')}\n  }`;
}

function location(token: string, cache: boolean): string {
  return `    location ${API_PREFIX}/ {
      limit_except GET { deny all; }
      proxy_pass http://atlas;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Authorization "Bearer ${token}";
      proxy_set_header Accept $atlas_accept;
      proxy_set_header Cookie "";
${
  cache
    ? `      proxy_cache atlas;
      proxy_cache_key $request_uri;
      proxy_cache_valid 200 3s;
      proxy_cache_lock on;
      proxy_cache_lock_timeout 10s;
      proxy_ignore_headers Cache-Control Expires Set-Cookie Vary;
      add_header X-Cache-Status $upstream_cache_status;\n`
    : ''
}    }`;
}

export function nginxConfig(dir: string, upstreamHostPort: string, token: string, ports: [number, number]): string {
  const t = (name: string) => path.join(dir, name);
  return `worker_processes 1;
daemon off;
pid ${t('nginx.pid')};
error_log ${t('error.log')} warn;
events { worker_connections 4096; }
http {
  access_log ${t('access.log')} combined buffer=64k flush=1s;
  client_body_temp_path ${t('body')};
  proxy_temp_path ${t('proxy')};
  fastcgi_temp_path ${t('fastcgi')};
  uwsgi_temp_path ${t('uwsgi')};
  scgi_temp_path ${t('scgi')};
  proxy_cache_path ${t('cache')} levels=1:2 keys_zone=atlas:10m max_size=256m inactive=60s use_temp_path=off;
  server_tokens off;
${acceptMap()}
  upstream atlas { server ${upstreamHostPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${ports[0]};
    location = /healthz { return 200 "ok"; }
${location(token, false)}
  }
  server {
    listen 127.0.0.1:${ports[1]};
${location(token, true)}
  }
}
`;
}

export async function startNginx(
  dir: string,
  upstreamHostPort: string,
  token: string,
  ports: [number, number],
): Promise<Nginx> {
  // Started as root, nginx's worker runs as nobody: it must be able to enter the (0700) temporary folder.
  chmodSync(dir, 0o755);
  mkdirSync(path.join(dir, 'cache'), { recursive: true });
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConfig(dir, upstreamHostPort, token, ports));
  const check = spawnSync('nginx', ['-t', '-q', '-p', dir, '-c', conf], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx -t failed: ${check.stderr}`);
  const child: ChildProcess = spawn('nginx', ['-p', dir, '-c', conf], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    passUrl: `http://127.0.0.1:${ports[0]}`,
    cacheUrl: `http://127.0.0.1:${ports[1]}`,
    pid: child.pid!,
    close: async () => {
      child.kill('SIGQUIT');
      await exited;
    },
  };
}
