import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { freePort, localClient } from '../../local/dynamodb-local.ts';
import { apiOf, demoOf } from '../support/api.ts';
import { engineProcesses, startServerProcess, useTempDirs } from '../support/process.ts';

/** `npm start` itself: what it lets in, how it stops, how it lives through its engine's crash. */
const dataDir = useTempDirs();
const token = () => `lk_admin_${randomBytes(24).toString('hex')}`;
const enginePids = (dir: string) => engineProcesses(dir).map((p) => p.pid);
/** The port DynamoDB Local of a server listens on, from its command line. */
const enginePort = (dir: string) => Number(/-port (\d+)/.exec(engineProcesses(dir)[0]?.args ?? '')?.[1]);

describe('npm start, closed to the network', () => {
  /** Every file under the data folder with its size: what a foreign client must not change. */
  async function contents(dir: string): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) {
        const path = join(entry.parentPath, entry.name);
        out[path.slice(dir.length)] = (await stat(path)).size;
      }
    }
    return out;
  }

  /** What a foreign client tries: look, make a table, write into it (a big item, as a disk filler would). */
  async function attempts(endpoint: string, accessKeyId: string): Promise<string[]> {
    const client = localClient(endpoint, accessKeyId);
    const outcomes: string[] = [];
    const attempt = async (name: string, call: () => Promise<unknown>) => {
      try {
        await call();
        outcomes.push(`${name}: accepted`);
      } catch (cause) {
        outcomes.push(`${name}: ${(cause as Error).name}`);
      }
    };
    try {
      await attempt('ListTables', () => client.send(new ListTablesCommand({})));
      await attempt('CreateTable', () =>
        client.send(
          new CreateTableCommand({
            TableName: 'filler',
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }],
          }),
        ),
      );
      await attempt('PutItem', () =>
        client.send(
          new PutItemCommand({ TableName: 'filler', Item: { k: { S: 'x' }, v: { S: 'x'.repeat(350_000) } } }),
        ),
      );
      await attempt('GetItem', () =>
        client.send(new GetItemCommand({ TableName: 'latchkey-keys', Key: { keyId: { S: 'key_x' } } })),
      );
    } finally {
      client.destroy();
    }
    return outcomes;
  }

  /** How a TCP connection to `host:port` ends: connected, or the error's code. */
  const connectOutcome = (host: string, port: number) =>
    new Promise<string>((resolve) => {
      const socket = connect({ host, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (cause: NodeJS.ErrnoException) => resolve(cause.code ?? cause.message));
    });

  it('lets no other host reach DynamoDB Local, and no foreign access key on loopback: nothing lands in the data folder', async () => {
    const dir = await dataDir('latchkey-e2e-');
    const admin = token();
    const server = startServerProcess({
      LATCHKEY_DATA_DIR: dir,
      PORT: String(await freePort()),
      LATCHKEY_ADMIN_TOKEN: admin,
    });
    try {
      const { url } = await server.ready;
      expect((await apiOf(url, admin)('POST', '/v1/keys', { name: 'target' })).status).toBe(201);
      const port = enginePort(dir);
      expect(port).toBeGreaterThan(0);
      const own = (await readFile(join(dir, 'dynamodb-access-key'), 'utf8')).trim();
      const before = await contents(dir);
      expect(Object.keys(before)).toContain(`/dynamodb/${own}_us-east-1.db`);

      // Every address of the machine but 127.0.0.1: its other interfaces' and IPv6 loopback.
      const addresses = [
        ...Object.entries(networkInterfaces()).flatMap(([name, list]) =>
          (list ?? [])
            .filter((a) => !a.internal)
            .map((a) => ({ host: a.scopeid ? `${a.address}%${name}` : a.address, family: a.family })),
        ),
        { host: '::1', family: 'IPv6' },
      ];
      if (addresses.length === 1) console.log('this machine has no non-loopback interface address');
      const foreign = ['local', 'OUTSIDER', 'AKIAIOSFODNN7EXAMPLE', `LK${'A'.repeat(38)}`];
      for (const { host, family } of addresses) {
        // Nothing listens there: the connection itself is refused.
        expect(await connectOutcome(host, port), host).toBe('ECONNREFUSED');
        // A link-local address needs its zone, which no URL carries: the raw connection above covers it.
        if (host.includes('%')) continue;
        const endpoint = `http://${family === 'IPv6' ? `[${host}]` : host}:${port}`;
        for (const accessKeyId of [...foreign, own]) {
          const outcomes = await attempts(endpoint, accessKeyId);
          expect(
            outcomes.every((o) => !o.endsWith('accepted')),
            `${host} as ${accessKeyId}: ${outcomes}`,
          ).toBe(true);
        }
      }
      // On loopback, every foreign access key, and the own one in another region, is refused before the engine.
      for (const accessKeyId of foreign) {
        expect(await attempts(`http://127.0.0.1:${port}`, accessKeyId), accessKeyId).toEqual([
          'ListTables: UnrecognizedClientException',
          'CreateTable: UnrecognizedClientException',
          'PutItem: UnrecognizedClientException',
          'GetItem: UnrecognizedClientException',
        ]);
      }
      const otherRegion = new DynamoDBClient({
        endpoint: `http://127.0.0.1:${port}`,
        region: 'eu-west-1',
        credentials: { accessKeyId: own, secretAccessKey: 'local' },
      });
      await expect(otherRegion.send(new ListTablesCommand({}))).rejects.toThrow(/security token/);
      otherRegion.destroy();
      const unsigned = await fetch(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
        },
        body: '{}',
      });
      expect(unsigned.status).toBe(400);
      // A second credential after the own one: the engine could read either, so neither counts.
      const doubled = await fetch(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          authorization: `AWS4-HMAC-SHA256 Credential=${own}/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00, Credential=OUTSIDER/20260101/us-east-1/dynamodb/aws4_request`,
        },
        body: '{}',
      });
      expect(doubled.status).toBe(400);

      expect(await contents(dir)).toEqual(before);
      // The server itself still reads its data, through the access key kept 0600 in the data folder.
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
    const dir = await dataDir('latchkey-e2e-');
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
    expect(enginePids(dir)).toEqual([]);
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
        expect((await apiOf(url2, admin)('GET', `/v1/keys/${keyId}`)).status, keyId).toBe(200);
      }
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  });
});

describe('npm start, when DynamoDB Local dies', () => {
  it('answers 503 on /healthz and lets nothing through, logs the exit and each authorizer fault, restarts the engine and recovers', async () => {
    const dir = await dataDir('latchkey-e2e-');
    const admin = token();
    const server = startServerProcess({
      LATCHKEY_DATA_DIR: dir,
      PORT: String(await freePort()),
      LATCHKEY_ADMIN_TOKEN: admin,
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
    try {
      const { url } = await server.ready;
      const created = await apiOf(url, admin)('POST', '/v1/keys', { name: 'survives a crash' });
      const secret = created.body.secret as string;
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const [pid] = enginePids(dir);
      process.kill(pid as number, 'SIGKILL');
      await waitFor(() => !enginePids(dir).includes(pid as number));

      const health = await fetch(`${url}/healthz`);
      const demo = await demoOf(url)(secret);
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
      const after = await demoOf(url)(secret);
      expect(after.status).toBe(200);
      expect((await apiOf(url, admin)('GET', `/v1/keys/${created.body.key.keyId}`)).status).toBe(200);
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
