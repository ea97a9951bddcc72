import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, vi } from 'vitest';
import type { KeyRecord } from '#domain/keys/key.ts';
import { dynamoDocument } from '#platform/aws/clients.ts';
import { DynamoKeyStore } from '#store/dynamo-keys.ts';
import { HANDLER_MODULES } from '../../functions/handler-modules.ts';
import { freePort } from '../../local/dynamodb-local.ts';
import { type LocalService, startLocal } from '../../local/server.ts';
import { type Api, clientOf, itemsOf, type ServiceClient } from './api.ts';
import { type ServerProcess, startServerProcess } from './process.ts';

export type { Api, ApiResponse } from './api.ts';

/** The environment a service starts with, or a function that gives it once the file's earlier hooks ran. */
type Environment = Record<string, string | undefined> | (() => Record<string, string | undefined>);

export interface InProcessOptions {
  /**
   * Settings (LATCHKEY_*) the handlers read at their cold start: set in this process's environment
   * before the service starts (each test file is its own process) and put back when it stops.
   */
  env?: Environment;
  process?: false;
}

export interface ProcessOptions {
  /** `npm start` as a user runs it: its own process, with its own DynamoDB Local. */
  process: true;
  /** The process's environment on top of this one's (settings, a moved clock's preload). */
  env?: Environment;
  /** A data folder of its own (removed on stop) instead of memory: the CLI finds the server through it. */
  onDisk?: boolean;
}

/** A running service: its URL, admin token and clients, and how to stop it. */
export interface TestService extends ServiceClient {
  stop(): Promise<void>;
}

/** The service in this test process, on the run's shared DynamoDB Local, with tables of its own. */
export interface InProcessService extends TestService, LocalService {}

export interface ServiceProcess extends TestService {
  readonly process: ServerProcess;
  /** Its data folder with `onDisk`. */
  readonly dataDir: string | undefined;
}

const adminToken = () => `lk_admin_${randomBytes(24).toString('hex')}`;
const environment = (env: Environment | undefined) => (typeof env === 'function' ? env() : (env ?? {}));

/** Sets `values` in this process's environment; gives back a function that restores what was there. */
function setEnvironment(values: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const assign = (entries: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  assign(values);
  return () => assign(saved);
}

/**
 * Starts a service for a test: by default the local server in this process (what integration
 * tests use: the handlers run here, so fake timers and spies reach them); with `process: true`,
 * `npm start` in a process of its own (what e2e tests use). Prefer `useTestService`, which starts
 * it before the file's (or describe's) tests and stops it after them.
 */
export async function startTestService(options?: InProcessOptions): Promise<InProcessService>;
export async function startTestService(options: ProcessOptions): Promise<ServiceProcess>;
export async function startTestService(
  options: InProcessOptions | ProcessOptions = {},
): Promise<InProcessService | ServiceProcess> {
  return options.process ? startProcess(options) : startInProcess(options);
}

async function startInProcess(options: InProcessOptions): Promise<InProcessService> {
  const restore = setEnvironment(environment(options.env));
  try {
    const service = await startLocal({
      port: 0,
      memory: true,
      dynamoEndpoint: inject('dynamoEndpoint'),
      tablePrefix: `t${randomBytes(4).toString('hex')}-`,
      adminToken: adminToken(),
    });
    return {
      ...service,
      ...clientOf(service.url, service.adminToken),
      async stop() {
        await service.stop();
        restore();
      },
    };
  } catch (cause) {
    restore();
    throw cause;
  }
}

async function startProcess(options: ProcessOptions): Promise<ServiceProcess> {
  const dataDir = options.onDisk ? await mkdtemp(join(tmpdir(), 'latchkey-test-')) : undefined;
  const token = adminToken();
  const server = startServerProcess({
    PORT: String(await freePort()),
    LATCHKEY_ADMIN_TOKEN: token,
    ...(dataDir ? { LATCHKEY_DATA_DIR: dataDir } : { LATCHKEY_MEMORY: '1' }),
    ...(environment(options.env) as Record<string, string>),
  });
  const stop = async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const { url } = await server.ready;
    return { ...clientOf(url, token), process: server, dataDir, stop };
  } catch (cause) {
    await stop();
    throw cause;
  }
}

