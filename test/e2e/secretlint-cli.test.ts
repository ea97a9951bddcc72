import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newKeyId, newSecret, parseSecret } from '#domain/keys/secret.ts';
import { root, runProcess } from '../support/process.ts';

/**
 * The secretlint CLI, as a user runs it, over a fixture tree: real secrets from the service's own
 * generator in a `.env` file, inside JSON and in a log line, and 1,000 decoys (right shape, wrong
 * checksum) spread over 44 files. The rule is loaded by its package name, as after
 * `npm install @latchkey/secretlint-rule-latchkey` (NODE_PATH stands in for the install), and
 * once more by absolute path.
 */
const secretlintBin = join(root, 'node_modules/secretlint/bin/secretlint.js');
const packageDir = join(root, 'packages/secretlint-rule-latchkey');
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DECOYS = 1_000;

interface Planted {
  file: string;
  secret: string;
  range: [number, number];
  line: number;
  column: number;
}
interface Reported {
  filePath: string;
  messages: {
    ruleId: string;
    messageId: string;
    message: string;
    range: [number, number];
    loc: { start: { line: number; column: number }; end: { line: number; column: number } };
  }[];
}

let work: string;
let tree: string;
let modules: string;
const planted: Planted[] = [];

/**
 * A decoy: a generated secret with one character changed, in its checksum (even n) or in its random
 * part (odd n). CRC32 detects every single-character change, so no decoy verifies.
 */
function decoy(n: number): string {
  const secret = newSecret(newKeyId(), n % 4 < 2 ? 'production' : 'development');
  const at = n % 2 === 0 ? 74 + (n % 6) : 31 + (n % 43);
  const chars = secret.split('');
  chars[at] = BASE62[(BASE62.indexOf(chars[at] as string) + 1 + (n % 61)) % 62] as string;
  const result = chars.join('');
  if (parseSecret(result).ok) throw new Error('a decoy must not verify');
  return result;
}

function locate(file: string, content: string, secret: string): Planted {
  const start = content.indexOf(secret);
  const before = content.slice(0, start).split('\n');
  return {
    file,
    secret,
    range: [start, start + secret.length],
    line: before.length,
    column: (before.at(-1) ?? '').length,
  };
}

async function plant(relative: string, content: string, secrets: string[]) {
  const file = join(tree, relative);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, content);
  for (const secret of secrets) planted.push(locate(file, content, secret));
}

