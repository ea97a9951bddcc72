import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliAgainst } from '../support/cli.ts';
import { useTempDirs } from '../support/process.ts';
import { useTestService } from '../support/service.ts';

/** `import csv`, `keys create --type canary` and `pepper rotate|list|retire` against the real local server. */
const svc = useTestService({ process: true });
const latchkey = cliAgainst(svc);
const tempDir = useTempDirs();

describe('latchkey import csv', () => {
  const secrets = Array.from({ length: 3 }, () => `legacy_${randomBytes(18).toString('hex')}`);

  it('imports every row, prints imported and failed by row, and never echoes a secret', async () => {
    const file = join(await tempDir('latchkey-import-'), 'keys.csv');
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
    const result = await latchkey.spawn(['import', 'csv', file]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain('Imported 3 of 4 keys');
    expect(result.stdout).toMatch(/row 4\s+ALREADY_IMPORTED/);
    for (const secret of secrets) {
      expect(result.stdout).not.toContain(secret);
      expect(result.stderr).not.toContain(secret);
    }
    const listed = await svc.api('GET', '/v1/keys?owner=team-billing');
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        name: 'billing, legacy',
        roles: ['read', 'write'],
        imported: true,
        expiresAt: null,
      }),
    ]);
    for (const secret of secrets)
      expect((await svc.api('POST', '/v1/verify', { key: secret })).body.code).toBe('VALID');
  });

  it('answers --json with the API shape, and refuses a bad header as a usage error', async () => {
    const dir = await tempDir('latchkey-import-');
    const file = join(dir, 'more.csv');
    writeFileSync(file, `secret,owner\n${randomBytes(20).toString('hex')},bob\n`);
    const ok = await latchkey.run(['--json', 'import', 'csv', file]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ imported: [{ owner: 'bob', imported: true }], failed: [] });

    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'secret,colour\nabc,red\n');
    const refused = await latchkey.run(['import', 'csv', bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('unknown column(s): colour');
  });
});

describe('canary keys and the pepper from the CLI', () => {
  it('creates a canary, which verify refuses as a wrong secret', async () => {
    const created = await latchkey.run([
      '--json',
      'keys',
      'create',
      '--type',
      'canary',
      '--owner',
      'sec',
      '--name',
      'trap',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const { key, secret } = JSON.parse(created.stdout);
    expect(key.type).toBe('canary');
    const verified = await latchkey.run(['--json', 'verify', secret]);
    expect(verified.code).toBe(1);
    expect(JSON.parse(verified.stdout)).toEqual({ valid: false, code: 'INVALID_SECRET' });
  });

  it('rotates, lists and retires pepper versions', async () => {
    const rotated = await latchkey.run(['pepper', 'rotate']);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toContain('version 2 is current');
    const listed = await latchkey.run(['--json', 'pepper', 'list']);
    const versions = JSON.parse(listed.stdout).versions;
    expect(versions.map((v: { version: string }) => v.version)).toEqual(['2', '1']);
    const inUse = versions[1].liveKeys;
    expect(inUse).toBeGreaterThan(0);
    const refused = await latchkey.run(['pepper', 'retire', '1']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`still used by ${inUse} live keys`);
    const table = await latchkey.run(['pepper', 'list']);
    expect(table.stdout).toMatch(/VERSION\s+CURRENT\s+LIVE KEYS/);
  });
});