/**
 * A value made in a `beforeAll` and used by the tests after it: reading it before then throws,
 * naming the hook, rather than giving undefined.
 */
export function startedLater<T extends object>(what: string): { value: T; set(value: T): void } {
  let current: T | undefined;
  const value = new Proxy({} as T, {
    get(_, name) {
      if (!current) throw new Error(`${what} starts in beforeAll: use it inside a test or a hook`);
      const field = Reflect.get(current, name);
      return typeof field === 'function' ? field.bind(current) : field;
    },
  });
  return {
    value,
    set(next) {
      current = next;
    },
  };
}

/**
 * The service of a test file (or of a describe, called inside it): started before its tests, stopped
 * after them. Hooks the file adds after this call run once the service is up.
 */
export function useTestService(options?: InProcessOptions): InProcessService;
export function useTestService(options: ProcessOptions): ServiceProcess;
export function useTestService(options: InProcessOptions | ProcessOptions = {}): TestService {
  const service = startedLater<TestService>('the test service');
  let started: TestService | undefined;
  beforeAll(async () => {
    started = await startTestService(options as InProcessOptions);
    service.set(started);
  }, 120_000);
  afterAll(() => started?.stop());
  return service.value;
}

/** Writes the usage an in-process service has counted to its usage table now, not at its timer's next tick. */
export const flushUsage = async () =>
  ((await HANDLER_MODULES.authorizer()) as { flushUsage: () => Promise<void> }).flushUsage();

/**
 * Runs `act` with this process's clock at `time`: an in-process service's handlers take it as now.
 * Only Date is faked, so I/O and timers run as usual.
 */
export async function atTime<T>(time: number, act: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(time);
  try {
    return await act();
  } finally {
    vi.useRealTimers();
  }
}

/** A create request's body: `overrides` on an owner and a workspace. */
export const newKey = (overrides: Record<string, unknown> = {}) => ({
  owner: 'alice',
  scope: { workspaceId: 'ws-1' },
  ...overrides,
});

export interface CreatedKey {
  // biome-ignore lint/suspicious/noExplicitAny: key fields are inspected freely in tests
  key: { keyId: string; version: number; [field: string]: any };
  secret: string;
}

/** Creates a key through the API (`newKey`'s fields under `fields`); fails the test unless it is made. */
export async function createKey(
  service: { api: Api },
  fields: Record<string, unknown> = {},
): Promise<CreatedKey> {
  const created = await service.api<CreatedKey>('POST', '/v1/keys', newKey(fields));
  expect(created.status, created.text).toBe(201);
  return created.body;
}

// biome-ignore lint/suspicious/noExplicitAny: event details are inspected freely in tests
export type LoggedEvent = { detailType: string; detail: Record<string, any> };

/** The events of `detailType` about `keyId` (any key without it) in the service's event log (GET /v1/events, every page). */
export async function eventsOf(
  service: { api: Api },
  detailType: string,
  keyId?: string,
): Promise<LoggedEvent[]> {
  const all = await itemsOf<LoggedEvent>(service.api, '/v1/events?limit=100');
  return all.filter((e) => e.detailType === detailType && (keyId === undefined || e.detail.keyId === keyId));
}

/**
 * Writes `record` straight into the service's tables, as a key made before a change (of the
 * policy, of the pepper) would be: the API would refuse to make it today.
 */
export async function storeKeyRecord(service: InProcessService, record: KeyRecord): Promise<void> {
  await new DynamoKeyStore(dynamoDocument(), service.tables).createKey(record, {
    audit: {
      at: record.createdAt,
      actor: 'test',
      action: 'key.created',
      keyId: record.keyId,
      requestId: 'r',
    },
  });
}
