import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../local/dynamodb-local.ts';
import { cli, spawnCli } from '../support/cli.ts';
import { type ServerProcess, startServerProcess } from '../support/process.ts';

/** `latchkey keys requests` against the real local server, after requests through /demo. */
let server: ServerProcess;
let env: Record<string, string>;
let keyId: string;
const token = `cli-requests-admin-${randomBytes(16).toString('hex')}`;

beforeAll(async () => {
  server = startServerProcess({
    LATCHKEY_MEMORY: '1',
    PORT: String(await freePort()),
    LATCHKEY_ADMIN_TOKEN: token,
    LATCHKEY_USAGE_FLUSH_SECONDS: '1',
  });
  const { url } = await server.ready;
  env = { LATCHKEY_URL: url, LATCHKEY_ADMIN_TOKEN: token };
  const made = await cli(['keys', 'create', '-n', 'orders reader', '--role', 'read', '--json'], { env });
  expect(made.code, made.stderr).toBe(0);
  const { key, secret } = JSON.parse(made.stdout);
  keyId = key.keyId;
  const demo = (method: string, agent: string) =>
    fetch(`${url}/demo/orders/1`, {
      method,
      headers: { authorization: `Bearer ${secret}`, 'user-agent': agent },
    }).then((res) => res.status);
  expect(await demo('GET', 'orders-sync/1.0')).toBe(200);
  expect(await demo('POST', '=cmd|" /C calc"!A0')).toBe(403);
  expect(await demo('GET', 'orders-sync/1.1')).toBe(200);
  await vi.waitFor(
    async () => {
      const listed = await cli(['keys', 'requests', keyId, '--json'], { env });
      expect(JSON.parse(listed.stdout).items).toHaveLength(3);
    },
    { timeout: 15_000, interval: 250 },
  );
}, 120_000);

afterAll(async () => {
  if (!server) return;
  server.child.kill('SIGTERM');
  await server.exited;
});

describe('latchkey keys requests', () => {
  it('prints the requests newest first: outcome, route, address, agent, latency', async () => {
    const result = await cli(['keys', 'requests', keyId], { env });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^WHEN +OUTCOME +REQUEST +SOURCE IP +AGENT +LATENCY$/);
    expect(lines.slice(1).map((l) => l.split(/ {2,}/).slice(1, 5))).toEqual([
      ['ALLOWED', 'GET /demo/{proxy+}', '127.0.0.1', 'orders-sync/1.1'],
      ['INSUFFICIENT_PERMISSIONS', 'POST /demo/{proxy+}', '127.0.0.1', '=cmd|" /C calc"!A0'],
      ['ALLOWED', 'GET /demo/{proxy+}', '127.0.0.1', 'orders-sync/1.0'],
    ]);
    expect(lines[1]).toMatch(/\d+(\.\d+)? ms$/);
    expect(result.stderr).toBe('');
  });

  it('--json prints the API body; --limit pages, with the cursor on stderr', async () => {
    const json = await cli(['keys', 'requests', keyId, '--json', '--limit', '2'], { env });
    const body = JSON.parse(json.stdout);
    expect(body.keyId).toBe(keyId);
    expect(body.items.map((r: { userAgent: string }) => r.userAgent)).toEqual([
      'orders-sync/1.1',
      '=cmd|" /C calc"!A0',
    ]);
    expect(body.items[0]).toMatchObject({
      outcome: 'ALLOWED',
      method: 'GET',
      sourceIp: '127.0.0.1',
      region: 'local',
    });
    const first = await cli(['keys', 'requests', keyId, '--limit', '2'], { env });
    expect(first.stderr).toBe(`Older requests: add --cursor ${body.nextCursor}\n`);
    const rest = await cli(['keys', 'requests', keyId, '--cursor', body.nextCursor, '--json'], { env });
    expect(JSON.parse(rest.stdout).items.map((r: { userAgent: string }) => r.userAgent)).toEqual([
      'orders-sync/1.0',
    ]);
  });

  it('--csv (as a process) prints the CSV as the API serves it, formula-safe', async () => {
    const csv = await spawnCli(['keys', 'requests', keyId, '--csv'], env);
    expect(csv.code, csv.stderr).toBe(0);
    const rows = csv.stdout.split('\r\n');
    expect(rows[0]).toBe('"at","outcome","method","path","sourceIp","userAgent","latencyMs","region"');
    expect(rows[2]).toMatch(
      /^"[^"]+","INSUFFICIENT_PERMISSIONS","POST","\/demo\/\{proxy\+\}","127\.0\.0\.1","'=cmd\|"" \/C calc""!A0",[\d.]+,"local"$/,
    );
    expect(rows).toHaveLength(5);
  });

  it('shows the last use on the key; refuses a bad key ID before any request', async () => {
    const got = await cli(['keys', 'get', keyId], { env });
    expect(got.stdout).toMatch(/Last request +GET \/demo\/\{proxy\+\}\n/);
    expect(got.stdout).toMatch(/Last address +127\.0\.0\.1\n/);
    expect(got.stdout).toMatch(/Last agent +orders-sync\/1\.\d\n/);
    const bad = await cli(['keys', 'requests', 'billing'], { env });
    expect(bad.code).toBe(2);
  });
});