const runSecretlint = (args: string[], env: Record<string, string> = {}) =>
  runProcess([process.execPath, secretlintBin, ...args], { cwd: tree, env: { ...process.env, ...env } });

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'latchkey-secretlint-'));
  tree = join(work, 'project');
  modules = join(work, 'modules');
  await mkdir(join(modules, '@latchkey'), { recursive: true });
  await symlink(packageDir, join(modules, '@latchkey', 'secretlint-rule-latchkey'), 'dir');

  let next = 0;
  const take = (count: number) => Array.from({ length: count }, () => decoy(next++));
  const live = newSecret(newKeyId(), 'production');
  const test = newSecret(newKeyId(), 'development');
  const logged = newSecret(newKeyId(), 'production');

  const envDecoys = take(10);
  await plant(
    '.env',
    [
      '# service settings',
      'LATCHKEY_URL=https://keys.example.internal',
      `LATCHKEY_API_KEY=${live}`,
      ...envDecoys.map((d, i) => `EXAMPLE_KEY_${i}=${d}`),
      '',
    ].join('\n'),
    [live],
  );
  const jsonDecoys = take(10);
  await plant(
    'config/settings.json',
    `${JSON.stringify({ service: { name: 'orders', apiKey: test }, examples: jsonDecoys }, null, 2)}\n`,
    [test],
  );
  const logDecoys = take(10);
  await plant(
    'logs/app.log',
    [
      ...logDecoys.map((d) => `2026-12-01T13:59:00Z INFO request x-api-key=${d} 401`),
      `2026-12-01T14:00:00Z DEBUG GET /orders headers: Authorization: Bearer ${logged} 200`,
      '',
    ].join('\n'),
    [logged],
  );
  const extensions = ['txt', 'ts', 'json', 'yaml', 'md'];
  for (let file = 0; next < DECOYS; file++) {
    const batch = take(Math.min(25, DECOYS - next));
    const ext = extensions[file % extensions.length] as string;
    const body =
      ext === 'json'
        ? JSON.stringify({ keys: batch })
        : batch.map((d, i) => (ext === 'ts' ? `export const k${i} = '${d}';` : `key ${i}: ${d}`)).join('\n');
    await plant(`decoys/${file}/sample.${ext}`, `${body}\n`, []);
  }
  await writeFile(
    join(tree, '.secretlintrc.json'),
    JSON.stringify({ rules: [{ id: '@latchkey/secretlint-rule-latchkey' }] }),
  );
}, 60_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the secretlint CLI with the Latchkey rule over a fixture tree', () => {
  it('finds every real secret at its exact file and position, and none of the 1,000 decoys', async () => {
    const { code, stdout, stderr } = await runSecretlint(['**/*', '--format', 'json'], {
      NODE_PATH: modules,
    });
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const results = JSON.parse(stdout) as Reported[];
    const reported = results.flatMap((r) =>
      r.messages.map((m) => ({ file: r.filePath, ruleId: m.ruleId, range: m.range, start: m.loc.start })),
    );
    expect(reported).toHaveLength(3);
    for (const p of planted) {
      expect(reported).toContainEqual({
        file: p.file,
        ruleId: '@latchkey/secretlint-rule-latchkey',
        range: p.range,
        start: { line: p.line, column: p.column },
      });
    }
    expect(planted.map((p) => p.file.slice(tree.length + 1)).sort()).toEqual([
      '.env',
      'config/settings.json',
      'logs/app.log',
    ]);
    // The CLI masks secrets by default: each message names the key, never the secret. (The JSON
    // formatter also echoes each file's content, secrets included, as `sourceContent`.)
    const said = JSON.stringify(results.flatMap((r) => r.messages));
    for (const p of planted) {
      expect(said).not.toContain(p.secret);
      expect(said).toContain(`key_${p.secret.slice(8, 30)}`);
    }
  });

  it('scanned the decoys: all 1,000 are in the tree, and without the checksum they would be reported', async () => {
    const { code, stdout } = await runSecretlint(['**/*', '--format', 'json', '--no-maskSecrets'], {
      NODE_PATH: modules,
    });
    expect(code).toBe(1);
    const found = (JSON.parse(stdout) as Reported[]).flatMap((r) => r.messages.map((m) => m.message));
    expect(found).toHaveLength(3);
    let shaped = 0;
    for (const entry of await readdir(tree, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const text = await readFile(join(entry.parentPath, entry.name), 'utf8');
      shaped += text.match(/lk_(?:live|test)_[0-9A-Za-z]{22}_[0-9A-Za-z]{49}/g)?.length ?? 0;
    }
    expect(shaped).toBe(DECOYS + 3);
    for (const p of planted) expect(found.some((m) => m.endsWith(p.secret))).toBe(true);
  });

  it('loads the rule from an absolute path too (a checkout of this repository)', async () => {
    const { code, stdout } = await runSecretlint([
      'logs/app.log',
      '--format',
      'json',
      '--secretlintrcJSON',
      JSON.stringify({ rules: [{ id: packageDir }] }),
    ]);
    expect(code).toBe(1);
    const [result] = JSON.parse(stdout) as Reported[];
    const logged = planted.find((p) => p.file.endsWith('app.log'));
    expect(result?.messages.map((m) => [m.messageId, m.range])).toEqual([
      ['LATCHKEY_LIVE_SECRET', logged?.range],
    ]);
  });
});
