import { beforeAll, describe, expect, it, vi } from 'vitest';
import { cliAgainst } from '../support/cli.ts';
import { useTestService } from '../support/service.ts';

/** `latchkey keys requests` against the real local server, after requests through /demo. */
const svc = useTestService({ process: true, env: { LATCHKEY_USAGE_FLUSH_SECONDS: '1' } });
const latchkey = cliAgainst(svc);
let keyId: string;

beforeAll(async () => {
  const made = await latchkey.run(['keys', 'create', '-n', 'orders reader', '--role', 'read', '--json']);
  expect(made.code, made.stderr).toBe(0);
  const { key, secret } = JSON.parse(made.stdout);
  keyId = key.keyId;
  const demo = async (method: string, agent: string) =>
    (await svc.demo(secret, { method, path: '/demo/orders/1', headers: { 'user-agent': agent } })).status;
  expect(await demo('GET', 'orders-sync/1.0')).toBe(200);
  expect(await demo('POST', '=cmd|" /C calc"!A0')).toBe(403);
  expect(await demo('GET', 'orders-sync/1.1')).toBe(200);
  await vi.waitFor(
    async () => {
      const listed = await latchkey.run(['keys', 'requests', keyId, '--json']);
      expect(JSON.parse(listed.stdout).items).toHaveLength(3);
    },
    { timeout: 15_000, interval: 250 },
  );
}, 120_000);

describe('latchkey keys requests', () => {
  it('prints the requests newest first: outcome, route, address, agent, latency', async () => {
    const result = await latchkey.run(['keys', 'requests', keyId]);
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
    const json = await latchkey.run(['keys', 'requests', keyId, '--json', '--limit', '2']);
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
    const first = await latchkey.run(['keys', 'requests', keyId, '--limit', '2']);
    expect(first.stderr).toBe(`Older requests: add --cursor ${body.nextCursor}\n`);
    const rest = await latchkey.run(['keys', 'requests', keyId, '--cursor', body.nextCursor, '--json']);
    expect(JSON.parse(rest.stdout).items.map((r: { userAgent: string }) => r.userAgent)).toEqual([
      'orders-sync/1.0',
    ]);
  });

  it('--csv (as a process) prints the CSV as the API serves it, formula-safe', async () => {
    const csv = await latchkey.spawn(['keys', 'requests', keyId, '--csv']);
    expect(csv.code, csv.stderr).toBe(0);
    const rows = csv.stdout.split('\r\n');
    expect(rows[0]).toBe('"at","outcome","method","path","sourceIp","userAgent","latencyMs","region"');
    expect(rows[2]).toMatch(
      /^"[^"]+","INSUFFICIENT_PERMISSIONS","POST","\/demo\/\{proxy\+\}","127\.0\.0\.1","'=cmd\|"" \/C calc""!A0",[\d.]+,"local"$/,
    );
    expect(rows).toHaveLength(5);
  });

  it('shows the last use on the key; refuses a bad key ID before any request', async () => {
    const got = await latchkey.run(['keys', 'get', keyId]);
    expect(got.stdout).toMatch(/Last request +GET \/demo\/\{proxy\+\}\n/);
    expect(got.stdout).toMatch(/Last address +127\.0\.0\.1\n/);
    expect(got.stdout).toMatch(/Last agent +orders-sync\/1\.\d\n/);
    const bad = await latchkey.run(['keys', 'requests', 'billing']);
    expect(bad.code).toBe(2);
  });
});
