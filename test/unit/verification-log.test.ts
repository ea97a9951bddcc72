import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import { requestEvent } from '../support/authorizer-events.ts';
import { storedKey } from '../support/fixtures.ts';
import { logOf, logSubscriptionEvent, useLambdaEnv } from '../support/lambda.ts';

// As deployed with `verificationLog: { s3: true }`: usage from the log, and the stream's name.
useLambdaEnv({
  LATCHKEY_USAGE_SOURCE: 'logs',
  POWERTOOLS_METRICS_DISABLED: 'false',
  LATCHKEY_VERIFICATION_STREAM: 'latchkey-checks',
});
const ddb = mockClient(DynamoDBDocumentClient);
const firehose = mockClient(FirehoseClient);
const peppers = parsePepperSet(JSON.stringify({ version: '1', pepper: 'p'.repeat(40) }));

let authorizer: typeof import('#handlers/authorizer.ts')['handler'];
let ingest: typeof import('#handlers/usage-ingest.ts')['handler'];
beforeAll(async () => {
  authorizer = (await import('#handlers/authorizer.ts')).handler;
  ingest = (await import('#handlers/usage-ingest.ts')).handler;
});
afterEach(() => {
  ddb.reset();
  firehose.reset();
  vi.restoreAllMocks();
});

/** The rows Firehose was given: every record's JSON documents, in order. */
const sentRows = () =>
  firehose
    .commandCalls(PutRecordBatchCommand)
    .flatMap((call) => call.args[0].input.Records ?? [])
    .flatMap((record) =>
      Buffer.from(record.Data as Uint8Array)
        .toString('utf8')
        .split(/(?<=\})(?=\{)/),
    )
    .map((doc) => JSON.parse(doc));

describe('the verification log (Firehose)', () => {
  it("gets every check's record, a key's or not, counted or not; the counting is unchanged", async () => {
    const key = storedKey(peppers, { roles: ['read'], permissions: [] });
    ddb.on(GetCommand).resolves({});
    ddb
      .on(GetCommand, { TableName: 'unit-keys', Key: { keyId: key.record.keyId } })
      .resolves({ Item: key.record });
    ddb.on(UpdateCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    const call = (method: string, authorization?: string) =>
      authorizer(
        requestEvent({
          method,
          path: '/orders/7',
          resource: '/orders/{orderId}',
          sourceIp: '198.51.100.4',
          headers: { ...(authorization ? { authorization } : {}), 'user-agent': 'probe/1' },
        }),
      ).catch(() => undefined);
    const lines = await logOf(async () => {
      await call('GET', `Bearer ${key.secret}`);
      await call('POST', `Bearer ${key.secret}`);
      await call('GET');
    });
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: '1' }] });
    expect(await ingest(logSubscriptionEvent(lines))).toMatchObject({ keys: 1, checks: 3 });
    const rows = sentRows();
    expect(rows.map((r) => [r.key_id, r.outcome, r.method, r.counted])).toEqual([
      [key.record.keyId, 'ALLOWED', 'GET', true],
      [key.record.keyId, 'INSUFFICIENT_PERMISSIONS', 'POST', true],
      [null, 'MISSING', 'GET', false],
    ]);
    expect(rows[0]).toMatchObject({
      path: '/orders/{orderId}',
      source_ip: '198.51.100.4',
      user_agent: 'probe/1',
      region: 'us-east-1',
    });
    expect(rows[0].at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(firehose.commandCalls(PutRecordBatchCommand)[0]?.args[0].input.DeliveryStreamName).toBe(
      'latchkey-checks',
    );
    expect(JSON.stringify(rows)).not.toContain(key.secret);
  });

  it('sends again what Firehose refused, and fails the batch (retried by Lambda) when it keeps refusing', async () => {
    ddb.on(GetCommand).resolves({});
    const lines = await logOf(async () => {
      await authorizer(requestEvent({ method: 'GET', path: '/a' })).catch(() => undefined);
    });
    firehose
      .on(PutRecordBatchCommand)
      .resolvesOnce({ FailedPutCount: 1, RequestResponses: [{ ErrorCode: 'ServiceUnavailableException' }] })
      .resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: '1' }] });
    await ingest(logSubscriptionEvent(lines));
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(2);

    firehose.reset();
    firehose
      .on(PutRecordBatchCommand)
      .resolves({ FailedPutCount: 1, RequestResponses: [{ ErrorCode: 'ServiceUnavailableException' }] });
    await expect(ingest(logSubscriptionEvent(lines))).rejects.toThrow(/Firehose refused 1 of 1 records/);
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(3);
  });
});
