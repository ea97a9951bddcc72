import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandPath, walk } from '../../cli/src/lib/command.ts';
import { parseExpires, parseGrace } from '../../cli/src/lib/parse.ts';
import { buildProgram } from '../../cli/src/main.ts';
import { freePort } from '../../local/dynamodb-local.ts';
import { cli, spawnCli } from '../support/cli.ts';
import { root, useTempDirs } from '../support/process.ts';

/** The CLI's own behaviour, in-process against a stand-in fetch: help, usage errors, output, completion. */
const tempDir = useTempDirs();
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
      [['keys', 'list', '--bogus'], /^unknown option '--bogus'\n {2}see `latchkey keys list --help`\n$/],
      [
        ['keys', 'create', '--expires', 'soon'],
        /^option '-e, --expires <when>' argument 'soon' is invalid\. expected never, Nd/,
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
      [['keys', 'create', '--organization', 'acme'], /^--organization needs --workspaces/],
      [['keys', 'get'], /^missing required argument 'keyId'\n {2}see `latchkey keys get --help`\n$/],
      [
        ['keys', 'get', 'billing'],
        /^"billing" is not a key ID \(key_…\)\n {2}to find a key by its name: latchkey keys list --search billing\n$/,
      ],
      [
        ['keys', 'update', 'key_0123456789abcdefghijkl', '--no-expiry', '--expires', '30d'],
        /cannot be used together/,
      ],
      [['keys', 'frobnicate'], /^unknown command 'frobnicate'\n {2}see `latchkey keys --help`\n$/],
      [['completion', 'tcsh'], /Allowed choices are bash, zsh, fish/],
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
    const revoked = await cli(['keys', 'list', '--status', 'revoked'], {
      env,
      tty: 200,
      now: () => NOW,
      fetch: listing().fetch,
    });
    expect(revoked.stdout).toContain('\u001b[31mrevoked\u001b[0m');
    expect(tty.stdout).toMatch(
      /CI deploy\s+key_0123456789abcdefghijkl\s+read\s+alice\s+3 days ago\s+in 1 month\s+never/,
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
    expect(missing).toEqual({ code: 1, stdout: '', stderr: 'no key key_0123456789abcdefghijkl\n' });
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
      'invalid body: roles.0 must be lower-case\n  - roles.0: must be lower-case letters, digits, _ : -\n',
    );
    const broken = stub(() => [
      500,
      { error: { code: 'INTERNAL', message: 'internal error', requestId: 'r-1' } },
    ]);
    const failed = await cli(['keys', 'list'], { env, fetch: broken.fetch });
    expect(failed).toEqual({
      code: 3,
      stdout: '',
      stderr: 'the server failed (HTTP 500): internal error\n  request ID: r-1\n',
    });
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
      stderr: '/v1/keys answered the same nextCursor twice\n',
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

describe('what a new user tripped on', () => {
  const fromNow = (ms: number) => new Date(NOW + ms).toISOString();
  const answering = (body: unknown, status = 200) => stub(() => [status, body]).fetch;

  it('writes every error one way, as gh does: what went wrong, then indented details; no "error:" prefix, no code', async () => {
    const refusing = (async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    }) as typeof fetch;
    const cases: [string[], typeof fetch][] = [
      [['keys', 'list', '--bogus'], answering({})],
      [['keys', 'frobnicate'], answering({})],
      [['nope'], answering({})],
      [['keys', 'get'], answering({})],
      [['keys', 'list', '--status', 'gone'], answering({})],
      [['keys', 'create', '-w', 'a', '--organization', 'b'], answering({})],
      [['keys', 'list', 'extra'], answering({})],
      [['keys', 'get', 'billing'], answering({})],
      [['keys', 'update', 'key_0123456789abcdefghijkl'], answering({})],
      [['keys', 'revoke', 'key_0123456789abcdefghijkl'], answering({})],
      [
        ['keys', 'get', 'key_0123456789abcdefghijkl'],
        answering({ error: { code: 'NOT_FOUND', message: 'x' } }, 404),
      ],
      [
        ['keys', 'create'],
        answering({ error: { code: 'LIMIT_EXCEEDED', message: 'alice holds 100 keys' } }, 409),
      ],
      [['keys', 'list'], answering({ message: 'Forbidden' }, 403)],
      [['keys', 'list'], answering({ error: { code: 'INTERNAL', message: 'internal error' } }, 500)],
      [['keys', 'list'], refusing],
      [['keys', 'list'], (async () => new Response('<html>', { status: 200 })) as typeof fetch],
      [['verify', 'lk_live_x'], answering({ valid: false, code: 'NOT_FOUND' })],
    ];
    for (const [argv, fetch] of cases) {
      const result = await cli(argv, { env, fetch });
      const [first = '', ...rest] = result.stderr.trimEnd().split('\n');
      expect(result.code, argv.join(' ')).toBeGreaterThan(0);
      expect(first, argv.join(' ')).not.toMatch(/^(error|Error|ERROR)\b|^[A-Z][A-Z_]+: /);
      expect(first, argv.join(' ')).toMatch(/^\S/);
      for (const line of rest) expect(line, argv.join(' ')).toMatch(/^ {2}\S/);
    }
  });

  it('prints no AWS SDK notice, and says in words when API Gateway cannot be reached (import apigateway, as a process)', async () => {
    const port = await freePort();
    const result = await spawnCli(
      ['import', 'apigateway', '--rest-api-id', 'a1b2c3', '--region', 'eu-west-1'],
      {
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        AWS_ENDPOINT_URL_API_GATEWAY: `http://127.0.0.1:${port}`,
        AWS_MAX_ATTEMPTS: '1',
      },
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      `could not reach API Gateway in eu-west-1 (ECONNREFUSED)\n  check your network and --region (AWS_ENDPOINT_URL_API_GATEWAY is http://127.0.0.1:${port})\n`,
    );
  });

  it('says which admin token was refused and where it came from', async () => {
    const refused = answering(
      { error: { code: 'UNAUTHORIZED', message: 'send the admin token as "Authorization: Bearer <token>"' } },
      401,
    );
    const fromEnv = await cli(['keys', 'list'], { env, fetch: refused });
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.stderr).toMatch(
      /^the admin token in LATCHKEY_ADMIN_TOKEN was refused by http:\/\/127\.0\.0\.1:1\n {2}\S/,
    );
    expect(fromEnv.stderr).not.toContain('send the admin token');
    const dir = await tempDir('latchkey-cli-');
    writeFileSync(join(dir, 'admin-token'), 'lk_admin_stale\n');
    const fromFile = await cli(['keys', 'list'], { env: { LATCHKEY_DATA_DIR: dir }, fetch: refused });
    expect(fromFile.stderr).toMatch(
      new RegExp(
        `^the admin token in ${join(dir, 'admin-token')} was refused by http://127\\.0\\.0\\.1:8787\n`,
      ),
    );
  });

  it('says "in 43 seconds" and "43 seconds ago", both ways, never "just now" for a time to come', async () => {
    const soon = key({
      expiresAt: fromNow(43_000),
      lastUsedAt: fromNow(-43_000),
      createdAt: fromNow(-3 * DAY),
    });
    const got = await cli(['keys', 'get', soon.keyId, '--no-color'], {
      env,
      tty: 200,
      now: () => NOW,
      fetch: answering(soon),
    });
    expect(got.stdout).toMatch(/^Expires\s+in 43 seconds \(/m);
    expect(got.stdout).toMatch(/^Last used\s+43 seconds ago \(/m);
    expect(got.stdout).toMatch(/^Created\s+3 days ago \(/m);
    const listed = await cli(['keys', 'list'], {
      env,
      tty: 200,
      now: () => NOW,
      fetch: answering({ items: [soon], nextCursor: null }),
    });
    expect(listed.stdout).toMatch(/3 days ago\s+in 43 seconds\s+43 seconds ago/);
    const { relativeTime } = await import('../../cli/src/lib/output.ts');
    const cases: [number, string][] = [
      [0, 'now'],
      [400, 'now'],
      [43_000, 'in 43 seconds'],
      [-43_000, '43 seconds ago'],
      [59_600, 'in 1 minute'],
      [119_000, 'in 2 minutes'],
      [90_000, 'in 2 minutes'],
      [-90_000, '2 minutes ago'],
      [-2 * 3_600_000, '2 hours ago'],
      [36 * 3_600_000, 'in 2 days'],
      [30 * 3_600_000, 'in 1 day'],
      [90 * DAY - 10_000, 'in 3 months'],
      [-DAY, '1 day ago'],
      [30 * DAY, 'in 1 month'],
      [-400 * DAY, '1 year ago'],
    ];
    for (const [offset, text] of cases) expect(relativeTime(fromNow(offset), NOW), String(offset)).toBe(text);
  });

  it('says a revoke once, and that an enabled key which has expired is still refused', async () => {
    const enabled = await cli(['keys', 'enable', 'key_0123456789abcdefghijkl'], {
      env,
      fetch: answering(key({ status: 'expired' })),
    });
    expect(enabled).toEqual({
      code: 0,
      stdout: 'Enabled key_0123456789abcdefghijkl (CI deploy)\n',
      stderr: 'key_0123456789abcdefghijkl is expired: requests with it are still refused\n',
    });
    const revoked = await cli(['keys', 'revoke', 'key_0123456789abcdefghijkl', '--yes'], {
      env,
      fetch: answering(key({ status: 'revoked' })),
    });
    expect(revoked).toEqual({
      code: 0,
      stdout: 'Revoked key_0123456789abcdefghijkl (CI deploy)\n',
      stderr: '',
    });
  });

  it('hides revoked keys from the table, as the dashboard does, and says how to see them; --json stays the API answer', async () => {
    const page = {
      items: [
        key(),
        key({ keyId: 'key_1123456789abcdefghijkl', name: 'gone one', status: 'revoked' }),
        key({ keyId: 'key_2123456789abcdefghijkl', name: 'gone two', status: 'revoked' }),
      ],
      nextCursor: null,
    };
    const listed = await cli(['keys', 'list'], { env, fetch: answering(page) });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('CI deploy');
    expect(listed.stdout).not.toContain('gone');
    expect(listed.stderr).toBe('2 revoked keys hidden: add --status revoked to see them\n');
    const onlyRevoked = await cli(['keys', 'list'], {
      env,
      fetch: answering({ items: page.items.slice(1, 2), nextCursor: null }),
    });
    expect(onlyRevoked.stdout).toBe('');
    expect(onlyRevoked.stderr).toBe('No keys match.\n1 revoked key hidden: add --status revoked to see it\n');
    const asked = await cli(['keys', 'list', '--status', 'revoked'], {
      env,
      fetch: answering({ items: page.items.slice(1), nextCursor: null }),
    });
    expect(asked.stdout).toContain('gone one');
    expect(asked.stderr).toBe('');
    const json = await cli(['keys', 'list', '--json'], { env, fetch: answering(page) });
    expect(JSON.parse(json.stdout)).toEqual(page);
    expect(json.stderr).toBe('');
  });

  it('finds the local server on the port its data folder names when none answers on the default', async () => {
    const dir = await tempDir('latchkey-cli-');
    writeFileSync(join(dir, 'admin-token'), 'lk_admin_from_file\n');
    writeFileSync(join(dir, 'server-url'), 'http://127.0.0.1:8805\n');
    const urls: string[] = [];
    const only8805 = (async (input: string | URL | Request) => {
      const url = new URL(String(input));
      urls.push(url.origin);
      if (url.port !== '8805')
        throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
      return new Response(JSON.stringify({ items: [key()], nextCursor: null }), { status: 200 });
    }) as typeof fetch;
    const found = await cli(['keys', 'list'], { env: { LATCHKEY_DATA_DIR: dir }, fetch: only8805 });
    expect(found.code, found.stderr).toBe(0);
    expect(found.stdout).toContain('CI deploy');
    expect(urls).toEqual(['http://127.0.0.1:8787', 'http://127.0.0.1:8805']);

    const nobody = (async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    }) as typeof fetch;
    const stale = await cli(['keys', 'list'], { env: { LATCHKEY_DATA_DIR: dir }, fetch: nobody });
    expect(stale.code).toBe(3);
    expect(stale.stderr).toMatch(
      new RegExp(
        `^could not reach http://127\\.0\\.0\\.1:8787 \\(ECONNREFUSED\\), nor http://127\\.0\\.0\\.1:8805 \\(ECONNREFUSED\\), which ${join(dir, 'server-url')} names\n`,
      ),
    );
    // LATCHKEY_URL is what the user asked for: no other port is tried.
    urls.length = 0;
    const pinned = await cli(['keys', 'list'], {
      env: { LATCHKEY_DATA_DIR: dir, LATCHKEY_URL: 'http://127.0.0.1:8787' },
      fetch: only8805,
    });
    expect(pinned.code).toBe(3);
    expect(urls).toEqual(['http://127.0.0.1:8787']);
  });
});

describe('where it points', () => {
  it('reads the admin token from the data folder, and says where it looked when it cannot', async () => {
    const dir = await tempDir('latchkey-cli-');
    writeFileSync(join(dir, 'admin-token'), 'lk_admin_from_file\n');
    const { fetch, calls } = stub(() => [200, { items: [], nextCursor: null }]);
    const listed = await cli(['keys', 'list'], { env: { LATCHKEY_DATA_DIR: dir }, fetch });
    expect(listed.code).toBe(0);
    expect(listed.stderr).toBe('No keys match.\n');
    expect(calls[0]?.url.origin).toBe('http://127.0.0.1:8787');
    expect(new Headers(calls[0]?.init?.headers).get('authorization')).toBe('Bearer lk_admin_from_file');
    const none = await cli(['keys', 'list'], { env: { LATCHKEY_DATA_DIR: join(dir, 'missing') }, fetch });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`no admin token: ${join(dir, 'missing', 'admin-token')} cannot be read`);
  });

  it('exits 2 on a bad flag and 3 when nothing listens, as a process', async () => {
    const badFlag = await spawnCli(['keys', 'list', '--colr'], env);
    expect(badFlag).toMatchObject({ code: 2, stdout: '' });
    expect(badFlag.stderr).toMatch(
      /^unknown option '--colr'\n {2}did you mean --role\?\n {2}see `latchkey keys list --help`\n$/,
    );
    const port = await freePort();
    const nobody = await spawnCli(['keys', 'list'], { ...env, LATCHKEY_URL: `http://127.0.0.1:${port}` });
    expect(nobody).toMatchObject({ code: 3, stdout: '' });
    expect(nobody.stderr).toMatch(new RegExp(`^could not reach http://127.0.0.1:${port} \\(ECONNREFUSED\\)`));
  });
});

