import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/dynamodb-local.ts';
import { cli, spawnCli } from '../support/cli.ts';
import { type ServerProcess, startServerProcess } from '../support/process.ts';

/** `import csv`, `keys create --type canary` and `pepper rotate|list|retire` against the real local server. */
let server: ServerProcess;
let url: string;
const token = `cli-import-admin-${randomBytes(16).toString('hex')}`;
let env: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), 'latchkey-import-'));

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

beforeAll(async () => {
  server = startServerProcess({
    LATCHKEY_MEMORY: '1',
    PORT: String(await freePort()),
    LATCHKEY_ADMIN_TOKEN: token,
  });
  ({ url } = await server.ready);
  env = { LATCHKEY_URL: url, LATCHKEY_ADMIN_TOKEN: token };
});
afterAll(async () => {
  if (!server) return;
  server.child.kill('SIGTERM');
  await server.exited;
});

describe('latchkey import csv', () => {
  const secrets = Array.from({ length: 3 }, () => `legacy_${randomBytes(18).toString('hex')}`);

  it('imports every row, prints imported and failed by row, and never echoes a secret', async () => {
    const file = join(dir, 'keys.csv');
    writeFileSync(
      file,
      [
        'secret,name,owner,roles,workspace,expiresAt',
        `${secrets[0]},"billing, legacy",team-billing,read;write,ws-1,never`,
        `${secrets[1]},reports,team-reports,read,ws-1,`,
        // The same secret again: refused, not stored twice.
        `${secrets[0]},dup,team-billing,read,ws-1,`,
        `${secrets[2]},,alice,,ws-1,`,
      ].join('\n'),
    );
    const result = await spawnCli(['import', 'csv', file], env);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain('Imported 3 of 4 keys');
    expect(result.stdout).toMatch(/row 4\s+ALREADY_IMPORTED/);
    for (const secret of secrets) {
      expect(result.stdout).not.toContain(secret);
      expect(result.stderr).not.toContain(secret);
    }
    const listed = await api('GET', '/v1/keys?owner=team-billing');
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        name: 'billing, legacy',
        roles: ['read', 'write'],
        imported: true,
        expiresAt: null,
      }),
    ]);
    for (const secret of secrets)
      expect((await api('POST', '/v1/verify', { key: secret })).body.code).toBe('VALID');
  });

  it('answers --json with the API shape, and refuses a bad header as a usage error', async () => {
    const file = join(dir, 'more.csv');
    writeFileSync(file, `secret,owner\n${randomBytes(20).toString('hex')},bob\n`);
    const ok = await cli(['--json', 'import', 'csv', file], { env });
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ imported: [{ owner: 'bob', imported: true }], failed: [] });

    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'secret,colour\nabc,red\n');
    const refused = await cli(['import', 'csv', bad], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('unknown column(s): colour');
  });
});

describe('canary keys and the pepper from the CLI', () => {
  it('creates a canary, which verify refuses as a wrong secret', async () => {
    const created = await cli(
      ['--json', 'keys', 'create', '--type', 'canary', '--owner', 'sec', '--name', 'trap'],
      {
        env,
      },
    );
    expect(created.code, created.stderr).toBe(0);
    const { key, secret } = JSON.parse(created.stdout);
    expect(key.type).toBe('canary');
    const verified = await cli(['--json', 'verify', secret], { env });
    expect(verified.code).toBe(1);
    expect(JSON.parse(verified.stdout)).toEqual({ valid: false, code: 'INVALID_SECRET' });
  });

  it('rotates, lists and retires pepper versions', async () => {
    const rotated = await cli(['pepper', 'rotate'], { env });
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toContain('version 2 is current');
    const listed = await cli(['--json', 'pepper', 'list'], { env });
    const versions = JSON.parse(listed.stdout).versions;
    expect(versions.map((v: { version: string }) => v.version)).toEqual(['2', '1']);
    const inUse = versions[1].liveKeys;
    expect(inUse).toBeGreaterThan(0);
    const refused = await cli(['pepper', 'retire', '1'], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`still used by ${inUse} live keys`);
    const table = await cli(['pepper', 'list'], { env });
    expect(table.stdout).toMatch(/VERSION\s+CURRENT\s+LIVE KEYS/);
  });
});
