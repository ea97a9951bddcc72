import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import { storedKey } from '../support/fixtures.ts';
import { context, restEvent, useLambdaEnv } from '../support/lambda.ts';

useLambdaEnv({ LATCHKEY_MAX_ACTIVE_KEYS_PER_OWNER: '3' });
const ddb = mockClient(DynamoDBDocumentClient);

type Handler = typeof import('#handlers/keys-create.ts')['handler'];
let create: Handler;
let update: Handler;
let get: Handler;

beforeAll(async () => {
  create = (await import('#handlers/keys-create.ts')).handler;
  update = (await import('#handlers/keys-update.ts')).handler;
  get = (await import('#handlers/keys-get.ts')).handler;
});
beforeEach(() => ddb.reset());

const keyId = 'key_0123456789abcdefghijkl';
const { record: stored } = storedKey(
  parsePepperSet(JSON.stringify({ version: '1', pepper: 'p'.repeat(40) })),
  {
    keyId,
    name: 'k',
    owner: 'alice',
    version: 4,
    secretHash: 'hash-value-that-must-not-leak',
  },
);

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const body = (res: { body: string }) => JSON.parse(res.body);

describe('management handlers: conditional failures and faults', () => {
  it('maps a version condition failure under If-Match to 412', async () => {
    ddb.on(GetCommand).resolves({ Item: stored });
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    const res = await update(
      restEvent('PATCH', '/v1/keys/{keyId}', {
        path: { keyId },
        body: { name: 'new' },
        headers: { 'If-Match': '"4"' },
      }),
      context(),
    );
    expect(res.statusCode).toBe(412);
    expect(body(res).error.code).toBe('PRECONDITION_FAILED');
  });

  it('answers a mismatched If-Match with 412 without writing', async () => {
    ddb.on(GetCommand).resolves({ Item: stored });
    const res = await update(
      restEvent('PATCH', '/v1/keys/{keyId}', {
        path: { keyId },
        body: { name: 'new' },
        headers: { 'if-match': '3' },
      }),
      context(),
    );
    expect(res.statusCode).toBe(412);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('retries a concurrent change without If-Match, then answers 409', async () => {
    ddb.on(GetCommand).resolves({ Item: stored });
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    const res = await update(
      restEvent('PATCH', '/v1/keys/{keyId}', { path: { keyId }, body: { name: 'x' } }),
      context(),
    );
    expect(res.statusCode).toBe(409);
    expect(body(res).error.code).toBe('CONFLICT');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(5);
  });

  it('answers a revoked key with 409 KEY_REVOKED', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...stored, status: 'revoked' } });
    const res = await update(
      restEvent('PATCH', '/v1/keys/{keyId}', { path: { keyId }, body: { name: 'x' } }),
      context(),
    );
    expect(res.statusCode).toBe(409);
    expect(body(res).error.code).toBe('KEY_REVOKED');
  });

  it('maps the owner counter condition to 409 with the limit in the message', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('None', 'ConditionalCheckFailed', 'None'));
    const res = await create(
      restEvent('POST', '/v1/keys', { body: { owner: 'alice', scope: { workspaceId: 'w' } } }),
      context(),
    );
    expect(res.statusCode).toBe(409);
    expect(body(res).error).toMatchObject({ code: 'LIMIT_EXCEEDED' });
    expect(body(res).error.message).toContain('maximum of 3 active keys');
  });

  it('retries DynamoDB transaction conflicts and then succeeds', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('TransactionConflict', 'None', 'None'))
      .resolves({});
    const res = await create(
      restEvent('POST', '/v1/keys', { body: { owner: 'alice', scope: { workspaceId: 'w' } } }),
      context(),
    );
    expect(res.statusCode).toBe(201);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('writes the key, the owner counter and the audit record in one transaction, with no secret stored', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(BatchGetCommand).resolves({ Responses: { 'unit-roles': [{ name: 'support' }] } });
    const res = await create(
      restEvent('POST', '/v1/keys', {
        body: { owner: 'alice', scope: { workspaceId: 'w' }, roles: ['support'] },
      }),
      context(),
    );
    expect(res.statusCode).toBe(201);
    const { secret, key } = body(res);
    const [call] = ddb.commandCalls(TransactWriteCommand);
    const items = call?.args[0].input.TransactItems ?? [];
    expect(items.map((i) => i.Put?.TableName ?? i.Update?.TableName)).toEqual([
      'unit-keys',
      'unit-owners',
      'unit-roles',
      'unit-audit',
      // The live-key counter of the pepper version the key is hashed under.
      'unit-owners',
    ]);
    expect(items[4]?.Update).toMatchObject({
      Key: { owner: '#pepper:1' },
      ExpressionAttributeValues: { ':delta': 1 },
    });
    expect(items[2]?.Update).toMatchObject({
      Key: { name: 'support' },
      ExpressionAttributeValues: { ':delta': 1 },
    });
    expect(items[3]?.Put?.Item).toMatchObject({
      actor: 'arn:aws:iam::123456789012:user/operator',
      action: 'key.created',
      keyId: key.keyId,
    });
    expect(JSON.stringify(items)).not.toContain(secret);
    expect(JSON.stringify(items)).not.toContain(secret.slice(31, 74));
    expect(key.createdBy).toBe('arn:aws:iam::123456789012:user/operator');
  });

  it('answers an infrastructure fault with a 500 that has a request ID and no internals', async () => {
    ddb
      .on(GetCommand)
      .rejects(new Error('ProvisionedThroughputExceededException: table unit-keys at capacity'));
    const res = await get(restEvent('GET', '/v1/keys/{keyId}', { path: { keyId } }), context());
    expect(res.statusCode).toBe(500);
    expect(body(res).error.code).toBe('INTERNAL');
    expect(body(res).error.requestId).toBeTruthy();
    expect(res.body).not.toMatch(/Provisioned|unit-keys/);
  });

  it('never returns the stored hash', async () => {
    ddb.on(GetCommand).resolves({ Item: stored });
    const res = await get(restEvent('GET', '/v1/keys/{keyId}', { path: { keyId } }), context());
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('hash-value-that-must-not-leak');
    expect(res.body).not.toMatch(/secretHash|pepperVersion|slotHeld/);
  });

  it('refuses a request without a caller identity', async () => {
    const event = restEvent('GET', '/v1/keys/{keyId}', { path: { keyId } });
    event.requestContext.identity.userArn = null;
    const res = await get(event, context());
    expect(res.statusCode).toBe(401);
  });
});