describe('completion', () => {
  // Written out, not read from the command tree, so that a verb lost from completion fails here.
  const KEY_VERBS = [
    'bulk',
    'create',
    'delete',
    'disable',
    'edit',
    'enable',
    'get',
    'list',
    'ls',
    'requests',
    'revoke',
    'rm',
    'rotate',
    'show',
    'update',
    'usage',
  ];
  const R_VERBS = KEY_VERBS.filter((verb) => verb.startsWith('r'));

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
    expect(complete('latchkey keys ')).toEqual(KEY_VERBS);
    expect(complete('latchkey --endpoint https://x keys r')).toEqual(R_VERBS);
    expect(complete('latchkey keys create --ty')).toEqual(['--type']);
    expect(complete('latchkey keys create --type ')).toEqual(['canary', 'personal', 'service']);
    expect(complete('latchkey keys list --status ')).toEqual(['active', 'expired', 'inactive', 'revoked']);
    expect(complete('latchkey keys bulk ')).toEqual(['disable', 'revoke']);
    expect(complete('latchkey keys bulk revoke --status ')).toEqual(['active', 'expired', 'inactive']);
    expect(complete('latchkey keys revoke --')).toEqual(
      expect.arrayContaining(['--yes', '--json', '--endpoint', '--help']),
    );
    expect(complete('latchkey completion ')).toEqual(['bash', 'fish', 'zsh']);
  });

  it('completes in fish too, loaded into a real fish', async () => {
    const script = (await cli(['completion', 'fish'])).stdout;
    const dir = await tempDir('latchkey-fish-');
    writeFileSync(join(dir, 'latchkey.fish'), script);
    const complete = (line: string) => {
      const out = spawnSync(
        'fish',
        ['--no-config', '-c', `source ${join(dir, 'latchkey.fish')}; complete -C ${JSON.stringify(line)}`],
        { encoding: 'utf8' },
      );
      expect(out.error, 'fish is needed: apt-get install -y fish').toBeUndefined();
      expect(out.stderr).toBe('');
      return out.stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0])
        .sort();
    };
    expect(complete('latchkey ke')).toEqual(['keys']);
    expect(complete('latchkey keys ')).toEqual(KEY_VERBS);
    expect(complete('latchkey --endpoint https://x keys r')).toEqual(R_VERBS);
    expect(complete('latchkey roles l')).toEqual(['list', 'ls']);
    expect(complete('latchkey keys create --ty')).toEqual(['--type']);
    expect(complete('latchkey keys create --type ')).toEqual(['canary', 'personal', 'service']);
    expect(complete('latchkey keys list --owner alice --status ')).toEqual([
      'active',
      'expired',
      'inactive',
      'revoked',
    ]);
    expect(complete('latchkey keys revoke --')).toEqual(
      expect.arrayContaining(['--yes', '--json', '--endpoint', '--help']),
    );
    expect(complete('latchkey keys revoke --')).not.toContain('--version');
    expect(complete('latchkey completion ')).toEqual(['bash', 'fish', 'zsh']);
    const described = spawnSync(
      'fish',
      ['--no-config', '-c', `source ${join(dir, 'latchkey.fish')}; complete -C 'latchkey keys rot'`],
      { encoding: 'utf8' },
    );
    expect(described.stdout).toBe(
      'rotate\treplace a key with a new one with the same settings; the old one works for --grace\n',
    );
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
