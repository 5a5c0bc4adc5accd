/**
 * The shipped Prometheus alerting rules (deploy/prometheus) are valid and behave as their unit tests say:
 * `promtool check rules` and `promtool test rules` (Debian's prometheus package; .ci/run installs it).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = new URL('../../deploy/prometheus/', import.meta.url).pathname;

describe('Prometheus alerting rules', () => {
  it('pass promtool check rules', async () => {
    const { stdout } = await run('promtool', ['check', 'rules', `${dir}atlas-export-alerts.yml`]);
    expect(stdout).toContain('SUCCESS: 5 rules found');
  });

  it('pass their promtool unit tests (failed, stuck, overdue fire and stay quiet when they should)', async () => {
    const { stdout } = await run('promtool', ['test', 'rules', `${dir}atlas-export-alerts.test.yml`]);
    expect(stdout).toMatch(/SUCCESS/);
  });

  it('a broken rule is caught (the check can fail)', async () => {
    const bad = `${dir}../../tests/integration/support/bad-rules.yml`;
    await expect(run('promtool', ['check', 'rules', bad])).rejects.toMatchObject({ code: 1 });
  });
});
