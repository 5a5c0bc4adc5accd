/**
 * The SPA's response check on the biggest page it asks for: 500 export jobs. Measured beside JSON.parse of the
 * same body (the work the browser must do anyway), in one run, so the ratio is what to compare across runs.
 * Runs in Node: the same zod code the browser runs, without the page's other work around it.
 */
import { startSimulator } from '../../src/simulator/server.ts';
import { shapeProblem } from '../../src/web/lib/atlas-schemas.ts';
import { API, bearerClient, token, world } from '../support/sim-client.ts';
import type { BenchSection } from './types.ts';

const ROUNDS = 300;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? NaN;

function time(fn: () => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  return out;
}

export async function run(): Promise<BenchSection> {
  const sim = await startSimulator({ rateLimits: false });
  try {
    const w = await world(sim.url);
    const get = bearerClient(sim.url, await token(sim.url));
    const path = `${API}/groups/${w.bigCluster.groupId}/clusters/${w.bigCluster.name}/backup/exports`;
    const text = await (await get(`${path}?itemsPerPage=500&includeCount=true`)).text();
    const body: unknown = JSON.parse(text);
    if (shapeProblem('listGroupClusterBackupExports', body)) throw new Error('the 500-job page did not pass');
    // Warm both paths up first so neither pays for compilation inside the measurement.
    time(() => JSON.parse(text));
    time(() => shapeProblem('listGroupClusterBackupExports', body));
    const parse = time(() => JSON.parse(text));
    const check = time(() => shapeProblem('listGroupClusterBackupExports', body));
    const row = (what: string, xs: number[]) => ({
      what,
      'median ms': Number(median(xs).toFixed(3)),
      'p95 ms': Number(p95(xs).toFixed(3)),
    });
    return {
      name: 'web: response shape check, 500-job page',
      rows: [
        row(`JSON.parse (${(text.length / 1024).toFixed(0)} KiB)`, parse),
        row('shape check (zod, jitless)', check),
      ],
      notes: [`${ROUNDS} rounds each; check/parse median ratio ${(median(check) / median(parse)).toFixed(2)}`],
    };
  } finally {
    await sim.close();
  }
}
