import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import { requestEvent } from '../support/authorizer-events.ts';
import { storedKey } from '../support/fixtures.ts';
import { context, logOf, logSubscriptionEvent, restEvent, useLambdaEnv } from '../support/lambda.ts';

// The deployed configuration: metrics on, usage counted from the log.
useLambdaEnv({ LATCHKEY_USAGE_SOURCE: 'logs', POWERTOOLS_METRICS_DISABLED: 'false' });
const ddb = mockClient(DynamoDBDocumentClient);
const peppers = parsePepperSet(JSON.stringify({ version: '1', pepper: 'p'.repeat(40) }));

let authorizer: typeof import('#handlers/authorizer.ts')['handler'];
let ingest: typeof import('#handlers/usage-ingest.ts')['handler'];
let verify: typeof import('#handlers/verify.ts')['handler'];
beforeAll(async () => {
  authorizer = (await import('#handlers/authorizer.ts')).handler;
  ingest = (await import('#handlers/usage-ingest.ts')).handler;
  verify = (await import('#handlers/verify.ts')).handler;
});
afterEach(() => {
  ddb.reset();
  vi.restoreAllMocks();
});

async function check(secret: string, method = 'GET') {
  const event = requestEvent({ method, path: '/orders/1', headers: { authorization: `Bearer ${secret}` } });
  await authorizer(event).catch(() => undefined);
}

describe('usage through the authorizer log (AWS)', () => {
  it('the authorizer writes nothing; the log subscription counts allowed and refused per key and day', async () => {
    const active = storedKey(peppers, { roles: ['read'], permissions: [] });
    const disabled = storedKey(peppers, { status: 'inactive' });
    ddb.on(GetCommand).resolves({});
    ddb.on(GetCommand, { Key: { keyId: active.record.keyId } }).resolves({ Item: active.record });
    ddb.on(GetCommand, { Key: { keyId: disabled.record.keyId } }).resolves({ Item: disabled.record });

    const lines = await logOf(async () => {
      for (let i = 0; i < 3; i++) await check(active.secret);
      await check(active.secret, 'POST'); // refused: the read role cannot write
      await check(disabled.secret); // refused: disabled
      await check(storedKey(peppers).secret); // unknown key: not counted against anyone
    });
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(lines.some((l) => l.includes('"usage":"allowed"'))).toBe(true);

    ddb.on(UpdateCommand).resolves({});
    const result = await ingest(logSubscriptionEvent([...lines, 'START RequestId: x', '{"not":"a check"}']));
    expect(result).toEqual({ keys: 1, days: 2 });
    const updates = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    const day = new Date().toISOString().slice(0, 10);
    expect(updates).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          TableName: 'unit-usage',
          Key: { keyId: active.record.keyId, day },
          ExpressionAttributeValues: expect.objectContaining({ ':a': 3, ':r': 1 }),
        }),
        expect.objectContaining({
          TableName: 'unit-usage',
          Key: { keyId: disabled.record.keyId, day },
          ExpressionAttributeValues: expect.objectContaining({ ':a': 0, ':r': 1 }),
        }),
        expect.objectContaining({
          TableName: 'unit-keys',
          Key: { keyId: active.record.keyId },
          UpdateExpression: 'SET lastUsedAt = :at',
        }),
      ]),
    );
    expect(updates).toHaveLength(3);
  });

  it('fails the batch when a write fails, so Lambda retries it', async () => {
    const key = storedKey(peppers);
    ddb.on(GetCommand).resolves({ Item: key.record });
    const lines = await logOf(() => check(key.secret));
    ddb.on(UpdateCommand).rejects(new Error('throttled'));
    await expect(ingest(logSubscriptionEvent(lines))).rejects.toThrow('throttled');
  });
});

