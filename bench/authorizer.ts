import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { authorizerConfig } from '#config/authorizer.ts';
import { newSecret } from '#domain/keys/secret.ts';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import { createAuthorizer } from '#platform/http/authorizer-events.ts';
import { usageRecorder } from '#platform/observability/usage-counter.ts';
import { DynamoRequestLog } from '#store/dynamo-requests.ts';
import { DynamoUsageStore } from '#store/dynamo-usage.ts';
import { readKey } from '#store/read-key.ts';
import { requestEvent } from '../test/support/authorizer-events.ts';
import { storedKey } from '../test/support/fixtures.ts';
import { median, spread } from './stats.ts';
import { StubTransport, stubDocumentClient } from './stub-transport.ts';

const WRITES = ['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem'];
const READS = ['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems'];

/** The authorizer's check on a stub DynamoDB transport, against a bare GetCommand on the same transport. */
export async function benchAuthorizer() {
  const peppers = parsePepperSet(JSON.stringify({ version: '1', pepper: 'b'.repeat(43) }));
  const { record, secret } = storedKey(peppers, {
    name: 'bench',
    owner: 'bench',
    rotationDueAt: '2027-01-01T00:00:00.000Z',
  });
  const keyId = record.keyId;
  const transport = new StubTransport(new Map([[keyId, record as unknown as Record<string, unknown>]]));
  const doc = stubDocumentClient(transport);
  // The real usage counter, flushing as eagerly as it can (every check), so any read or write it
  // put on the check's path would be counted.
  const usage = usageRecorder(
    {
      usage: new DynamoUsageStore(doc, { usage: 'usage', keys: 'keys' }),
      requests: new DynamoRequestLog(doc, 'requests'),
    },
    { flushMs: 0 },
  );
  const authorize = createAuthorizer(
    {
      record: (check) => usage.record(check),
      getKey: (id) => readKey(doc, 'keys', id),
      peppers: async () => peppers,
      now: () => new Date(),
      customRoles: async () => new Map(),
      observe: () => undefined,
      fault: (error) => {
        throw error;
      },
    },
    authorizerConfig({ LATCHKEY_ROUTE_PERMISSIONS: JSON.stringify({ 'POST /orders/*': 'orders:write' }) }),
  );
  const event = (key: string) =>
    requestEvent({ method: 'GET', path: '/orders/1', headers: { authorization: `Bearer ${key}` } });
  const valid = event(secret);
  const wrong = event(newSecret(keyId, 'production'));
  const malformed = event(`${secret.slice(0, -2)}${secret.endsWith('zz') ? 'yy' : 'zz'}`);

  // Counts: reads and writes per check, before its answer (the check's path) and after (the
  // counter's flush, which reads and writes each key's day off the path).
  const counted = async (e: ReturnType<typeof event>, n: number) => {
    let readsBeforeAnswer = 0;
    let writesBeforeAnswer = 0;
    const reads = transport.count(READS);
    const writes = transport.count(WRITES);
    for (let i = 0; i < n; i++) {
      const [readsBefore, writesBefore] = [transport.count(READS), transport.count(WRITES)];
      await authorize(e).catch(() => undefined);
      readsBeforeAnswer += transport.count(READS) - readsBefore;
      writesBeforeAnswer += transport.count(WRITES) - writesBefore;
      // Let the counter's flush run (off the check's path) before the next check is timed.
      await new Promise((resolve) => setImmediate(resolve));
      await usage.flush();
    }
    return {
      reads: readsBeforeAnswer / n,
      awaitedWrites: writesBeforeAnswer / n,
      readsAfter: (transport.count(READS) - reads - readsBeforeAnswer) / n,
      writesAfter: (transport.count(WRITES) - writes - writesBeforeAnswer) / n,
    };
  };
  const validCounts = await counted(valid, 200);
  const malformedCounts = await counted(malformed, 200);

  // Time: interleaved rounds, so drift and GC affect both sides alike.
  const get = () => doc.send(new GetCommand({ TableName: 'keys', Key: { keyId }, ConsistentRead: true }));
  for (let i = 0; i < 2000; i++) {
    await authorize(valid);
    await get();
  }
  const ratios: number[] = [];
  for (let round = 0; round < 15; round++) {
    let t = performance.now();
    for (let i = 0; i < 300; i++) await get();
    const bare = performance.now() - t;
    t = performance.now();
    for (let i = 0; i < 300; i++) await authorize(valid);
    ratios.push((performance.now() - t) / bare);
  }

  // Valid against wrong secret: both do the one read and the HMAC; the answer differs after the
  // compare. The p50 difference is taken per round, so its spread shows.
  const diffs: number[] = [];
  for (let round = 0; round < 15; round++) {
    const validTimes: number[] = [];
    const wrongTimes: number[] = [];
    for (let i = 0; i < 400; i++) {
      let t = performance.now();
      await authorize(valid);
      validTimes.push(performance.now() - t);
      t = performance.now();
      await authorize(wrong).catch(() => undefined);
      wrongTimes.push(performance.now() - t);
    }
    diffs.push(Math.abs(median(validTimes) - median(wrongTimes)) * 1000);
  }
  return {
    readsPerValidCheck: validCounts.reads,
    readsPerMalformedCheck: malformedCounts.reads,
    awaitedWritesPerCheck: Math.max(validCounts.awaitedWrites, malformedCounts.awaitedWrites),
    usageReadsPerCheckOffPath: validCounts.readsAfter,
    usageWritesPerCheckOffPath: validCounts.writesAfter,
    authorizerVsBareGetRatio: spread(ratios),
    validVsWrongSecretP50DiffMicros: spread(diffs),
  };
}
