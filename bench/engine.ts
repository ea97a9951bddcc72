import { randomBytes } from 'node:crypto';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { authorizerConfig } from '#config/authorizer.ts';
import { DAY_MS } from '#domain/keys/key.ts';
import { newKeyId } from '#domain/keys/secret.ts';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import { createAuthorizer } from '#platform/http/authorizer-events.ts';
import { DynamoKeyStore } from '#store/dynamo-keys.ts';
import { readKey } from '#store/read-key.ts';
import { TABLES, type TableId } from '#store/tables.ts';
import { ensureTables, localClient, startDynamoLocal } from '../local/dynamodb-local.ts';
import { requestEvent } from '../test/support/authorizer-events.ts';
import { storedKey } from '../test/support/fixtures.ts';
import { type Spread, spread } from './stats.ts';

/**
 * Figures on the real engine (DynamoDB Local over HTTP, telemetry off): the authorizer's valid
 * check against a bare strongly consistent GetItem of the same item through the same client,
 * and what a search costs among 10,000 keys.
 */
export async function benchOnEngine(searchKeys = 10_000): Promise<Record<string, Spread>> {
  const dynamo = await startDynamoLocal({ dbPath: undefined, accessKeyId: 'local' });
  const client = localClient(dynamo.endpoint);
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const names = Object.fromEntries(Object.keys(TABLES).map((id) => [id, `engine-${id}`])) as Record<
    TableId,
    string
  >;
  try {
    await ensureTables(client, names);
    return { ...(await checkVsGet(doc, names.keys)), ...(await search(doc, names, searchKeys)) };
  } finally {
    client.destroy();
    await dynamo.stop();
  }
}

async function checkVsGet(doc: DynamoDBDocumentClient, table: string) {
  const peppers = parsePepperSet(JSON.stringify({ version: '1', pepper: 'b'.repeat(43) }));
  const { record, secret } = storedKey(peppers, { rotationDueAt: '2099-01-01T00:00:00.000Z' });
  await doc.send(new PutCommand({ TableName: table, Item: record as unknown as Record<string, unknown> }));
  const authorize = createAuthorizer(
    {
      getKey: (id) => readKey(doc, table, id),
      peppers: async () => peppers,
      now: () => new Date(),
      customRoles: async () => new Map(),
      observe: () => undefined,
      fault: (error) => {
        throw error;
      },
    },
    authorizerConfig({}),
  );
  const valid = requestEvent({
    method: 'GET',
    path: '/orders/1',
    headers: { authorization: `Bearer ${secret}` },
  });
  const get = () =>
    doc.send(new GetCommand({ TableName: table, Key: { keyId: record.keyId }, ConsistentRead: true }));
  for (let i = 0; i < 300; i++) {
    await authorize(valid);
    await get();
  }
  const ratios: number[] = [];
  for (let round = 0; round < 15; round++) {
    // Alternate which side goes first, so neither always runs on a warmer engine.
    const sides = [get, () => authorize(valid)] as const;
    const order = round % 2 ? [1, 0] : [0, 1];
    const times = [0, 0];
    for (const side of order) {
      const t = performance.now();
      for (let i = 0; i < 100; i++) await sides[side as 0 | 1]();
      times[side as 0 | 1] = performance.now() - t;
    }
    ratios.push((times[1] as number) / (times[0] as number));
  }
  return { authorizerVsBareGetRatioOnEngine: spread(ratios) };
}

/** Requests and milliseconds to find the oldest key among `size` by name prefix, substring and key ID. */
async function search(doc: DynamoDBDocumentClient, names: Record<TableId, string>, size: number) {
  const store = new DynamoKeyStore(doc, {
    keys: names.keys,
    owners: names.owners,
    audit: names.audit,
    roles: names.roles,
  });
  const { record: base } = storedKey(
    parsePepperSet(JSON.stringify({ version: '1', pepper: 'c'.repeat(43) })),
  );
  const start = Date.now() - 30 * DAY_MS;
  const needle = newKeyId();
  const items = Array.from({ length: size }, (_, i) =>
    store.toItem({
      ...base,
      keyId: i === 0 ? needle : newKeyId(),
      name: i === 0 ? 'Needle Oldest Integration' : `service ${randomBytes(4).toString('hex')}`,
      owner: `owner-${i % 500}`,
      createdAt: new Date(start + i * 1000).toISOString(),
    }),
  );
  for (let i = 0; i < items.length; i += 25 * 8) {
    await Promise.all(
      Array.from({ length: 8 }, async (_, b) => {
        let pending: Record<string, unknown>[] | undefined = items
          .slice(i + b * 25, i + (b + 1) * 25)
          .map((Item) => ({ PutRequest: { Item } }));
        while (pending?.length) {
          const out = await doc.send(
            new BatchWriteCommand({ RequestItems: { [names.keys]: pending as never } }),
          );
          pending = out.UnprocessedItems?.[names.keys] as Record<string, unknown>[] | undefined;
        }
      }),
    );
  }
  const figures: Record<string, Spread> = {};
  const find = async (query: string) => {
    let cursor: string | undefined;
    let requests = 0;
    const t = performance.now();
    for (;;) {
      requests++;
      const page = await store.listKeys({ search: query }, 50, cursor, new Date());
      if (page.items.some((k) => k.keyId === needle)) break;
      if (!page.nextCursor) throw new Error(`search "${query}" did not find the key`);
      cursor = page.nextCursor;
    }
    return { requests, ms: performance.now() - t };
  };
  for (const [label, query] of [
    ['NamePrefix', 'needle'],
    ['Substring', 'dle oldest integ'],
    ['KeyId', needle],
  ] as const) {
    const runs = [];
    for (let i = 0; i < 5; i++) runs.push(await find(query));
    figures[`searchRequestsBy${label}At${size}`] = spread(runs.map((r) => r.requests));
    figures[`searchMsBy${label}At${size}`] = spread(runs.map((r) => r.ms));
  }
  return figures;
}
