import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { childCoverageEnv } from '../../tests/support/child-coverage.ts';
import { createLogger, memorySink } from './logger.ts';

describe('logger', () => {
  it('writes one JSON object per line, honours the level, never a stack', () => {
    const sink = memorySink();
    const log = createLogger({ level: 'info', sink });
    log.debug('hidden');
    log.info('line\nbreak', { err: new Error('boom') });
    expect(sink.lines).toHaveLength(1);
    const entry = JSON.parse(sink.lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 'info', msg: 'line\nbreak', err: { name: 'Error', message: 'boom' } });
    expect(sink.lines[0]).not.toContain('at ');
    expect(sink.lines[0]!.trimEnd().split('\n')).toHaveLength(1);
  });

  it('redacts registered secrets and credential-shaped values, but not ordinary words', () => {
    const sink = memorySink();
    const log = createLogger({ level: 'debug', sink, secrets: ['s3cr3t-value'] });
    log.addSecret('issued-token-abcdef');
    log.info('x', {
      a: 'key s3cr3t-value',
      b: 'Bearer issued-token-abcdef',
      c: 'Authorization: Bearer eyJhbGciOi.x.y',
    });
    log.info('x', { d: 'Digest username="pub", realm="MMS Public API", response="abc"', e: 'Basic YWJjOmRlZmdo' });
    log.info('an unusable digest challenge; basic checks passed');
    const text = sink.lines.join('');
    for (const leaked of ['s3cr3t-value', 'issued-token-abcdef', 'eyJhbGciOi', 'username=', 'YWJjOmRlZmdo'])
      expect(text).not.toContain(leaked);
    expect(sink.lines[2]).toContain('an unusable digest challenge; basic checks passed');
    for (const line of sink.lines) expect(() => JSON.parse(line)).not.toThrow();
  });
});

describe('request lines', () => {
  it('write the same JSON object as info("request", fields), and honour the level', () => {
    const fast = memorySink();
    const slow = memorySink();
    const a = createLogger({ level: 'info', sink: fast });
    const b = createLogger({ level: 'info', sink: slow });
    const lines = [
      { method: 'GET', route: '/api/atlas/v2/groups/{groupId}', status: 200, ms: 1.5, upstreamMs: 1.2, cache: 'MISS' },
      { method: 'HEAD', route: '/healthz', status: 200, ms: 0 },
      { method: 'GET', route: 'a "quoted" \\ route', status: 499, ms: 12.3 },
    ];
    for (const line of lines) {
      a.request(line);
      b.info('request', { ...line });
    }
    const strip = (l: string) => ({ ...(JSON.parse(l) as Record<string, unknown>), time: undefined });
    expect(fast.lines.map(strip)).toEqual(slow.lines.map(strip));
    expect(fast.lines.map((l) => Object.keys(JSON.parse(l) as object))).toEqual(
      slow.lines.map((l) => Object.keys(JSON.parse(l) as object)),
    );
    for (const l of fast.lines) expect((JSON.parse(l) as { time: string }).time).toMatch(/^\d{4}-\d\d-\d\dT/);
    const quiet = memorySink();
    createLogger({ level: 'warn', sink: quiet }).request(lines[0]!);
    expect(quiet.lines).toHaveLength(0);
  });
});

describe('batched stdout', () => {
  it('writes every line, in order, once per event-loop turn, and the rest synchronously at exit', async () => {
    const script = `
      const { batchedStdout } = await import(${JSON.stringify(new URL('./logger.ts', import.meta.url).href)});
      const out = batchedStdout();
      for (let i = 0; i < 3; i++) out.write('a' + i + '\\n');
      await new Promise((r) => setImmediate(r));
      out.write('b0\\n');
      out.write('b1\\n');
      process.exit(3);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, ...childCoverageEnv() },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(3);
    expect(out).toBe('a0\na1\na2\nb0\nb1\n');
  });
});
