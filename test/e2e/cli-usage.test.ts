import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandPath, walk } from '../../cli/src/lib/command.ts';
import { parseExpires, parseGrace } from '../../cli/src/lib/parse.ts';
import { buildProgram } from '../../cli/src/main.ts';
import { freePort } from '../../local/dynamodb-local.ts';
import { cli, root, spawnCli } from '../support/cli.ts';

/** The CLI's own behaviour, in-process against a stand-in fetch: help, usage errors, output, completion. */
const NOW = Date.parse('2026-06-15T12:00:00.000Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(NOW + days * DAY).toISOString();

const key = (overrides: Record<string, unknown> = {}) => ({
  keyId: 'key_0123456789abcdefghijkl',
  name: 'CI deploy',
  owner: 'alice',
  type: 'service',
  scope: { workspaceId: 'default' },
  roles: ['read'],
  permissions: [],
  environment: 'production',
  expiresAt: at(30),
  status: 'active',
  createdAt: at(-3),
  createdBy: 'local-admin',
  updatedAt: at(-3),
  lastUsedAt: null,
  rotationDueAt: at(87),
  rotationDue: false,
  version: 1,
  ...overrides,
});

interface Call {
  url: URL;
  init: RequestInit | undefined;
}

/** A fetch that answers from `handler` and records each call. */
function stub(handler: (url: URL, init?: RequestInit) => [number, unknown]) {
  const calls: Call[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    calls.push({ url, init });
    const [status, body] = handler(url, init);
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const env = {
  LATCHKEY_URL: 'http://127.0.0.1:1',
  LATCHKEY_ADMIN_TOKEN: 'test-token-0123456789abcdef0123456789',
};
const VERSION = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

describe('commands and help', () => {
  it('prints the version', async () => {
    expect(await cli(['--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('shows an example in the help of every command, and the global options', async () => {
    const paths: string[] = [];
    walk(buildProgram({} as never), (c) => {
      paths.push(commandPath(c));
    });
    expect(paths).toEqual(
      expect.arrayContaining(
        ['keys create', 'keys list', 'keys get', 'keys update', 'keys enable', 'keys disable', 'keys revoke']
          .concat(['keys rotate', 'keys delete', 'keys usage', 'roles list', 'roles get', 'roles create'])
          .concat([
            'roles update',
            'roles delete',
            'audit',
            'events',
            'sweep',
            'verify',
            'whoami',
            'completion',
          ]),
      ),
    );
    for (const path of paths) {
      const help = await cli([...path.split(' ').filter(Boolean), '--help']);
      expect(help.code, path).toBe(0);
      expect(help.stdout, path).toMatch(/\nExamples?:\n {2}\$ .*latchkey /);
      if (path)
        expect(help.stdout, path).toMatch(
          /--endpoint <url>[\s\S]*--region[\s\S]*--profile[\s\S]*--json[\s\S]*--no-color/,
        );
    }
  });

  it('reports usage errors on one line and exits 2, before any request', async () => {
    const { fetch, calls } = stub(() => [200, {}]);
    const cases: [string[], RegExp][] = [
      [['keys', 'list', '--bogus'], /^error: USAGE: unknown option '--bogus'\n/],
      [
        ['keys', 'create', '--expires', 'soon'],
        /^error: USAGE: option '-e, --expires <when>' argument 'soon' is invalid\. expected never, Nd/,
      ],
      [
        ['keys', 'rotate', 'key_0123456789abcdefghijkl', '--grace', '8d'],
        /the grace period is at most 7 days/,
      ],
      [
        ['keys', 'create', '--type', 'robot'],
        /argument 'robot' is invalid\. Allowed choices are personal, service/,
      ],
      [['keys', 'create', '--metadata', 'novalue'], /expected key=value/],
      [['keys', 'create', '--organization', 'acme'], /^error: USAGE: --organization needs --workspaces/],
      [['keys', 'get'], /^error: USAGE: missing required argument 'keyId'/],
      [['keys', 'get', 'not-a-key'], /^error: USAGE: "not-a-key" is not a key ID/],
      [
        ['keys', 'update', 'key_0123456789abcdefghijkl', '--no-expiry', '--expires', '30d'],
        /cannot be used together/,
      ],
      [['keys', 'frobnicate'], /^error: USAGE: unknown command 'frobnicate'/],
      [['completion', 'fish'], /Allowed choices are bash, zsh/],
      [['roles', 'create', 'Bad Name', '-p', 'a:b'], /a role name is lower-case/],
    ];
    for (const [argv, message] of cases) {
      const result = await cli(argv, { env, fetch });
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stdout, argv.join(' ')).toBe('');
      expect(result.stderr, argv.join(' ')).toMatch(message);
    }
    const bare = await cli(['keys'], { env, fetch });
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('Usage: latchkey keys [options] [command]');
    expect(calls).toHaveLength(0);
  });

  it('sends expiresAt null for --expires never, on create and on update', async () => {
    const { fetch, calls } = stub(() => [201, { key: key({ expiresAt: null }), secret: 'lk_test_x' }]);
    const created = await cli(['keys', 'create', '--name', 'forever', '--expires', 'never', '--json'], {
      env,
      fetch,
    });
    expect(created.code, created.stderr).toBe(0);
    const updated = await cli(
      ['keys', 'update', 'key_0123456789abcdefghijkl', '--expires', 'never', '--json'],
      {
        env,
        fetch,
      },
    );
    expect(updated.code, updated.stderr).toBe(0);
    expect(calls.map((c) => JSON.parse(String(c.init?.body)).expiresAt)).toEqual([null, null]);
  });

  it('parses --expires and --grace', () => {
    expect(parseExpires('never')).toBeNull();
    expect(Math.abs(Date.parse(parseExpires('90d') as string) - (Date.now() + 90 * DAY))).toBeLessThan(1000);
    expect(parseExpires('2027-01-31T12:00:00+02:00')).toBe('2027-01-31T10:00:00.000Z');
    expect(parseExpires('2027-01-31')).toBe('2027-01-31T00:00:00.000Z');
    expect(() => parseExpires('2027-13-45')).toThrow();
    expect([0, '0', '1h', '24h', '7d', '90', '30m'].map((v) => parseGrace(String(v)))).toEqual([
      0, 0, 3600, 86_400, 604_800, 90, 1800,
    ]);
    expect(() => parseGrace('604801')).toThrow(/at most 7 days/);
    expect(() => parseGrace('-1')).toThrow();
  });
});

describe('output', () => {
  const listing = () =>
    stub((url) =>
      url.pathname === '/v1/keys'
        ? [
            200,
            {
              items: [
                key(),
                key({ keyId: 'key_1123456789abcdefghijkl', name: 'old', status: 'revoked', expiresAt: null }),
              ],
              nextCursor: null,
            },
          ]
        : [404, { error: { code: 'NOT_FOUND', message: 'no route' } }],
    );

  it('on a terminal: relative times, coloured status, truncated to the width; NO_COLOR and --no-color turn colour off', async () => {
    const tty = await cli(['keys', 'list'], { env, tty: 200, now: () => NOW, fetch: listing().fetch });
    expect(tty.stdout).toContain('\u001b[32mactive\u001b[0m');
    expect(tty.stdout).toContain('\u001b[31mrevoked\u001b[0m');
    expect(tty.stdout).toMatch(
      /CI deploy\s+key_0123456789abcdefghijkl\s+read\s+alice\s+3 days ago\s+next month\s+never/,
    );
    for (const [extraEnv, flags] of [
      [{ NO_COLOR: '1' }, []],
      [{}, ['--no-color']],
    ] as const) {
      const plain = await cli(['keys', 'list', ...flags], {
        env: { ...env, ...extraEnv },
        tty: 200,
        now: () => NOW,
        fetch: listing().fetch,
      });
      expect(plain.stdout).not.toContain('\u001b[');
      expect(plain.stdout).toContain('3 days ago');
    }
    const long = stub(() => [
      200,
      { items: [key({ name: 'n'.repeat(60), owner: 'o'.repeat(40) })], nextCursor: null },
    ]);
    const narrow = await cli(['keys', 'list', '--no-color'], {
      env,
      tty: 120,
      now: () => NOW,
      fetch: long.fetch,
    });
    const widest = Math.max(...narrow.stdout.split('\n').map((l) => l.length));
    expect(widest).toBeLessThanOrEqual(120);
    expect(narrow.stdout).toMatch(/n…\s+key_0123456789abcdefghijkl\s+read\s+o+…\s/);
    const wide = await cli(['keys', 'list', '--wide'], {
      env,
      tty: 80,
      now: () => NOW,
      fetch: listing().fetch,
    });
    expect(wide.stdout).toContain(at(-3));
  });

  it('--json is the API body (indented on a terminal), and errors stay on stderr', async () => {
    const { fetch } = listing();
    const result = await cli(['keys', 'list', '--json'], { env, tty: 200, fetch });
    expect(JSON.parse(result.stdout)).toEqual({
      items: [key(), expect.objectContaining({ name: 'old' })],
      nextCursor: null,
    });
    expect(result.stdout).not.toContain('\u001b[');
    expect(result.stdout).toMatch(/^\{\n {2}"items": \[\n/);
    const missing = await cli(['keys', 'get', 'key_0123456789abcdefghijkl', '--json'], { env, fetch });
    expect(missing).toEqual({ code: 1, stdout: '', stderr: 'error: NOT_FOUND: no route\n' });
  });

  it('lists the API’s details under the error line; a 5xx exits 3', async () => {
    const invalid = stub(() => [
      400,
      {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'invalid body: roles.0 must be lower-case',
          details: [{ field: 'roles.0', message: 'must be lower-case letters, digits, _ : -' }],
        },
      },
    ]);
    const refused = await cli(['keys', 'create', '-r', 'Bad'], { env, fetch: invalid.fetch });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'error: VALIDATION_FAILED: invalid body: roles.0 must be lower-case\n  - roles.0: must be lower-case letters, digits, _ : -\n',
    );
    const broken = stub(() => [
      500,
      { error: { code: 'INTERNAL', message: 'internal error', requestId: 'r-1' } },
    ]);
    const failed = await cli(['keys', 'list'], { env, fetch: broken.fetch });
    expect(failed).toEqual({ code: 3, stdout: '', stderr: 'error: INTERNAL: internal error\n' });
  });

  it('shows progress on stderr when --all takes more than a second, and not before', async () => {
    const pages = () =>
      stub((url) => {
        const page = Number(url.searchParams.get('cursor') ?? 0);
        return [
          200,
          {
            items: [key({ keyId: `key_${page}123456789abcdefghijkl` })],
            nextCursor: page < 3 ? String(page + 1) : null,
          },
        ];
      });
    let clock = NOW;
    const slow = await cli(['keys', 'list', '--all', '--json'], {
      env,
      fetch: pages().fetch,
      now: () => (clock += 600),
    });
    expect(JSON.parse(slow.stdout).items).toHaveLength(4);
    expect(slow.stderr).toMatch(/^fetching keys… \d so far\n/);
    expect(slow.stderr).toMatch(/fetched 4 keys\n$/);
    const fast = await cli(['keys', 'list', '--all', '--json'], {
      env,
      fetch: pages().fetch,
      now: () => NOW,
    });
    expect(fast.stderr).toBe('');
    const loop = stub(() => [200, { items: [], nextCursor: 'again' }]);
    const looping = await cli(['keys', 'list', '--all'], { env, fetch: loop.fetch });
    expect(looping).toMatchObject({
      code: 3,
      stderr: 'error: BAD_RESPONSE: /v1/keys answered the same nextCursor twice\n',
    });
  });

  it('prints the secret once, with a warning on stderr; --quiet prints only the secret', async () => {
    const created = () => stub(() => [201, { key: key(), secret: 'lk_live_0123456789abcdefghijkl_s3cret' }]);
    const people = await cli(['keys', 'create', '-n', 'CI deploy'], {
      env,
      fetch: created().fetch,
      now: () => NOW,
    });
    expect(people.stdout).toMatch(/^Created key_0123456789abcdefghijkl\n/);
    expect(people.stdout).toMatch(/\nSecret\s+lk_live_0123456789abcdefghijkl_s3cret\n$/);
    expect(people.stderr).toMatch(/^warning: store this secret now: it will not be shown again/);
    const quiet = await cli(['keys', 'create', '-q'], { env, fetch: created().fetch });
    expect(quiet).toEqual({ code: 0, stdout: 'lk_live_0123456789abcdefghijkl_s3cret\n', stderr: '' });
  });
});

describe('where it points', () => {
  it('reads the admin token from the data folder, and says where it looked when it cannot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-cli-'));
    writeFileSync(join(dir, 'admin-token'), 'lk_admin_from_file\n');
    const { fetch, calls } = stub(() => [200, { items: [], nextCursor: null }]);
    const listed = await cli(['keys', 'list'], { env: { LATCHKEY_DATA_DIR: dir }, fetch });
    expect(listed.code).toBe(0);
    expect(listed.stderr).toBe('No keys match.\n');
    expect(calls[0]?.url.origin).toBe('http://127.0.0.1:8787');
    expect(new Headers(calls[0]?.init?.headers).get('authorization')).toBe('Bearer lk_admin_from_file');
    const none = await cli(['keys', 'list'], { env: { LATCHKEY_DATA_DIR: join(dir, 'missing') }, fetch });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(
      `error: USAGE: no admin token: ${join(dir, 'missing', 'admin-token')} cannot be read`,
    );
  });

  it('exits 2 on a bad flag and 3 when nothing listens, as a process', async () => {
    const badFlag = await spawnCli(['keys', 'list', '--colr'], env);
    expect(badFlag).toMatchObject({ code: 2, stdout: '' });
    expect(badFlag.stderr).toMatch(
      /^error: USAGE: unknown option '--colr'\n\(Did you mean --role\?\)\n\(add --help for usage\)\n$/,
    );
    const port = await freePort();
    const nobody = await spawnCli(['keys', 'list'], { ...env, LATCHKEY_URL: `http://127.0.0.1:${port}` });
    expect(nobody).toMatchObject({ code: 3, stdout: '' });
    expect(nobody.stderr).toMatch(
      new RegExp(`^error: UNREACHABLE: could not reach http://127.0.0.1:${port} \\(ECONNREFUSED\\)`),
    );
  });
});

describe('completion', () => {
  it('completes commands, flags and choices in bash, from the command tree', async () => {
    const script = (await cli(['completion', 'bash'])).stdout;
    const complete = (line: string) => {
      const words = line.split(' ');
      const probe = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _latchkey; printf '%s\\n' "\${COMPREPLY[*]}"`;
      const out = spawnSync('bash', ['--norc', '--noprofile', '-c', probe], { encoding: 'utf8' });
      expect(out.stderr).toBe('');
      return out.stdout.trim().split(' ').filter(Boolean).sort();
    };
    expect(complete('latchkey ke')).toEqual(['keys']);
    expect(complete('latchkey keys ')).toEqual([
      'create',
      'delete',
      'disable',
      'edit',
      'enable',
      'get',
      'list',
      'ls',
      'revoke',
      'rm',
      'rotate',
      'show',
      'update',
      'usage',
    ]);
    expect(complete('latchkey --endpoint https://x keys r')).toEqual(['revoke', 'rm', 'rotate']);
    expect(complete('latchkey keys create --ty')).toEqual(['--type']);
    expect(complete('latchkey keys create --type ')).toEqual(['canary', 'personal', 'service']);
    expect(complete('latchkey keys list --status ')).toEqual(['active', 'expired', 'inactive', 'revoked']);
    expect(complete('latchkey keys revoke --')).toEqual(
      expect.arrayContaining(['--yes', '--json', '--endpoint', '--help']),
    );
    expect(complete('latchkey completion ')).toEqual(['bash', 'zsh']);
  });

  it('writes a zsh completion with every command and its description', async () => {
    const script = (await cli(['completion', 'zsh'])).stdout;
    expect(script).toMatch(/^#compdef latchkey\n/);
    expect(script).toContain(
      `'rotate:replace a key with a new one with the same settings; the old one works for --grace'`,
    );
    expect(script).toContain(`'keys create|--type') _latchkey_items=(personal service canary) ;;`);
    const zsh = spawnSync('zsh', ['-n'], { input: script, encoding: 'utf8' });
    if (!zsh.error) expect(zsh.status, zsh.stderr).toBe(0);
  });
});
