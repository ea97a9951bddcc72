import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/dynamodb-local.ts';
import { cli, spawnCli } from '../support/cli.ts';
import { type ServerProcess, startServerProcess } from '../support/process.ts';

/** `latchkey usage` against the real local server, with traffic sent through /demo. */
let server: ServerProcess;
let url: string;
const token = `cli-usage-admin-${randomBytes(16).toString('hex')}`;
let env: Record<string, string>;

// biome-ignore lint/suspicious/noExplicitAny: API bodies are inspected freely in tests
async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const demo = (secret: string, times: number) =>
  Promise.all(
    Array.from({ length: times }, () =>
      fetch(`${url}/demo/orders`, { headers: { authorization: `Bearer ${secret}` } }).then((r) => r.status),
    ),
  );

beforeAll(async () => {
  server = startServerProcess({
    LATCHKEY_MEMORY: '1',
    PORT: String(await freePort()),
    LATCHKEY_ADMIN_TOKEN: token,
    LATCHKEY_USAGE_FLUSH_SECONDS: '1',
  });
  ({ url } = await server.ready);
  env = { LATCHKEY_URL: url, LATCHKEY_ADMIN_TOKEN: token };
});

afterAll(async () => {
  if (!server) return;
  server.child.kill('SIGTERM');
  await server.exited;
});

describe('latchkey usage', () => {
  it('lists the keys by requests, most active first, and --json is the API body', async () => {
    const make = async (name: string) => (await api('POST', '/v1/keys', { name, roles: ['read'] })).body;
    const busy = await make('busy-integration');
    const quiet = await make('quiet-integration');
    const refused = await make('refused-integration');
    await make('never-used');
    expect(await demo(busy.secret, 7)).toEqual(Array(7).fill(200));
    expect(await demo(quiet.secret, 2)).toEqual([200, 200]);
    await api('PATCH', `/v1/keys/${refused.key.keyId}`, { enabled: false });
    expect((await demo(refused.secret, 4)).every((status) => status === 401 || status === 403)).toBe(true);

    let body: { items: { keyId: string; total: { allowed: number; refused: number } }[] } | undefined;
    for (let i = 0; i < 100; i++) {
      body = (await api('GET', '/v1/usage')).body;
      const totals = body?.items.map((item) => item.total.allowed + item.total.refused);
      if (JSON.stringify(totals) === '[7,4,2]') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(body?.items.map((i) => i.keyId)).toEqual([busy.key.keyId, refused.key.keyId, quiet.key.keyId]);
    expect(body?.items[1]?.total).toEqual({ allowed: 0, refused: 4 });

    const json = await cli(['usage', '--json'], { env });
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(body);

    const all = await cli(['usage', '--all', '--limit', '1', '--json'], { env });
    expect(JSON.parse(all.stdout)).toEqual(body);

    const table = await spawnCli(['usage', '--days', '7'], env);
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

    const unusual = await cli(['usage', '--unusual'], { env });
    expect(unusual.code).toBe(0);
    expect(unusual.stderr).toContain('No key is flagged for unusual activity.');

    const bad = await cli(['usage', '--days', '31'], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/days/);
  });
});
