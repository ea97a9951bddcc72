import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { itemSizeBytes, KEY_ITEM_BUDGET_BYTES } from '../../functions/domain/keys/item-size.ts';
import { parsePepperSet } from '../../functions/domain/keys/secret-hash.ts';
import { localClient } from '../../local/dynamodb-local.ts';
import { storedKey } from '../support/fixtures.ts';
import { buildLargestKey, createTypicalKey, measureKeyItem } from '../support/largest-key.ts';
import { newKey, useTestService } from '../support/service.ts';

const svc = useTestService();

const fieldsOf = (body: { error: { details: { field: string }[] } }) =>
  body.error.details.map((d) => d.field);
const WIDE = '中';

describe('one check is one read unit', () => {
  it('sizes items as DynamoDB Local bills them: 4,096 bytes is one read unit, 4,097 two', async () => {
    const client = localClient(svc.dynamoEndpoint, svc.dynamoAccessKeyId);
    const doc = DynamoDBDocumentClient.from(client);
    try {
      for (const [bytes, units] of [
        [4096, 1],
        [4097, 2],
      ] as const) {
        const base = { keyId: `size-${bytes}`, n: 12345, flag: true, list: ['a', 'bc'], map: { x: WIDE } };
        const item = { ...base, pad: 'x'.repeat(bytes - itemSizeBytes({ ...base, pad: '' })) };
        expect(itemSizeBytes(item)).toBe(bytes);
        await doc.send(new PutCommand({ TableName: svc.tables.keys, Item: item }));
        const out = await doc.send(
          new GetCommand({
            TableName: svc.tables.keys,
            Key: { keyId: item.keyId },
            ConsistentRead: true,
            ReturnConsumedCapacity: 'TOTAL',
          }),
        );
        expect(out.ConsumedCapacity?.CapacityUnits).toBe(units);
      }
    } finally {
      client.destroy();
    }
  });

  it('refuses a create whose item would be over the budget, naming the fields', async () => {
    const res = await svc.api('POST', '/v1/keys', {
      ...newKey(),
      description: WIDE.repeat(1000),
      metadata: { a: WIDE.repeat(490) },
      permissions: Array.from({ length: 10 }, (_, i) => `orders:action${i}${'x'.repeat(100)}`),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toMatch(/over the 3500-byte budget/);
    expect(fieldsOf(res.body).slice(0, 3)).toEqual(['description', 'metadata', 'permissions']);
  });

  it('refuses one field over its share in the schema, with every other bad field', async () => {
    const res = await svc.api('POST', '/v1/keys', {
      ...newKey(),
      name: 'x'.repeat(129),
      metadata: Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`k${i}`, 'v'.repeat(400)])),
      permissions: Array.from({ length: 20 }, (_, i) => `p:${i}${'x'.repeat(100)}`),
    });
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toEqual(expect.arrayContaining(['name', 'metadata', 'permissions']));
    expect(JSON.stringify(res.body)).toMatch(/at most 1500 bytes of the key item/);
  });

  it('refuses a PATCH that would take the item over the budget, and changes nothing', async () => {
    const created = await svc.api('POST', '/v1/keys', { ...newKey(), description: WIDE.repeat(400) });
    expect(created.status).toBe(201);
    const keyId = created.body.key.keyId;
    const res = await svc.api('PATCH', `/v1/keys/${keyId}`, {
      metadata: { a: WIDE.repeat(490) },
      permissions: Array.from({ length: 10 }, (_, i) => `orders:action${i}${'x'.repeat(100)}`),
    });
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toEqual(expect.arrayContaining(['description', 'metadata', 'permissions']));
    const after = await svc.api('GET', `/v1/keys/${keyId}`);
    expect(after.body.version).toBe(1);
    expect(after.body.metadata).toBeUndefined();
  });

  it('still lets a key stored before the budget be disabled, but not grown', async () => {
    const client = localClient(svc.dynamoEndpoint, svc.dynamoAccessKeyId);
    const { record } = storedKey(parsePepperSet(JSON.stringify({ version: '1', pepper: 'o'.repeat(40) })), {
      owner: 'legacy',
      metadata: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, 'v'.repeat(500)])),
    });
    try {
      await DynamoDBDocumentClient.from(client).send(
        new PutCommand({ TableName: svc.tables.keys, Item: record }),
      );
    } finally {
      client.destroy();
    }
    const disabled = await svc.api('PATCH', `/v1/keys/${record.keyId}`, { enabled: false });
    expect(disabled.status).toBe(200);
    expect(disabled.body.status).toBe('inactive');
    const grown = await svc.api('PATCH', `/v1/keys/${record.keyId}`, { description: 'more' });
    expect(grown.status).toBe(400);
    expect(fieldsOf(grown.body)).toEqual(expect.arrayContaining(['metadata', 'description']));
    const shrunk = await svc.api('PATCH', `/v1/keys/${record.keyId}`, { metadata: { k0: 'v' } });
    expect(shrunk.status).toBe(200);
  });

  it('holds the largest acceptable key under 4 KB, one read unit, through its rotation', async () => {
    const { keyId, grown } = await buildLargestKey(svc.api);
    // Every field took some of the budget, and one more unit of the last one is refused.
    expect(grown.workspaceIds).toBeGreaterThan(0);
    const largest = await measureKeyItem(svc, keyId);
    expect(largest.bytes).toBeLessThanOrEqual(KEY_ITEM_BUDGET_BYTES);
    expect(largest.bytes).toBeGreaterThan(KEY_ITEM_BUDGET_BYTES - 400);
    expect(largest.readUnits).toBe(1);
    const rotated = await svc.api('POST', `/v1/keys/${keyId}/rotate`, { gracePeriodSeconds: 3600 });
    expect(rotated.status).toBe(201);
    for (const id of [keyId, rotated.body.key.keyId]) {
      const item = await measureKeyItem(svc, id);
      expect(item.bytes).toBeLessThan(4096);
      expect(item.readUnits).toBe(1);
    }
    const revoked = await svc.api('POST', `/v1/keys/${rotated.body.key.keyId}/revoke`);
    expect(revoked.status).toBe(200);
    expect((await measureKeyItem(svc, rotated.body.key.keyId)).readUnits).toBe(1);
    const typical = await measureKeyItem(svc, await createTypicalKey(svc.api));
    expect(typical.bytes).toBeLessThan(1024);
    expect(typical.readUnits).toBe(1);
  });
});
