import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, localClient } from '../../local/dynamodb-local.ts';
import { startServerProcess } from '../support/process.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const token = () => `lk_admin_${randomBytes(24).toString('hex')}`;

async function dataDir() {
  const dir = await mkdtemp(join(tmpdir(), 'latchkey-e2e-'));
  dirs.push(dir);
  return dir;
}

function javaPids(pattern: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** The port DynamoDB Local of a server listens on, from its command line. */
function enginePort(dataDirPath: string): number {
  const pid = javaPids(`dbPath ${dataDirPath}`)[0];
  const cmd = execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
  return Number(/-port (\d+)/.exec(cmd)?.[1]);
}

const api = (url: string, admin: string) => async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
};

describe('npm start, closed to the network', () => {
  it('serves DynamoDB Local data only to its own access key: from no other address can anyone read a key or list the tables', async () => {
    const dir = await dataDir();
    const admin = token();
    const server = startServerProcess({
      LATCHKEY_DATA_DIR: dir,
      PORT: String(await freePort()),
      LATCHKEY_ADMIN_TOKEN: admin,
    });
    try {
      const { url } = await server.ready;
      const created = await api(url, admin)('POST', '/v1/keys', { name: 'target' });
      expect(created.status).toBe(201);
      const keyId = created.body.key.keyId as string;
      const port = enginePort(dir);
      expect(port).toBeGreaterThan(0);

      const addresses = Object.values(networkInterfaces())
        .flat()
        // Link-local IPv6 addresses need a zone, which no URL carries; every other address is tried.
        .filter((a) => a && !a.internal && !a.address.startsWith('fe80:'))
        .map((a) => (a?.family === 'IPv6' ? `[${a.address.split('%')[0]}]` : (a?.address as string)));
      if (addresses.length === 0)
        console.log('this machine has no non-loopback address; checked loopback only');
      // Loopback too: what an outsider sees is what anyone without the data folder's access key sees.
      for (const host of [...addresses, '127.0.0.1']) {
        for (const accessKeyId of ['local', 'AKIAIOSFODNN7EXAMPLE', 'anything']) {
          const client = localClient(`http://${host}:${port}`, accessKeyId);
          try {
            const tables = await client.send(new ListTablesCommand({}));
            expect(tables.TableNames, `${host} as ${accessKeyId}`).toEqual([]);
            await expect(
              client.send(new GetItemCommand({ TableName: 'latchkey-keys', Key: { keyId: { S: keyId } } })),
            ).rejects.toThrow(/non-existent table|ResourceNotFound/i);
            await expect(client.send(new ScanCommand({ TableName: 'latchkey-keys' }))).rejects.toThrow();
          } finally {
            client.destroy();
          }
        }
      }
      // The server itself still reads its data, through the access key kept 0600 in the data folder.
      const own = (await readFile(join(dir, 'dynamodb-access-key'), 'utf8')).trim();
      const client = localClient(`http://127.0.0.1:${port}`, own);
      expect((await client.send(new ListTablesCommand({}))).TableNames).toContain('latchkey-keys');
      client.destroy();
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('refuses an admin token shorter than 32 characters at start', async () => {
    const server = startServerProcess({
      LATCHKEY_MEMORY: '1',
      PORT: String(await freePort()),
      LATCHKEY_ADMIN_TOKEN: 'short',
    });
    expect(await server.exited).toBe(1);
    expect(server.output()).toMatch(/LATCHKEY_ADMIN_TOKEN must be at least 32 characters/);
  });
});

describe('npm start, stopping', () => {
  it('stops within the bound under keep-alive load, turns new requests away with 503, and loses nothing it acknowledged', async () => {
    const dir = await dataDir();
    const admin = token();
    const env = { LATCHKEY_DATA_DIR: dir, PORT: String(await freePort()), LATCHKEY_ADMIN_TOKEN: admin };
    const server = startServerProcess(env);
    const { url } = await server.ready;
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const acknowledged: string[] = [];
    const after: number[] = [];
    const errors: string[] = [];
    let signalledAt = 0;
    let running = true;
    const create = () =>
      new Promise<void>((resolve) => {
        const req = request(
          `${url}/v1/keys`,
          {
            method: 'POST',
            agent,
            headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
          },
          (res) => {
            let body = '';
            res.on('data', (c) => {
              body += c;
            });
            res.on('end', () => {
              if (res.statusCode === 201) acknowledged.push(JSON.parse(body).key.keyId);
              if (signalledAt) after.push(res.statusCode ?? 0);
              resolve();
            });
          },
        );
        req.on('error', (cause: NodeJS.ErrnoException) => {
          errors.push(cause.code ?? cause.message);
          running = false;
          resolve();
        });
        req.end(JSON.stringify({ owner: `o-${randomBytes(3).toString('hex')}` }));
      });
    const clients = Array.from({ length: 8 }, async () => {
      while (running) await create();
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    signalledAt = Date.now();
    server.child.kill('SIGTERM');
    const code = await server.exited;
    const stoppedIn = Date.now() - signalledAt;
    running = false;
    await Promise.all(clients);
    agent.destroy();
    expect(code).toBe(0);
    expect(stoppedIn).toBeLessThan(10_000);
    expect(javaPids(`dbPath ${dir}`)).toEqual([]);
    // After the signal, only requests already under way (up to the few the event loop had queued
    // before it ran the signal handler) complete; anything new gets 503 or a refused connection.
    expect(after.filter((s) => s === 201).length).toBeLessThanOrEqual(24);
    // A request on an open connection gets an answer (503 once stopping), never a reset; only a
    // new connection, once the port is closed, is refused.
    expect(errors.filter((code) => code !== 'ECONNREFUSED')).toEqual([]);
    expect(acknowledged.length).toBeGreaterThan(0);

    const again = startServerProcess(env);
    const { url: url2 } = await again.ready;
    try {
      for (const keyId of acknowledged) {
        expect((await api(url2, admin)('GET', `/v1/keys/${keyId}`)).status, keyId).toBe(200);
      }
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  });
});

describe('npm start, when DynamoDB Local dies', () => {
  it('answers 503 on /healthz and lets nothing through, logs the exit and each authorizer fault, restarts the engine and recovers', async () => {
    const dir = await dataDir();
    const admin = token();
    const server = startServerProcess({
      LATCHKEY_DATA_DIR: dir,
      PORT: String(await freePort()),
      LATCHKEY_ADMIN_TOKEN: admin,
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
    try {
      const { url } = await server.ready;
      const created = await api(url, admin)('POST', '/v1/keys', { name: 'survives a crash' });
      const secret = created.body.secret as string;
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const [pid] = javaPids(`dbPath ${dir}`);
      process.kill(pid as number, 'SIGKILL');
      await waitFor(() => !javaPids(`dbPath ${dir}`).includes(pid as number));

      const health = await fetch(`${url}/healthz`);
      const demo = await fetch(`${url}/demo/orders`, { headers: { authorization: `Bearer ${secret}` } });
      // The engine takes seconds to come back (a 250 ms backoff, then the JVM): meanwhile 503, and no Allow.
      expect(health.status).toBe(503);
      expect(demo.status).toBe(500);
      // The fault is one structured line: the error's name and the key ID, never the secret.
      const faults = server
        .output()
        .split('\n')
        .filter((l) => l.includes('authorizer fault: failing closed'));
      expect(faults.length).toBeGreaterThan(0);
      expect(JSON.parse(faults[0] as string)).toMatchObject({
        level: 'ERROR',
        keyId: created.body.key.keyId,
      });
      expect(server.output()).not.toContain(secret);

      await waitFor(async () => (await fetch(`${url}/healthz`)).status === 200, 30_000);
      expect(server.output()).toMatch(/DynamoDB Local exited \(killed by SIGKILL\); restarting/);
      const after = await fetch(`${url}/demo/orders`, { headers: { authorization: `Bearer ${secret}` } });
      expect(after.status).toBe(200);
      expect((await api(url, admin)('GET', `/v1/keys/${created.body.key.keyId}`)).status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
