import { describe, expect, it, vi } from 'vitest';
import { cliAgainst } from '../support/cli.ts';
import { useTestService } from '../support/service.ts';

/** `latchkey usage` against the real local server, with traffic sent through /demo. */
const svc = useTestService({ process: true, env: { LATCHKEY_USAGE_FLUSH_SECONDS: '1' } });
const latchkey = cliAgainst(svc);

/** `times` requests to /demo with `secret`, at once: their statuses. */
const demo = (secret: string, times: number) =>
  Promise.all(Array.from({ length: times }, async () => (await svc.demo(secret)).status));

describe('latchkey usage', () => {
  it('lists the keys by requests, most active first, and --json is the API body', async () => {
    const make = async (name: string) => (await svc.api('POST', '/v1/keys', { name, roles: ['read'] })).body;
    const busy = await make('busy-integration');
    const quiet = await make('quiet-integration');
    const refused = await make('refused-integration');
    await make('never-used');
    expect(await demo(busy.secret, 7)).toEqual(Array(7).fill(200));
    expect(await demo(quiet.secret, 2)).toEqual([200, 200]);
    await svc.api('PATCH', `/v1/keys/${refused.key.keyId}`, { enabled: false });
    expect((await demo(refused.secret, 4)).every((status) => status === 401 || status === 403)).toBe(true);

    // The server flushes usage every second.
    const body = await vi.waitFor(
      async () => {
        const usage: { items: { keyId: string; total: { allowed: number; refused: number } }[] } = (
          await svc.api('GET', '/v1/usage')
        ).body;
        expect(usage.items.map((item) => item.total.allowed + item.total.refused)).toEqual([7, 4, 2]);
        return usage;
      },
      { timeout: 20_000, interval: 200 },
    );
    expect(body.items.map((i) => i.keyId)).toEqual([busy.key.keyId, refused.key.keyId, quiet.key.keyId]);
    expect(body.items[1]?.total).toEqual({ allowed: 0, refused: 4 });

    const json = await latchkey.run(['usage', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(body);

    const all = await latchkey.run(['usage', '--all', '--limit', '1', '--json']);
    expect(JSON.parse(all.stdout)).toEqual(body);

    const table = await latchkey.spawn(['usage', '--days', '7']);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/\(7 days\): 13 requests \(9 allowed, 4 refused\) with 3 keys$/);
    expect(lines[2]).toMatch(/^NAME\s+KEY ID\s+OWNER\s+STATUS\s+REQUESTS\s+REFUSED\s+DAILY\s+LAST USED/);
    expect(lines.slice(3).map((l) => l.split(/\s+/)[0])).toEqual([
      'busy-integration',
      'refused-integration',
      'quiet-integration',
    ]);
    expect(table.stdout).not.toContain('never-used');

    const unusual = await latchkey.run(['usage', '--unusual']);
    expect(unusual.code).toBe(0);
    expect(unusual.stderr).toContain('No key is flagged for unusual activity.');

    const bad = await latchkey.run(['usage', '--days', '31']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/days/);
  });
});
