import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestService } from '../support/service.ts';

/**
 * @latchkey/client as a user gets it: `npm pack` (which builds it to JS), installed from the
 * tarball into a fresh project with its own package.json (from the npm cache where it can), and
 * used from plain Node (ESM) and from TypeScript against the local server, with nothing else of
 * this repository.
 */
const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
let work: string;
let project: string;
const service = useTestService();

const CONSUMER = `
import { LatchkeyClient, LatchkeyError } from '@latchkey/client';
import { latchkey as express } from '@latchkey/client/express';
import { latchkey as fastify } from '@latchkey/client/fastify';
import { latchkey as hono } from '@latchkey/client/hono';

const client = new LatchkeyClient({ baseUrl: process.env.LATCHKEY_URL, token: process.env.LATCHKEY_ADMIN_TOKEN });
const owner = 'pack-' + Date.now();
const created = [];
for (let i = 0; i < 3; i++) created.push(await client.keys.create({ owner, roles: ['read'] }));
const listed = [];
for await (const key of client.keys.all({ owner, limit: 2 })) listed.push(key.keyId);
const error = await client.keys.get('key_0000000000000000000000').catch((e) => e);
const verified = await client.verify({ key: created[0].secret });
console.log(JSON.stringify({
  created: created.map((c) => c.key.keyId),
  secret: created[0].secret.slice(0, 8),
  listed,
  error: { isLatchkeyError: error instanceof LatchkeyError, status: error.status, code: error.code },
  verified: verified.code,
  middlewares: [typeof express, typeof fastify, typeof hono],
}));
`;

const TYPED = `
import { type ApiKey } from '@latchkey/client/types';
import { LatchkeyClient, LatchkeyError } from '@latchkey/client';

const client = new LatchkeyClient({ baseUrl: 'http://127.0.0.1:8787', token: 't' });
export async function main(): Promise<string[]> {
  const { key, secret } = await client.keys.create({ owner: 'alice', scope: { workspaceId: 'ws-1' } });
  const page = await client.keys.list({ status: 'active', limit: 10 });
  const first: ApiKey | undefined = page.items[0];
  // @ts-expect-error: a key's environment is production or development
  await client.keys.create({ environment: 'staging' });
  // @ts-expect-error: list takes no such filter
  await client.keys.list({ colour: 'red' });
  const error = new LatchkeyError(404, 'NOT_FOUND', 'no');
  return [key.keyId, secret, first?.status ?? '', error.code];
}
`;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'latchkey-client-pack-'));
  project = join(work, 'app');
  await mkdir(project);
  const started = performance.now();
  await run('npm', ['pack', '--pack-destination', work, '--silent'], {
    cwd: join(root, 'packages/client'),
  });
  const [tarball] = (await readdir(work)).filter((f) => f.endsWith('.tgz'));
  const packed = performance.now();
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'client-consumer', private: true, type: 'module' }, null, 2),
  );
  await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--no-package-lock',
      join(work, tarball as string),
    ],
    { cwd: project },
  );
  // What packing and installing cost, for the report (never asserted: timings are for the bench).
  console.log(
    `pack ${Math.round(packed - started)} ms, install ${Math.round(performance.now() - packed)} ms`,
  );
}, 300_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the packed @latchkey/client in a fresh project', () => {
  it('ships the built JS, the declarations and the API types, and no sources', async () => {
    const files = await readdir(join(project, 'node_modules/@latchkey/client'), { recursive: true });
    expect(files).toEqual(
      expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'dist/express.js', 'src/types.ts']),
    );
    expect(files.filter((f) => f.startsWith('src/') && f !== 'src/types.ts')).toEqual([]);
  });

  it('creates a key, lists with the paginator and gets a typed error, from plain Node', async () => {
    await writeFile(join(project, 'main.mjs'), CONSUMER);
    const { stdout } = await run(process.execPath, ['main.mjs'], {
      cwd: project,
      env: { PATH: process.env.PATH, LATCHKEY_URL: service.url, LATCHKEY_ADMIN_TOKEN: service.adminToken },
    });
    const result = JSON.parse(stdout);
    expect(result.secret).toBe('lk_live_');
    expect([...result.listed].sort()).toEqual([...result.created].sort());
    expect(result.error).toEqual({ isLatchkeyError: true, status: 404, code: 'NOT_FOUND' });
    expect(result.verified).toBe('VALID');
    expect(result.middlewares).toEqual(['function', 'function', 'function']);
  });

  it('types a TypeScript consumer from the package alone', async () => {
    await writeFile(join(project, 'typed.ts'), TYPED);
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2023', 'DOM'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          types: [],
          // As nearly every project: @smithy/types' declarations assume @types/node.
          skipLibCheck: true,
        },
        files: ['typed.ts'],
      }),
    );
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    const { stdout } = await run(process.execPath, [tsc, '-p', project], { cwd: project }).catch(
      (failure: { stdout: string }) => failure,
    );
    expect(stdout).toBe('');
  });
});
