import { execFileSync } from 'node:child_process';
import { readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../local/dynamodb-local.ts';
import { apiOf, demoOf } from '../support/api.ts';
import { engineProcesses, startServerProcess, useTempDirs } from '../support/process.ts';

const tempDir = useTempDirs();

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('npm start', () => {
  it('keeps keys across a restart, stops cleanly, and never writes or prints a secret', async () => {
    const dataDir = await tempDir('latchkey-data-');
    const env = { LATCHKEY_DATA_DIR: dataDir, PORT: String(await freePort()) };

    const first = startServerProcess(env);
    const { url, token } = await first.ready;
    const created = await apiOf(url, token)('POST', '/v1/keys', {
      owner: 'restart',
      scope: { workspaceId: 'w' },
      name: 'survivor',
    });
    expect(created.status).toBe(201);
    const { key, secret } = created.body as { key: { keyId: string }; secret: string };

    for (const file of ['pepper.json', 'admin-token']) {
      expect(((await stat(join(dataDir, file))).mode & 0o777).toString(8)).toBe('600');
    }

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(engineProcesses(dataDir)).toEqual([]);

    const second = startServerProcess(env);
    const again = await second.ready;
    expect(again.token).toBe(token);
    const got = await apiOf(again.url, token)('GET', `/v1/keys/${key.keyId}`);
    expect(got.status).toBe(200);
    expect(got.body.name).toBe('survivor');
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
    expect(engineProcesses(dataDir)).toEqual([]);

    const needle = Buffer.from(secret);
    const randomPart = Buffer.from(secret.slice(31, 74));
    for (const file of await filesUnder(dataDir)) {
      const bytes = await readFile(file);
      expect(bytes.includes(needle), file).toBe(false);
      expect(bytes.includes(randomPart), file).toBe(false);
    }
    expect(first.output() + second.output()).not.toContain(secret.slice(31, 74));
  });

  it('prints only what a user acts on: at start, under light use and on stop', async () => {
    const dataDir = await tempDir('latchkey-quiet-');
    const run = startServerProcess(
      { LATCHKEY_DATA_DIR: dataDir, PORT: String(await freePort()) },
      { asUser: true },
    );
    const { url, token } = await run.ready;
    const api = apiOf(url, token);
    const demo = demoOf(url);
    expect((await api('GET', '/healthz')).status).toBe(200);
    expect((await api('GET', '/')).status).toBe(200);
    const { secret } = (await api('POST', '/v1/keys', { name: 'light use' })).body as { secret: string };
    for (let i = 0; i < 3; i++) {
      expect((await api('GET', '/v1/keys')).status).toBe(200);
      expect((await demo(secret)).status).toBe(200);
      expect((await demo(`${secret.slice(0, -4)}AAAA`)).status).toBe(401);
      expect((await demo(undefined)).status).toBe(401);
      expect((await api('POST', '/v1/verify', { key: secret })).status).toBe(200);
      // The dashboard's Rotation page previews the sweep each time it opens.
      expect((await api('POST', '/v1/rotation/sweep', { dryRun: true })).status).toBe(200);
    }
    // The CLI finds a server on another port through this file; a stopped server leaves none.
    expect(await readFile(join(dataDir, 'server-url'), 'utf8')).toBe(`${url}\n`);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    await expect(stat(join(dataDir, 'server-url'))).rejects.toThrow(/ENOENT/);
    expect(run.output().trim().split('\n')).toEqual([
      `Latchkey is running at ${url} (data in ${dataDir})`,
      `Admin token: ${token}`,
      `Dashboard: ${url}/#token=${token}`,
      `Try: curl -H "Authorization: Bearer ${token}" ${url}/v1/keys`,
      'SIGTERM received, stopping',
    ]);
  });

  it('says in one line that the port is taken, and leaves no Java behind', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const port = (blocker.address() as { port: number }).port;
    const dataDir = await tempDir('latchkey-port-');
    const run = startServerProcess({ PORT: String(port), LATCHKEY_DATA_DIR: dataDir });
    expect(await run.exited).toBe(1);
    blocker.close();
    const lines = run.output().trim().split('\n');
    expect(lines).toEqual([`latchkey: port ${port} is already in use; set PORT to a free port`]);
    expect(engineProcesses(dataDir)).toEqual([]);
  });

  it('says in one line that a Java without its compiler (a trimmed JRE) cannot start the engine bound to loopback', async () => {
    const realJava = execFileSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' }).trim();
    const bin = await tempDir('latchkey-jre-');
    // A Java whose image lacks jdk.compiler: it runs, and says so when asked to compile.
    await writeFile(
      join(bin, 'java'),
      [
        '#!/bin/sh',
        'if [ "$1" = "-version" ]; then "$0.real" -version; echo "trimmed runtime image" >&2; exit 0; fi',
        'if [ "$1" = "-m" ]; then echo "Error occurred during initialization of boot layer" >&2;',
        '  echo "java.lang.module.FindException: Module jdk.compiler not found" >&2; exit 1; fi',
        'exec "$0.real" "$@"',
      ].join('\n'),
      { mode: 0o755 },
    );
    await symlink(realJava, join(bin, 'java.real'));
    const run = startServerProcess({ PATH: bin, LATCHKEY_MEMORY: '1', PORT: '0' });
    expect(await run.exited).toBe(1);
    const lines = run.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^latchkey: DynamoDB Local is started through a small launcher .* no jdk\.compiler module/,
    );
  });

  it('says in one line that Java is missing', async () => {
    const run = startServerProcess({ PATH: '/nonexistent', LATCHKEY_MEMORY: '1', PORT: '0' });
    expect(await run.exited).toBe(1);
    const lines = run.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^latchkey: Java 17\+ is needed/);
  });
});