describe('a tripped canary in AWS', () => {
  it("reaches the canary's key through the log: its trips, the latest's source IP and route, and a refused request", async () => {
    const canary = storedKey(peppers, { type: 'canary' });
    ddb.on(GetCommand).resolves({ Item: canary.record });
    const lines = await logOf(async () => {
      await check(canary.secret);
      await authorizer(
        requestEvent({
          method: 'POST',
          path: '/admin/export',
          sourceIp: '198.51.100.7',
          headers: { authorization: `Bearer ${canary.secret}` },
        }),
      ).catch(() => undefined);
    });
    // The check itself writes nothing: the trip rides on its own EMF line.
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(lines.join('\n')).not.toContain(canary.secret);

    ddb.on(UpdateCommand).resolves({});
    await ingest(logSubscriptionEvent(lines));
    const updates = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    const day = new Date().toISOString().slice(0, 10);
    expect(updates).toContainEqual(
      expect.objectContaining({
        TableName: 'unit-usage',
        Key: { keyId: canary.record.keyId, day },
        ExpressionAttributeValues: expect.objectContaining({ ':a': 0, ':r': 2 }),
      }),
    );
    const trip = updates.find((u) => u.TableName === 'unit-keys');
    expect(trip?.Key).toEqual({ keyId: canary.record.keyId });
    expect(trip?.UpdateExpression).toContain('ADD tripCount :n');
    expect(trip?.ExpressionAttributeValues).toMatchObject({
      ':n': 2,
      ':ip': '198.51.100.7',
      ':route': 'POST /admin/export',
    });
    // Never lastUsedAt: a canary is never used.
    expect(updates.some((u) => String(u.UpdateExpression).includes('lastUsedAt'))).toBe(false);
  });
});

describe('usage rows', () => {
  it('are kept 30 days, as the README says: the TTL is the end of the 30th day', async () => {
    const key = storedKey(peppers);
    ddb.on(GetCommand).resolves({ Item: key.record });
    const lines = await logOf(() => check(key.secret));
    ddb.on(UpdateCommand).resolves({});
    await ingest(logSubscriptionEvent(lines));
    const day = new Date().toISOString().slice(0, 10);
    const usage = ddb
      .commandCalls(UpdateCommand)
      .map((c) => c.args[0].input)
      .find((input) => input.TableName === 'unit-usage');
    expect(usage?.ExpressionAttributeValues?.[':ttl']).toBe(
      Date.parse(`${day}T00:00:00Z`) / 1000 + 30 * 86_400,
    );
  });
});

describe('POST /v1/verify in AWS', () => {
  it('writes no usage itself: its log line goes the authorizer way, through usage-ingest', async () => {
    const key = storedKey(peppers, { roles: ['read'], permissions: [] });
    ddb.on(GetCommand).resolves({ Item: key.record });
    const lines = await logOf(async () => {
      for (const permission of [undefined, 'orders:write']) {
        const res = await verify(
          restEvent('POST', '/v1/verify', {
            body: { key: key.secret, ...(permission ? { permission } : {}) },
          }),
          context(),
        );
        expect(res.statusCode).toBe(200);
      }
    });
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(lines.join('\n')).not.toContain(key.secret);

    ddb.on(UpdateCommand).resolves({});
    expect(await ingest(logSubscriptionEvent(lines))).toEqual({ keys: 1, days: 1 });
    const usage = ddb
      .commandCalls(UpdateCommand)
      .map((c) => c.args[0].input)
      .find((input) => input.TableName === 'unit-usage');
    expect(usage?.ExpressionAttributeValues).toMatchObject({ ':a': 1, ':r': 1 });
  });
});

describe('an authorizer fault in AWS (metrics on)', () => {
  it('writes one structured line with the error name and key ID, beside the AuthorizerFault metric', async () => {
    const { logger } = await import('#platform/observability/logger.ts');
    const key = storedKey(peppers);
    ddb.on(GetCommand).rejects(Object.assign(new Error('slow'), { name: 'TimeoutError' }));
    logger.setLogLevel('INFO');
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    });
    lines.push(...(await logOf(() => check(key.secret))));
    logger.setLogLevel('SILENT');
    const faults = lines.filter((l) => l.includes('TimeoutError'));
    expect(faults).toHaveLength(1);
    expect(JSON.parse(faults[0] as string)).toMatchObject({
      errorName: 'TimeoutError',
      keyId: key.record.keyId,
    });
    const emf = lines.map((l) => JSON.parse(l)).find((l) => l._aws && 'AuthorizerFault' in l);
    expect(emf?.AuthorizerFault).toBe(1);
    expect(lines.join('\n')).not.toContain(key.secret);
  });
});
