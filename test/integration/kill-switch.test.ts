import { readFileSync } from 'node:fs';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { settings } from '#config/settings.ts';
import type { KeyRecord } from '#domain/keys/key.ts';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import { dynamoDocument } from '#platform/aws/clients.ts';
import { DynamoKeyStore } from '#store/dynamo-keys.ts';
import { pepperCounterName } from '#store/pepper-counts.ts';
import { storedKey } from '../support/fixtures.ts';
import { useTestService } from '../support/service.ts';

/**
 * The kill switch on DynamoDB Local with 10,000 matching keys: the dry run's count, the three
 * refusals, a run killed halfway and resumed, and an audit record and an event per key.
 */
const MATCHING = 10_000;
const T0 = Date.now() - 30 * 86_400_000;
const svc = useTestService();
/** The service's own client (the fault below is injected into it), once the service is up. */
let doc: DynamoDBDocumentClient;
let store: DynamoKeyStore;
const actives = new Map<string, number>();

beforeAll(async () => {
  doc = dynamoDocument();
  store = new DynamoKeyStore(doc, { keys: svc.tables.keys, owners: '', audit: '', roles: '' });
  const at = (i: number) => new Date(T0 + i * 1000).toISOString();
  const records: KeyRecord[] = [];
  for (let i = 0; i < MATCHING; i++)
    records.push(
      key('compromised', at(i), {
        status: i % 10 === 0 ? 'inactive' : 'active',
        lastUsedAt: i % 3 ? at(i + 5) : null,
      }),
    );
  for (let i = 0; i < 30; i++)
    records.push(key('compromised', at(i), { status: 'revoked', slotHeld: false }));
  for (let i = 0; i < 2; i++) records.push(key('compromised', at(i), { type: 'canary' }));
  for (let i = 0; i < 100; i++) records.push(key('bystander', at(i)));
  for (let i = 0; i < 50; i++) records.push(key('growing', at(i)));
  await seed(records);
}, 300_000);

let peppers: ReturnType<typeof parsePepperSet> | undefined;
function key(owner: string, createdAt: string, overrides: Partial<KeyRecord> = {}): KeyRecord {
  peppers ??= parsePepperSet(readFileSync(settings().LATCHKEY_PEPPER_FILE as string, 'utf8'));
  return storedKey(peppers, { owner, createdAt, updatedAt: createdAt, type: 'service', ...overrides }).record;
}

/** Writes keys as the service would have, with their owners' and pepper version's counters. */
async function seed(records: KeyRecord[]) {
  const items = records.map((r) => store.toItem(r));
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        const batch = batches[next++] as Record<string, unknown>[];
        let request: Record<string, unknown>[] | undefined = batch.map((Item) => ({ PutRequest: { Item } }));
        while (request?.length) {
          const out = await doc.send(new BatchWriteCommand({ RequestItems: { [svc.tables.keys]: request } }));
          request = out.UnprocessedItems?.[svc.tables.keys] as Record<string, unknown>[] | undefined;
        }
      }
    }),
  );
  const live = records.filter((r) => r.slotHeld);
  for (const r of live) actives.set(r.owner, (actives.get(r.owner) ?? 0) + 1);
  for (const [owner, activeKeys] of actives)
    await doc.send(new PutCommand({ TableName: svc.tables.owners, Item: { owner, activeKeys } }));
  await doc.send(
    new PutCommand({
      TableName: svc.tables.owners,
      Item: { owner: pepperCounterName(live[0]?.pepperVersion as string), liveKeys: live.length },
    }),
  );
}

