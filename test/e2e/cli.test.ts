import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { itemsOf } from '../support/api.ts';
import { cli, cliAgainst } from '../support/cli.ts';
import { useTestService } from '../support/service.ts';

/**
 * The CLI against the real local server (`npm start`, on DynamoDB Local, in its own process):
 * a few commands as processes, the rest in-process through the same commander program, each
 * result checked through the API with fetch. The server keeps a data folder rather than memory:
 * the CLI finds the server through it.
 */
const svc = useTestService({ process: true, onDisk: true });
const latchkey = cliAgainst(svc);

const json = (stdout: string) => JSON.parse(stdout);

/** Every item of a list route, page after page from `cursor`, as the API answers them. */
const apiItems = (path: string, cursor?: string) => itemsOf(svc.api, path, cursor);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('keys, as a process and in-process, against the local server', () => {
  it('creates a key with roles, expiry, IP allowlist and metadata; the secret is printed once', async () => {
    const result = await latchkey.spawn([
      'keys',
      'create',
      '--name',
      'CI deploy',
      '--owner',
      'alice',
      '--workspace',
      'ws-1',
      '--role',
      'read',
      '-r',
      'write',
      '--permission',
      'orders:read',
      '--expires',
      '30d',
      '--ip',
      '10.0.0.0/8',
      '--ip',
      '2001:db8::/32',
      '--metadata',
      'team=ci',
      '-m',
      'ticket=OPS-1',
    ]);
    expect(result.stderr).toMatch(/will not be shown again/);
    expect(result.code).toBe(0);
    const keyId = /^Created (key_\w+)$/m.exec(result.stdout)?.[1] as string;
    const secret = /^Secret\s+(lk_live_\S+)$/m.exec(result.stdout)?.[1] as string;
    expect(keyId).toBeDefined();
    expect(secret).toContain(keyId.slice(4));
    expect(result.stdout).toMatch(/Roles\s+read, write/);

    const { status, body: key } = await svc.api('GET', `/v1/keys/${keyId}`);
    expect(status).toBe(200);
    expect(key).toMatchObject({
      name: 'CI deploy',
      owner: 'alice',
      scope: { workspaceId: 'ws-1' },
      roles: ['read', 'write'],
      permissions: ['orders:read'],
      ipAllowlist: ['10.0.0.0/8', '2001:db8::/32'],
      metadata: { team: 'ci', ticket: 'OPS-1' },
      status: 'active',
    });
    expect(Math.abs(Date.parse(key.expiresAt) - (Date.now() + 30 * DAY))).toBeLessThan(60_000);
    const verified = await svc.api('POST', '/v1/verify', {
      key: secret,
      sourceIp: '10.1.2.3',
      workspaceId: 'ws-1',
    });
    expect(verified.body).toMatchObject({ valid: true, code: 'VALID' });
    // The secret is in no other answer.
    expect(JSON.stringify(key)).not.toContain(secret);
  });

  it('--json prints exactly the API body; --quiet only the secret', async () => {
    const created = await latchkey.run([
      'keys',
      'create',
      '-n',
      'json one',
      '-o',
      'bob',
      '-w',
      'ws-2',
      '--json',
    ]);
    expect(created.code).toBe(0);
    const body = json(created.stdout);
    expect(Object.keys(body).sort()).toEqual(['key', 'secret']);
    expect((await svc.api('GET', `/v1/keys/${body.key.keyId}`)).body).toEqual(body.key);

    const quiet = await latchkey.run([
      'keys',
      'create',
      '-n',
      'quiet one',
      '-o',
      'bob',
      '-w',
      'ws-2',
      '--quiet',
    ]);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toMatch(/^lk_live_\w+\n$/);
    expect(quiet.stderr).toBe('');

    // Off a terminal, the very bytes the API sends.
    const got = await latchkey.run(['keys', 'get', body.key.keyId, '--json']);
    const raw = await svc.api('GET', `/v1/keys/${body.key.keyId}`);
    expect(got.stdout).toBe(`${raw.text}\n`);
  });

  it('lists with every filter, pages with --all, and the JSON equals the API', async () => {
    const owner = `list-${randomBytes(3).toString('hex')}`;
    const made: string[] = [];
    for (const [name, role, type] of [
      ['billing export', 'read', 'service'],
      ['support desk', 'write', 'personal'],
      ['billing import', 'write', 'service'],
    ] as const) {
      const r = await latchkey.run([
        'keys',
        'create',
        '-n',
        name,
        '-o',
        owner,
        '-r',
        role,
        '-t',
        type,
        '--json',
      ]);
      made.push(json(r.stdout).key.keyId);
    }
    await svc.api('PATCH', `/v1/keys/${made[1]}`, { enabled: false });

    // A list page is cut short when its read budget (LIST_BUDGET's 250 ms) runs out, which a busy
    // machine makes happen anywhere: the CLI and the API are compared over every page.
    const byOwner = await latchkey.run(['keys', 'list', '--owner', owner, '--all', '--json']);
    expect(json(byOwner.stdout).items).toEqual(await apiItems(`/v1/keys?owner=${owner}`));
    expect(json(byOwner.stdout).items).toHaveLength(3);

    const names = async (...flags: string[]) =>
      json((await latchkey.run(['keys', 'list', '-o', owner, ...flags, '--all', '--json'])).stdout)
        .items.map((k: { name: string }) => k.name)
        .sort();
    expect(await names('--search', 'billing')).toEqual(['billing export', 'billing import']);
    expect(await names('--role', 'write')).toEqual(['billing import', 'support desk']);
    expect(await names('--status', 'inactive')).toEqual(['support desk']);
    expect(await names('--type', 'personal')).toEqual(['support desk']);
    expect(await names('--rotation-due')).toEqual([]);
    expect(await names('--rotation-due', 'false')).toHaveLength(3);

    const onePage = await latchkey.run(['keys', 'list', '-o', owner, '--limit', '1']);
    expect(onePage.stderr).toMatch(/More keys: add --all, or --cursor \S+/);
    const cursor = /--cursor (\S+)/.exec(onePage.stderr)?.[1] as string;
    const next = await latchkey.run([
      'keys',
      'list',
      '-o',
      owner,
      '--limit',
      '1',
      '--cursor',
      cursor,
      '--all',
      '--json',
    ]);
    expect(json(next.stdout).items).toEqual(await apiItems(`/v1/keys?owner=${owner}&limit=1`, cursor));

    const all = await latchkey.run(['keys', 'list', '-o', owner, '--limit', '1', '--all', '--json']);
    expect(json(all.stdout).nextCursor).toBeNull();
    expect(
      json(all.stdout)
        .items.map((k: { keyId: string }) => k.keyId)
        .sort(),
    ).toEqual([...made].sort());

    // Off a terminal: a table with full ISO times and no colour.
    const table = await latchkey.run(['keys', 'list', '-o', owner]);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+KEY ID\s+ROLES\s+OWNER\s+CREATED\s+EXPIRES\s+LAST USED\s+STATUS$/);
    expect(lines).toHaveLength(4);
    expect(table.stdout).toMatch(
      /support desk\s+key_\w+\s+write\s+\S+\s+\d{4}-\d\d-\d\dT\S+Z\s+never\s+never\s+inactive/,
    );
    expect(table.stdout).not.toContain('\u001b[');
    const wide = await latchkey.run(['keys', 'list', '-o', owner, '--wide']);
    expect(wide.stdout.split('\n')[0]).toMatch(/TYPE\s+ENVIRONMENT\s+SCOPE\s+PERMISSIONS/);
  });

  it('updates, disables, enables, rotates with grace, shows usage, revokes and deletes', async () => {
    const created = json(
      (await latchkey.run(['keys', 'create', '-n', 'lifecycle', '-o', 'carol', '-e', '90d', '--json']))
        .stdout,
    );
    const keyId: string = created.key.keyId;

    const updated = await latchkey.run([
      'keys',
      'update',
      keyId,
      '-n',
      'lifecycle v2',
      '-r',
      'write',
      '--ip',
      '192.0.2.0/24',
      '--no-expiry',
      '--if-match',
      '1',
      '--json',
    ]);
    expect(updated.code).toBe(0);
    const afterUpdate = (await svc.api('GET', `/v1/keys/${keyId}`)).body;
    expect(json(updated.stdout)).toEqual(afterUpdate);
    expect(afterUpdate).toMatchObject({
      name: 'lifecycle v2',
      roles: ['write'],
      ipAllowlist: ['192.0.2.0/24'],
      expiresAt: null,
      version: 2,
    });

    const stale = await latchkey.run(['keys', 'update', keyId, '-d', 'late edit', '--if-match', '1']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/^If-Match does not match the key's current version 2\n/);
    const cleared = await latchkey.run(['keys', 'update', keyId, '--no-ip', '-m', 'team=ops', '--json']);
    expect(cleared.code).toBe(0);
    const afterClear = (await svc.api('GET', `/v1/keys/${keyId}`)).body;
    expect(afterClear.ipAllowlist).toBeUndefined();
    expect(afterClear).toMatchObject({ metadata: { team: 'ops' }, version: 3 });
    const nothing = await latchkey.run(['keys', 'update', keyId]);
    expect(nothing.code).toBe(2);

    const disabled = await latchkey.run(['keys', 'disable', keyId]);
    expect(disabled.stdout).toBe(`Disabled ${keyId} (lifecycle v2)\n`);
    expect((await svc.api('GET', `/v1/keys/${keyId}`)).body.status).toBe('inactive');
    expect((await latchkey.run(['keys', 'enable', keyId])).code).toBe(0);
    expect((await svc.api('GET', `/v1/keys/${keyId}`)).body.status).toBe('active');

    const before = Date.now();
    const rotated = await latchkey.run(['keys', 'rotate', keyId, '--grace', '1h', '--json']);
    expect(rotated.code).toBe(0);
    expect(rotated.stderr).toMatch(/will not be shown again/);
    const { key: next, previous, secret } = json(rotated.stdout);
    expect(secret).toMatch(/^lk_live_/);
    expect(previous.keyId).toBe(keyId);
    expect(Math.abs(Date.parse(previous.expiresAt) - (before + HOUR))).toBeLessThan(60_000);
    expect((await svc.api('GET', `/v1/keys/${keyId}`)).body).toMatchObject({
      status: 'active',
      rotatedTo: next.keyId,
    });
    expect((await svc.api('GET', `/v1/keys/${next.keyId}`)).body).toMatchObject({
      status: 'active',
      rotatedFrom: keyId,
      roles: ['write'],
    });
    expect((await svc.api('POST', '/v1/verify', { key: secret, sourceIp: '192.0.2.9' })).body.valid).toBe(
      true,
    );

    const usage = await latchkey.run(['keys', 'usage', next.keyId, '--days', '7', '--json']);
    expect(json(usage.stdout)).toEqual((await svc.api('GET', `/v1/keys/${next.keyId}/usage?days=7`)).body);
    const usageTable = await latchkey.run(['keys', 'usage', next.keyId, '--days', '3']);
    expect(usageTable.stdout).toMatch(/^DATE\s+ALLOWED\s+REFUSED\n/);
    expect(usageTable.stdout).not.toMatch(/ \n/);
    expect(usageTable.stdout.split('\n').filter((l) => /^\d{4}-\d\d-\d\d /.test(l))).toHaveLength(3);

    const revoked = await latchkey.run(['keys', 'revoke', next.keyId, '--yes']);
    expect(revoked.code).toBe(0);
    expect((await svc.api('GET', `/v1/keys/${next.keyId}`)).body.status).toBe('revoked');

    const deleted = await latchkey.run(['keys', 'delete', keyId, '-y']);
    expect(deleted).toMatchObject({ code: 0, stdout: `Deleted ${keyId}\n` });
    expect((await svc.api('GET', `/v1/keys/${keyId}`)).status).toBe(404);
  });

  it('refuses to revoke or delete without --yes when there is no terminal to ask (exit 2)', async () => {
    const keyId = json(
      (await latchkey.run(['keys', 'create', '-n', 'keep me', '-o', 'dave', '--json'])).stdout,
    ).key.keyId;
    for (const verb of ['revoke', 'delete']) {
      const refused = await latchkey.run(['keys', verb, keyId]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^(revoke|delete) key_\w+ needs confirmation: pass --yes/);
      expect(refused.stderr).toContain('Applications using this key will stop working');
    }
    expect((await svc.api('GET', `/v1/keys/${keyId}`)).body.status).toBe('active');
  });

  it('asks on a terminal: "n" keeps the key, "y" revokes it', async () => {
    const keyId = json(
      (await latchkey.run(['keys', 'create', '-n', 'ask me', '-o', 'erin', '--json'])).stdout,
    ).key.keyId;
    const no = await latchkey.onTerminal(['keys', 'revoke', keyId], 'n');
    expect(no.stdout).toContain('Applications using this key will stop working');
    expect(no.stdout).toContain(`Revoke ${keyId} (ask me, owner erin)? [y/N]`);
    expect(no.code).toBe(2);
    expect((await svc.api('GET', `/v1/keys/${keyId}`)).body.status).toBe('active');

    const yes = await latchkey.onTerminal(['keys', 'revoke', keyId], 'y');
    expect(yes.code).toBe(0);
    expect(yes.stdout).toMatch(new RegExp(`Revoked ${keyId} \\(ask me\\)\r?\n$`));
    expect((await svc.api('GET', `/v1/keys/${keyId}`)).body.status).toBe('revoked');
  });
});

