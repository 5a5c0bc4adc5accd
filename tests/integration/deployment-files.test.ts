/**
 * Issue 16 item 13: what ships. Docker cannot run here, so the files are checked as text: the base image is a
 * supported Node LTS (Node 20 reached end of life on 2026-04-30) and the same in every stage, `.dockerignore`
 * keeps `.env*` out of the build context, and `engines` and the README name the same Node versions.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const read = (f: string) => readFileSync(path.join(root, f), 'utf8');

/** .dockerignore semantics for the patterns used here: `*` within a segment, `**` across segments. */
function ignored(patterns: string[], file: string): boolean {
  let out = false;
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const p = (negate ? raw.slice(1) : raw).replace(/^\/+/, '');
    const re = new RegExp(
      '^' +
        p
          .split('**/')
          .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
          .join('(?:.*/)?') +
        '(?:/.*)?$',
    );
    if (re.test(file)) out = !negate;
  }
  return out;
}

describe('deployment files', () => {
  it('the Dockerfile builds and runs on Node 24 LTS in every stage, never an end-of-life line', () => {
    const docker = read('Dockerfile');
    const arg = /^ARG NODE_IMAGE=(\S+)$/m.exec(docker)?.[1];
    expect(arg).toMatch(/^node:24-[a-z]+-slim(?:@sha256:[0-9a-f]{64})?$/);
    const froms = [...docker.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(froms).toEqual(['${NODE_IMAGE}', '${NODE_IMAGE}', '${NODE_IMAGE}']);
    expect(docker).not.toMatch(/node:(?:1\d|20|21|23)\b/);
  });

  it('.dockerignore keeps every .env file out of the build context', () => {
    const patterns = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const f of ['.env', '.env.local', '.env.production', 'config/.env', 'node_modules/x', 'dist/index.html'])
      expect(ignored(patterns, f), f).toBe(true);
    for (const f of ['src/server/main.ts', 'package.json', 'package-lock.json'])
      expect(ignored(patterns, f), f).toBe(false);
  });

  it('engines and the README name the supported Node versions; this Node satisfies engines', () => {
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    expect(engines).toBe('^20.19.0 || ^22.12.0 || ^24.0.0');
    const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
    const ok = (major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major === 24;
    expect(ok, process.versions.node).toBe(true);
    const readme = read('README.md');
    expect(readme).toMatch(/Node 24 LTS/);
    expect(readme).toMatch(/Node 22 LTS/);
    expect(readme).toMatch(/Node 20 reached end of life on 2026-04-30/);
    // The docker run example says to put TLS in front.
    expect(readme).toMatch(/TLS-terminating reverse proxy/);
    expect(readme).toMatch(/-p 127\.0\.0\.1:8080:8080/);
  });
});