/** Every item of one partition of an index (or the table), read to the end. */
async function all(input: ConstructorParameters<typeof QueryCommand>[0]) {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

const bulk = (body: Record<string, unknown>) => svc.api('POST', '/v1/keys/bulk', body);
const compromised = { owner: 'compromised' };

describe('POST /v1/keys/bulk on 10,000 keys', () => {
  let confirm: string;

  it('a dry run counts every matching key (not the revoked, not the canaries, not another owner) and shows 20', async () => {
    const dry = await bulk({ filter: compromised, action: 'revoke', dryRun: true });
    expect(dry.status, dry.text).toBe(200);
    expect(dry.body.matched).toBe(MATCHING);
    expect(dry.body.sample).toHaveLength(20);
    for (const k of dry.body.sample) expect(k).toMatchObject({ owner: 'compromised', type: 'service' });
    expect(dry.body.sample[0]).not.toHaveProperty('secretHash');
    confirm = dry.body.confirm;
  });

  it('refuses a token for another filter or action, a stale one, and a match set grown by more than 10 %', async () => {
    const other = await bulk({
      filter: { ...compromised, role: 'read' },
      action: 'revoke',
      dryRun: false,
      confirm,
    });
    expect(other.status).toBe(409);
    expect(other.body.error.message).toMatch(/another filter/);
    const action = await bulk({ filter: compromised, action: 'disable', dryRun: false, confirm });
    expect(action.status).toBe(409);
    expect(action.body.error.message).toMatch(/another action \(revoke\)/);
    const forged = await bulk({
      filter: compromised,
      action: 'revoke',
      dryRun: false,
      confirm: `${confirm}x`,
    });
    expect(forged.status).toBe(409);

    // The test clock 11 minutes on: the token's age follows the service's clock.
    process.env.LATCHKEY_CLOCK = new Date(Date.now() + 11 * 60_000).toISOString();
    try {
      const stale = await bulk({ filter: compromised, action: 'revoke', dryRun: false, confirm });
      expect(stale.status).toBe(409);
      expect(stale.body.error.message).toMatch(/is stale/);
    } finally {
      delete process.env.LATCHKEY_CLOCK;
    }

    const growing = { owner: 'growing' };
    const dry = await bulk({ filter: growing, action: 'revoke', dryRun: true });
    expect(dry.body.matched).toBe(50);
    // Disabling counts only active keys.
    expect(
      (
        await bulk({
          filter: { owner: 'compromised', createdBefore: new Date(T0 + 100_000).toISOString() },
          action: 'disable',
          dryRun: true,
        })
      ).body.matched,
    ).toBe(90);
    await seed(Array.from({ length: 6 }, () => key('growing', new Date(T0).toISOString())));
    const grown = await bulk({ filter: growing, action: 'revoke', dryRun: false, confirm: dry.body.confirm });
    expect(grown.status).toBe(409);
    expect(grown.body.error.message).toMatch(/56 keys match now, 50 did at the dry run/);
    // Nothing was done, and the main token still works afterwards (checked below).
    const untouched = await svc.api('GET', '/v1/keys?owner=growing&status=revoked');
    expect(untouched.body.items).toEqual([]);
  });

  // 400 transactions one after another, each read back: its time bound is for a loaded machine, not a timing.
  it('a run killed halfway and resumed acts on every matching key exactly once, with one audit record and one event each', async () => {
    // The fault: after 120 transactions (about 3,000 keys) every DynamoDB transaction of the service fails.
    let transactions = 0;
    const fault = 'kill-switch-fault';
    doc.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { TransactItems?: unknown[] };
        if (input.TransactItems && ++transactions > 120) throw new Error('injected fault: the run dies here');
        return next(args);
      },
      { step: 'initialize', name: fault },
    );
    let first: Awaited<ReturnType<typeof bulk>>;
    try {
      // A call whose time runs out first answers done: false, and the next carries on, until the fault.
      do first = await bulk({ filter: compromised, action: 'revoke', dryRun: false, confirm });
      while (first.status === 200 && !first.body.done);
    } finally {
      doc.middlewareStack.remove(fault);
    }
    expect(first.status).toBe(500);
    const halfway = await all({
      TableName: svc.tables.keys,
      IndexName: 'byOwner',
      KeyConditionExpression: '#o = :o',
      FilterExpression: '#s = :r',
      ProjectionExpression: 'keyId',
      ExpressionAttributeNames: { '#o': 'owner', '#s': 'status' },
      ExpressionAttributeValues: { ':o': 'compromised', ':r': 'revoked' },
    });
    expect(halfway.length - 30).toBeGreaterThan(1000);
    expect(halfway.length - 30).toBeLessThan(MATCHING);

    let answer = await bulk({ filter: compromised, action: 'revoke', dryRun: false, confirm });
    while (answer.status === 200 && !answer.body.done)
      answer = await bulk({ filter: compromised, action: 'revoke', dryRun: false, confirm });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toMatchObject({
      dryRun: false,
      action: 'revoke',
      affected: MATCHING,
      failed: [],
      done: true,
    });
    const { runId } = answer.body;

    const keys = await all({
      TableName: svc.tables.keys,
      IndexName: 'byOwner',
      KeyConditionExpression: '#o = :o',
      ProjectionExpression: '#s, #t, #v',
      ExpressionAttributeNames: { '#o': 'owner', '#s': 'status', '#t': 'type', '#v': 'version' },
      ExpressionAttributeValues: { ':o': 'compromised' },
    });
    const revoked = keys.filter((k) => k.status === 'revoked');
    expect(revoked).toHaveLength(MATCHING + 30);
    expect(keys.filter((k) => k.type === 'canary').map((k) => k.status)).toEqual(['active', 'active']);
    expect(revoked.filter((k) => k.version === 2)).toHaveLength(MATCHING);

    const audit = await all({
      TableName: svc.tables.audit,
      IndexName: 'byActor',
      KeyConditionExpression: 'actor = :a',
      FilterExpression: '#c.bulkRun = :run',
      ProjectionExpression: 'keyId, #a',
      ExpressionAttributeNames: { '#c': 'context', '#a': 'action' },
      ExpressionAttributeValues: { ':a': 'local-admin', ':run': runId },
    });
    expect(audit).toHaveLength(answer.body.affected);
    expect(new Set(audit.map((a) => a.keyId)).size).toBe(MATCHING);
    expect(audit.every((a) => a.action === 'key.revoked')).toBe(true);

    const events = await all({
      TableName: svc.tables.events,
      KeyConditionExpression: '#s = :s',
      FilterExpression: '#d.bulkRun = :run',
      ProjectionExpression: '#d.keyId, detailType',
      ExpressionAttributeNames: { '#s': 'stream', '#d': 'detail' },
      ExpressionAttributeValues: { ':s': 'events', ':run': runId },
    });
    expect(events).toHaveLength(MATCHING);
    expect(new Set(events.map((e) => (e.detail as { keyId: string }).keyId)).size).toBe(MATCHING);
    expect(events.every((e) => e.detailType === 'API Key Revoked')).toBe(true);

    // Each revocation gave its owner slot back.
    const owners = await all({
      TableName: svc.tables.owners,
      KeyConditionExpression: '#o = :o',
      ExpressionAttributeNames: { '#o': 'owner' },
      ExpressionAttributeValues: { ':o': 'compromised' },
    });
    expect(owners[0]?.activeKeys).toBe(2);

    // The same token again answers the finished run and does nothing more.
    const again = await bulk({ filter: compromised, action: 'revoke', dryRun: false, confirm });
    expect(again.body).toEqual(answer.body);
    const bystanders = await svc.api('GET', '/v1/keys?owner=bystander&status=active&limit=100');
    expect(bystanders.body.items).toHaveLength(100);
  }, 600_000);
});

describe('POST /v1/keys/bulk, its input', () => {
  it('names what is wrong: no filter, both scopes, no confirm on a run', async () => {
    const empty = await bulk({ filter: {}, action: 'revoke', dryRun: true });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/filter must name at least one field/);
    const both = await bulk({
      filter: { workspaceId: 'a', organizationId: 'b' },
      action: 'disable',
      dryRun: true,
    });
    expect(both.body.error.message).toMatch(/workspaceId or organizationId, not both/);
    const noConfirm = await bulk({ filter: compromised, action: 'revoke', dryRun: false });
    expect(noConfirm.status).toBe(400);
    expect(noConfirm.body.error.details).toEqual([
      { field: 'confirm', message: expect.stringMatching(/dry run/) },
    ]);
  });
});
