import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  inLoopbackOnlyNamespace,
  missingTracingTools,
  outboundCalls,
  straceCommand,
} from '../support/outbound.ts';
import { root } from '../support/process.ts';

const tsx = join(root, 'node_modules/tsx/dist/cli.mjs');
const work = mkdtempSync(join(tmpdir(), 'latchkey-trace-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// npm's own update check is npm's, not the project's; no AWS credentials anywhere.
const quiet = {
  npm_config_update_notifier: 'false',
  AWS_ACCESS_KEY_ID: undefined,
  AWS_SECRET_ACCESS_KEY: undefined,
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
};

describe('nothing leaves the machine', () => {
  const missing = missingTracingTools();

  it('npm start, used for a while (create, /demo, sweep, 15 s alive), makes no call off the machine', () => {
    expect(missing, missing).toBeUndefined();
    const run = inLoopbackOnlyNamespace(
      [process.execPath, tsx, 'test/support/outbound-driver.ts', join(work, 'server.trace'), '8787'],
      { cwd: root, env: quiet, timeoutMs: 190_000 },
    );
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}');
    expect(result, run.stderr).toMatchObject({ create: 201, demo: 200, sweep: 200, exit: 0 });
    expect(result.aliveMs).toBeGreaterThanOrEqual(15_000);
    expect(existsSync(join(work, 'server.trace'))).toBe(true);
    expect(outboundCalls(join(work, 'server.trace'))).toEqual([]);
  }, 200_000);

  it('npx cdk synth --no-notices, with no AWS credentials, makes no call off the machine', () => {
    expect(missing, missing).toBeUndefined();
    const traceFile = join(work, 'synth.trace');
    const run = inLoopbackOnlyNamespace(
      [...straceCommand(traceFile), 'npx', 'cdk', 'synth', '--no-notices', '-o', join(work, 'cdk.out'), '-q'],
      { cwd: root, env: quiet, timeoutMs: 240_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(existsSync(join(work, 'cdk.out', 'manifest.json'))).toBe(true);
    expect(outboundCalls(traceFile)).toEqual([]);
  }, 300_000);
});