describe('exit codes and whoami against the server', () => {
  it('exits 1 when the API refuses (a 404), as a process, with nothing on stdout', async () => {
    const missing = await latchkey.spawn(['keys', 'get', 'key_0000000000000000000000']);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toBe('no key key_0000000000000000000000\n');
    const badToken = await latchkey.run(['keys', 'list'], {
      env: { LATCHKEY_ADMIN_TOKEN: 'wrong-token-0123456789abcdef01234' },
    });
    expect(badToken.code).toBe(1);
    expect(badToken.stderr).toMatch(
      new RegExp(`^the admin token in LATCHKEY_ADMIN_TOKEN was refused by ${svc.url}\n {2}\\S`),
    );
  });

  it('answers "no key ID" and "no role NAME", exit 1, for every command that takes one', async () => {
    const keyId = json(
      (await latchkey.run(['keys', 'create', '-n', 'real', '-o', 'nobody', '--json'])).stdout,
    ).key.keyId;
    for (const missing of ['key_nope', 'key_0000000000000000000000']) {
      for (const argv of [
        ['keys', 'get', missing],
        ['keys', 'update', missing, '-n', 'x'],
        ['keys', 'enable', missing],
        ['keys', 'disable', missing],
        ['keys', 'revoke', missing, '--yes'],
        ['keys', 'rotate', missing],
        ['keys', 'delete', missing, '--yes'],
        ['keys', 'usage', missing],
      ]) {
        const result = await latchkey.run(argv);
        expect(result, argv.join(' ')).toEqual({ code: 1, stdout: '', stderr: `no key ${missing}\n` });
      }
    }
    expect(await latchkey.run(['audit', '--key', 'key_nope'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'no key key_nope\n',
    });
    for (const name of ['nope', 'Nope']) {
      for (const argv of [
        ['roles', 'get', name],
        ['roles', 'update', name, '-d', 'x'],
        ['roles', 'delete', name],
      ]) {
        const result = await latchkey.run(argv);
        expect(result, argv.join(' ')).toEqual({ code: 1, stdout: '', stderr: `no role ${name}\n` });
      }
    }
    // A refusal that is not about the key's existence keeps its own words.
    await svc.api('POST', `/v1/keys/${keyId}/revoke`);
    const revokedUpdate = await latchkey.run(['keys', 'update', keyId, '-n', 'x']);
    expect(revokedUpdate.code).toBe(1);
    expect(revokedUpdate.stderr).not.toMatch(/^no key/);
  });

  it('--json shows a key with keyId first and its fields in one order, whichever call answers', async () => {
    const created = json(
      (
        await latchkey.run([
          'keys',
          'create',
          '-n',
          'ordered',
          '-o',
          'olga',
          '-d',
          'd',
          '-m',
          'a=b',
          '--ip',
          '10.0.0.0/8',
          '--json',
        ])
      ).stdout,
    ).key;
    const order = Object.keys(created);
    expect(order[0]).toBe('keyId');
    const got = json((await latchkey.run(['keys', 'get', created.keyId, '--json'])).stdout);
    expect(Object.keys(got)).toEqual(order);
    const listed = json((await latchkey.run(['keys', 'list', '-o', 'olga', '--json'])).stdout).items[0];
    expect(Object.keys(listed)).toEqual(order);
    const disabled = json((await latchkey.run(['keys', 'disable', created.keyId, '--json'])).stdout);
    expect(Object.keys(disabled)).toEqual(order);
    expect(Object.keys(disabled).indexOf('name')).toBe(1);
  });

  it('finds the local server through its data folder when nothing answers on the default port', async () => {
    expect((await readFile(join(svc.dataDir as string, 'server-url'), 'utf8')).trim()).toBe(svc.url);
    const defaultRefused = (async (input: string | URL | Request, init?: RequestInit) => {
      if (new URL(String(input)).port === '8787')
        throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
      return fetch(input, init);
    }) as typeof fetch;
    const found = await cli(['whoami'], {
      env: { LATCHKEY_DATA_DIR: svc.dataDir as string, LATCHKEY_ADMIN_TOKEN: svc.adminToken },
      fetch: defaultRefused,
    });
    expect(found.code, found.stderr).toBe(0);
    expect(found.stdout).toMatch(new RegExp(`^Endpoint\\s+${svc.url}$`, 'm'));
  });

  it('whoami shows the endpoint, the mode and the actor', async () => {
    const who = await latchkey.run(['whoami']);
    expect(who.code).toBe(0);
    expect(who.stdout).toBe(
      `Endpoint  ${svc.url}\nMode      local\nActor     local-admin\nAuth      admin token from LATCHKEY_ADMIN_TOKEN\n`,
    );
    expect(json((await latchkey.run(['whoami', '--json'])).stdout)).toEqual(
      (await svc.api('GET', '/v1/whoami')).body,
    );
  });
});

describe('roles, audit, events, sweep, verify', () => {
  it('manages custom roles', async () => {
    const created = await latchkey.run([
      'roles',
      'create',
      'support',
      '-p',
      'tickets:read',
      '-d',
      'Support desk',
      '--json',
    ]);
    expect(created.code).toBe(0);
    expect(json(created.stdout)).toEqual((await svc.api('GET', '/v1/roles/support')).body);
    const updated = await latchkey.run([
      'roles',
      'update',
      'support',
      '-p',
      'tickets:read',
      '-p',
      'tickets:write',
    ]);
    expect(updated.code).toBe(0);
    expect((await svc.api('GET', '/v1/roles/support')).body).toMatchObject({
      description: 'Support desk',
      permissions: ['tickets:read', 'tickets:write'],
    });
    const listed = await latchkey.run(['roles', 'list', '--json']);
    expect(json(listed.stdout)).toEqual((await svc.api('GET', '/v1/roles')).body);
    const table = await latchkey.run(['roles', 'list']);
    expect(table.stdout).toMatch(/^support\s+custom\s+0\s+tickets:read, tickets:write\s+Support desk$/m);
    expect((await latchkey.run(['roles', 'get', 'support'])).stdout).toMatch(
      /Permissions\s+tickets:read, tickets:write/,
    );
    expect((await latchkey.run(['roles', 'delete', 'support'])).code).toBe(0);
    expect((await svc.api('GET', '/v1/roles/support')).status).toBe(404);
    const missing = await latchkey.run(['roles', 'get', 'support']);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toBe('no role support\n');
  });

  it('shows audit history and events, as the API has them', async () => {
    const keyId = json(
      (await latchkey.run(['keys', 'create', '-n', 'audited', '-o', 'frank', '--json'])).stdout,
    ).key.keyId;
    await latchkey.run(['keys', 'disable', keyId]);
    const audit = await latchkey.run(['audit', '--key', keyId, '--json']);
    expect(json(audit.stdout)).toEqual((await svc.api('GET', `/v1/audit?keyId=${keyId}`)).body);
    expect(json(audit.stdout).items.map((e: { action: string }) => e.action)).toEqual([
      'key.disabled',
      'key.created',
    ]);
    const auditTable = await latchkey.run(['audit', '--key', keyId]);
    expect(auditTable.stdout).toMatch(/^WHEN\s+ACTOR\s+ACTION\s+TARGET\s+CHANGED$/m);
    expect(auditTable.stdout).toMatch(new RegExp(`local-admin\\s+key\\.disabled\\s+${keyId}\\s+status`));

    const events = await latchkey.run(['events', '--limit', '5', '--json']);
    expect(json(events.stdout).items.length).toBeGreaterThan(0);
    const eventsAll = await latchkey.run(['events', '--limit', '100', '--all', '--json']);
    expect(
      json(eventsAll.stdout).items.some((e: { detail: { keyId: string } }) => e.detail.keyId === keyId),
    ).toBe(true);
  });

  it('runs the sweep, as a dry run as of a later time', async () => {
    const preview = await latchkey.run(['sweep', '--dry-run', '--as-of', '400d', '--json']);
    expect(preview.code).toBe(0);
    const body = json(preview.stdout);
    expect(body.dryRun).toBe(true);
    expect(Date.parse(body.asOf)).toBeGreaterThan(Date.now() + 399 * DAY);
    expect(body.flagged.length).toBeGreaterThan(0);
    const table = await latchkey.run(['sweep', '--dry-run', '--as-of', '400d']);
    expect(table.stdout).toMatch(/^Dry run \(nothing changed\) as of /);
    expect(table.stdout).toMatch(/Newly due for rotation: \d+/);
    const now = await latchkey.run(['sweep', '--json']);
    expect(json(now.stdout)).toMatchObject({ dryRun: false, flagged: [] });
  });

  it('verifies a secret: valid exits 0, refused exits 1; it can come from stdin', async () => {
    const { key, secret } = json(
      (await latchkey.run(['keys', 'create', '-n', 'verify me', '-o', 'gina', '-w', 'ws-9', '--json']))
        .stdout,
    );
    const ok = await latchkey.run(['verify', secret, '--workspace', 'ws-9', '--permission', 'orders:read']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Valid\s+yes/);
    expect(ok.stdout).toContain(key.keyId);
    const wrongWorkspace = await latchkey.run(['verify', '-', '--workspace', 'ws-1', '--json'], {
      stdin: `${secret}\n`,
    });
    expect(wrongWorkspace.code).toBe(1);
    expect(json(wrongWorkspace.stdout)).toMatchObject({ valid: false, code: 'WORKSPACE_NOT_ALLOWED' });
    expect(wrongWorkspace.stderr).toMatch(/^the secret was refused: WORKSPACE_NOT_ALLOWED\n/);
  });
});
