import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { context, restEvent, useLambdaEnv } from '../support/lambda.ts';

/**
 * GET /healthz is public in AWS: whatever a caller's rate, an instance reads DynamoDB at most once
 * per LATCHKEY_HEALTH_CACHE_SECONDS (5 s in AWS), and answers from what it read meanwhile.
 */
useLambdaEnv();
const ddb = mockClient(DynamoDBDocumentClient);

type Handler = typeof import('#handlers/healthz.ts')['handler'];
async function healthz(cacheSeconds: string | undefined): Promise<Handler> {
  vi.resetModules();
  if (cacheSeconds === undefined) delete process.env.LATCHKEY_HEALTH_CACHE_SECONDS;
  else process.env.LATCHKEY_HEALTH_CACHE_SECONDS = cacheSeconds;
  return (await import('#handlers/healthz.ts')).handler;
}

const call = async (handler: Handler) => (await handler(restEvent('GET', '/healthz'), context())).statusCode;
const reads = () => ddb.commandCalls(GetCommand).length;
const fault = () => Object.assign(new Error('down'), { name: 'ProvisionedThroughputExceededException' });

beforeEach(() => {
  ddb.reset();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-12-01T10:00:00.000Z'));
});
afterEach(() => {
  vi.useRealTimers();
  delete process.env.LATCHKEY_HEALTH_CACHE_SECONDS;
});

describe('GET /healthz with its answer cached for 5 s', () => {
  it('reads DynamoDB once for any number of calls within 5 s, then once again', async () => {
    const handler = await healthz('5');
    ddb.on(GetCommand).resolves({});
    for (let i = 0; i < 200; i++) expect(await call(handler)).toBe(200);
    expect(reads()).toBe(1);
    vi.advanceTimersByTime(4_999);
    expect(await call(handler)).toBe(200);
    expect(reads()).toBe(1);
    vi.advanceTimersByTime(1);
    for (let i = 0; i < 50; i++) expect(await call(handler)).toBe(200);
    expect(reads()).toBe(2);
  });

  it('shares one read among concurrent calls', async () => {
    const handler = await healthz('5');
    ddb.on(GetCommand).resolves({});
    const statuses = await Promise.all(Array.from({ length: 100 }, () => call(handler)));
    expect(new Set(statuses)).toEqual(new Set([200]));
    expect(reads()).toBe(1);
  });

  it('keeps a failure 5 s too (a down table is not asked again at once), then recovers', async () => {
    const handler = await healthz('5');
    ddb.on(GetCommand).rejects(fault());
    for (let i = 0; i < 100; i++) expect(await call(handler)).toBe(503);
    expect(reads()).toBe(1);
    ddb.on(GetCommand).resolves({});
    vi.advanceTimersByTime(4_000);
    expect(await call(handler)).toBe(503);
    vi.advanceTimersByTime(1_000);
    expect(await call(handler)).toBe(200);
    expect(reads()).toBe(2);
  });
});

describe('GET /healthz uncached (the local default)', () => {
  it('reads on every call, so a stopped engine shows at once', async () => {
    const handler = await healthz(undefined);
    ddb.on(GetCommand).resolves({});
    for (let i = 0; i < 5; i++) expect(await call(handler)).toBe(200);
    expect(reads()).toBe(5);
    ddb.on(GetCommand).rejects(fault());
    expect(await call(handler)).toBe(503);
  });

  it('refuses a cache longer than 60 s at init', async () => {
    await expect(healthz('61')).rejects.toThrow(/LATCHKEY_HEALTH_CACHE_SECONDS must be at most 60, got "61"/);
  });
});
