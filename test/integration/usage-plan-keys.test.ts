import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  GetApiKeysCommand,
  NotFoundException,
} from '@aws-sdk/client-api-gateway';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BulkService } from '#domain/bulk/bulk-service.ts';
import type { LatchkeyEvent } from '#domain/events/lifecycle-events.ts';
import type { KeyRecord } from '#domain/keys/key.ts';
import { KeyService } from '#domain/keys/key-service.ts';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import { announceQuotaThresholds, liveKeysWithPlan, UsagePlanKeys } from '#domain/plans/usage-plan-keys.ts';
import { dynamoDocument } from '#platform/aws/clients.ts';
import { ApiGatewayKeys } from '#platform/aws/gateway-keys.ts';
import { usageIdentifier } from '#platform/wiring/usage-identifier.ts';
import { DynamoBulkStore } from '#store/dynamo-bulk.ts';
import { DynamoKeyStore } from '#store/dynamo-keys.ts';
import { useTestService } from '../support/service.ts';

/**
 * Usage plan mode perKey, end to end: the key service and the sweep's repair on DynamoDB Local,
 * with API Gateway played by aws-sdk-client-mock over a small in-memory model of its API keys.
 */
const SETTINGS = {
  mode: 'perKey' as const,
  keyPrefix: 'lk-test-',
  plans: { free: { usagePlanId: 'up-free' }, pro: { usagePlanId: 'up-pro' } },
};
const PLANS = {
  free: { rateLimit: 5, burstLimit: 5, quota: { limit: 1000, period: 'DAY' as const } },
  pro: { rateLimit: 50, burstLimit: 100 },
};

const apigw = mockClient(APIGatewayClient);
/** API Gateway's state: API keys by ID, with the usage plans each is attached to. */
let gatewayKeys: Map<string, { name: string; value: string; plans: string[] }>;
let next = 0;
/** Calls of each kind that fail next, as API Gateway would under throttling or an outage. */
const faults = { attach: 0, remove: 0 };
const fail = (name: string) => Object.assign(new Error(name), { name });

function playApiGateway() {
  gatewayKeys = new Map();
  apigw.reset();
  apigw.on(CreateApiKeyCommand).callsFake((input) => {
    const id = `ak${++next}`;
    gatewayKeys.set(id, { name: input.name, value: `value-${id}-${'x'.repeat(30)}`, plans: [] });
    return { id, name: input.name, value: gatewayKeys.get(id)?.value, enabled: true };
  });
  apigw.on(CreateUsagePlanKeyCommand).callsFake((input) => {
    if (faults.attach > 0 && faults.attach--) throw fail('TooManyRequestsException');
    const key = gatewayKeys.get(input.keyId);
    if (!key) throw new NotFoundException({ message: 'Invalid API Key identifier specified', $metadata: {} });
    key.plans.push(input.usagePlanId);
    return { id: input.keyId, type: 'API_KEY' };
  });
  apigw.on(DeleteApiKeyCommand).callsFake((input) => {
    if (faults.remove > 0 && faults.remove--) throw fail('ServiceUnavailableException');
    if (!gatewayKeys.delete(input.apiKey))
      throw new NotFoundException({ message: 'Invalid API Key identifier specified', $metadata: {} });
    return {};
  });
  apigw.on(GetApiKeysCommand).callsFake((input) => ({
    items: [...gatewayKeys.entries()]
      .filter(([, k]) => k.name.startsWith(input.nameQuery ?? ''))
      .map(([id, k]) => ({ id, name: k.name })),
  }));
}

const svc = useTestService();
let store: DynamoKeyStore;
let lifecycle: UsagePlanKeys;
let keys: KeyService;
const errors: string[] = [];
const ctx = { actor: 'tester', requestId: 'r1' };

beforeAll(() => {
  store = new DynamoKeyStore(dynamoDocument(), svc.tables);
  lifecycle = new UsagePlanKeys({
    store,
    gateway: new ApiGatewayKeys(new APIGatewayClient({ region: 'us-east-1' }), SETTINGS),
    now: () => new Date(),
    onError: (_error, keyId) => errors.push(keyId),
  });
  keys = new KeyService({
    store,
    peppers: async () => ({
      currentVersion: '1',
      byVersion: new Map([['1', Buffer.alloc(32, 7)]]),
      lookupKey: Buffer.alloc(32, 8),
    }),
    roles: { missingRoles: async () => [] },
    now: () => new Date(),
    ownerLimit: 1000,
    events: { publish: async () => undefined },
    plans: PLANS,
    usageKeys: lifecycle,
  });
});
beforeEach(() => {
  playApiGateway();
  errors.length = 0;
});

const create = (overrides: Record<string, unknown> = {}) =>
  keys.create(
    {
      type: 'service',
      scope: { workspaceId: 'ws-1' },
      roles: ['read'],
      permissions: [],
      environment: 'production',
      expiresAt: null,
      owner: 'perkey',
      ...overrides,
    },
    ctx,
  );
const record = async (keyId: string) => (await store.getKey(keyId)) as KeyRecord;
const identify = usageIdentifier({ mode: 'perKey', plans: {} });
const repair = () => lifecycle.repair(liveKeysWithPlan(store, new Date()));

describe('perKey: one API Gateway API key per Latchkey key', () => {
  it('creates and attaches an API key with the key, and the authorizer hands its value back', async () => {
    const { key } = await create({ plan: 'free' });
    const stored = await record(key.keyId);
    expect(stored.usageKeyId).toBeDefined();
    const gatewayKey = gatewayKeys.get(stored.usageKeyId as string);
    expect(gatewayKey).toMatchObject({ name: `lk-test-${key.keyId}`, plans: ['up-free'] });
    expect(stored.usageIdentifierKey).toBe(gatewayKey?.value);
    expect(await identify(stored)).toBe(gatewayKey?.value);
    // Not a Latchkey secret, but not the team's to use either: kept out of answers.
    expect(key).not.toHaveProperty('usageIdentifierKey');
    expect(key.version).toBe(stored.version);
    expect(JSON.stringify(await keys.get(key.keyId))).not.toContain(gatewayKey?.value as string);
  });

  it('makes none for a key without a plan', async () => {
    const { key } = await create();
    expect(gatewayKeys.size).toBe(0);
    expect(await identify(await record(key.keyId))).toBeUndefined();
  });

  it('a failure mid-way leaves a key that is refused, never one without its limit; the sweep repairs it', async () => {
    faults.attach = 1;
    const { key, secret } = await create({ plan: 'free' });
    // The key was committed, so its secret is answered (it cannot be asked for again) ...
    expect(secret).toMatch(/^lk_live_/);
    expect(errors).toEqual([key.keyId]);
    // ... but it holds no usage plan key, so the authorizer refuses it (USAGE_PLAN_PENDING).
    const pending = await record(key.keyId);
    expect(pending.usageKeyId).toBeUndefined();
    expect(await identify(pending)).toBeNull();
    // API Gateway holds an API key in no usage plan: an orphan.
    expect([...gatewayKeys.values()].map((k) => k.plans)).toEqual([[]]);

    const result = await repair();
    expect(result.attached).toEqual([key.keyId]);
    expect(result.removed).toHaveLength(1);
    expect(result.failed).toBe(0);
    const repaired = await record(key.keyId);
    expect([...gatewayKeys.keys()]).toEqual([repaired.usageKeyId]);
    expect(gatewayKeys.get(repaired.usageKeyId as string)?.plans).toEqual(['up-free']);
    expect(await identify(repaired)).toBe(gatewayKeys.get(repaired.usageKeyId as string)?.value);
    // A second run finds nothing to do.
    expect(await repair()).toEqual({ attached: [], removed: [], failed: 0 });
  });

  it('moves the key to the new plan with a new API key before dropping the old one', async () => {
    const { key } = await create({ plan: 'free' });
    const before = (await record(key.keyId)).usageKeyId as string;
    const updated = await keys.update(key.keyId, { plan: 'pro' }, undefined, ctx);
    const after = await record(key.keyId);
    expect(updated.plan).toBe('pro');
    expect(updated.version).toBe(after.version);
    expect(after.usageKeyId).not.toBe(before);
    expect(gatewayKeys.has(before)).toBe(false);
    expect(gatewayKeys.get(after.usageKeyId as string)?.plans).toEqual(['up-pro']);
    // Plan removed: the API key goes too.
    await keys.update(key.keyId, { plan: null }, undefined, ctx);
    expect(gatewayKeys.size).toBe(0);
    expect((await record(key.keyId)).usageIdentifierKey).toBeUndefined();
  });

  it('deletes the API key on revoke and on delete; a failed delete is an orphan the sweep removes', async () => {
    const a = await create({ plan: 'free' });
    const b = await create({ plan: 'free' });
    expect(gatewayKeys.size).toBe(2);
    await keys.revoke(a.key.keyId, ctx);
    expect((await record(a.key.keyId)).usageKeyId).toBeUndefined();
    expect(gatewayKeys.size).toBe(1);

    faults.remove = 1;
    await keys.delete(b.key.keyId, ctx);
    expect(await store.getKey(b.key.keyId)).toBeUndefined();
    expect(gatewayKeys.size).toBe(1);
    expect(errors).toEqual([b.key.keyId]);
    const result = await repair();
    expect(result).toMatchObject({ attached: [], failed: 0 });
    expect(result.removed).toHaveLength(1);
    expect(gatewayKeys.size).toBe(0);
  });

  it('gives a rotated key its own API key; the old one keeps its own through the grace period', async () => {
    const { key } = await create({ plan: 'free' });
    const oldKey = (await record(key.keyId)).usageKeyId as string;
    const rotated = await keys.rotate(key.keyId, 3600, ctx);
    const successor = await record(rotated.key.keyId);
    expect(successor.usageKeyId).toBeDefined();
    expect(successor.usageKeyId).not.toBe(oldKey);
    expect(successor.usageIdentifierKey).toBe(gatewayKeys.get(successor.usageKeyId as string)?.value);
    expect((await record(key.keyId)).usageKeyId).toBe(oldKey);
    expect(gatewayKeys.size).toBe(2);
    // Rotated with no grace: the old key is revoked and its API key deleted.
    const again = await keys.rotate(rotated.key.keyId, 0, ctx);
    expect((await record(rotated.key.keyId)).usageKeyId).toBeUndefined();
    expect(gatewayKeys.has(successor.usageKeyId as string)).toBe(false);
    expect((await record(again.key.keyId)).usageKeyId).toBeDefined();
  });

  it('refuses an unknown plan with a 400 naming it, before API Gateway is called', async () => {
    await expect(create({ plan: 'gold' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'plan', message: 'plan "gold" is not configured; the plans are free, pro' }],
    });
    expect(apigw.calls()).toHaveLength(0);
  });
});

describe('quota threshold events in AWS, from the sweep and GetUsage', () => {
  it('announces 80% and 100% once per period, and again after a failed publish', async () => {
    const { key } = await create({ plan: 'free', owner: 'quota-owner' });
    let used = 850;
    let failing = false;
    const published: LatchkeyEvent[] = [];
    const run = () =>
      announceQuotaThresholds(liveKeysWithPlan(store, new Date()), {
        store,
        plans: PLANS,
        counter: { used: async (r) => ({ used: r.keyId === key.keyId ? used : 0, shared: false }) },
        events: {
          publish: async (events) => {
            if (failing) throw new Error('EventBridge is down');
            published.push(...events);
          },
        },
        now: () => new Date(),
      });
    const mine = () => published.filter((e) => e.detail.keyId === key.keyId).map((e) => e.detail.threshold);

    expect((await run()).announced).toBe(1);
    expect(mine()).toEqual([80]);
    await run();
    expect(mine()).toEqual([80]);

    used = 1000;
    failing = true;
    expect((await run()).failed).toBe(1);
    expect(mine()).toEqual([80]);
    failing = false;
    await run();
    expect(mine()).toEqual([80, 100]);
    await run();
    expect(mine()).toEqual([80, 100]);
    expect(published.find((e) => e.detail.keyId === key.keyId)).toMatchObject({
      detailType: 'API Key Quota Threshold',
      detail: { plan: 'free', limit: 1000, period: 'DAY', owner: 'quota-owner' },
    });
  });
});

describe('perKey and the kill switch', () => {
  it('removes the API key of each key a bulk revoke revokes, at once, as a single revoke does; a bulk disable keeps it, as a single disable does', async () => {
    const bulkStore = new DynamoBulkStore(dynamoDocument(), store, {
      keys: svc.tables.keys,
      runs: svc.tables.idempotency,
    });
    const bulk = new BulkService({
      keys: bulkStore,
      runs: bulkStore,
      getKey: (keyId) => store.getKey(keyId),
      peppers: async () => parsePepperSet(JSON.stringify({ version: '1', pepper: 'b'.repeat(40) })),
      events: { publish: async () => undefined },
      now: () => new Date(),
      budgetMs: 20_000,
      usageKeys: lifecycle,
    });
    const owner = 'bulk-perkey';
    const act = async (action: 'revoke' | 'disable') => {
      const filter = { owner };
      const dry = await bulk.handle({ filter, action, dryRun: true }, ctx);
      return bulk.handle(
        { filter, action, dryRun: false, confirm: (dry as { confirm: string }).confirm },
        ctx,
      );
    };
    const free = await create({ owner, plan: 'free' });
    const pro = await create({ owner, plan: 'pro' });
    await create({ owner });
    expect(gatewayKeys.size).toBe(2);

    expect(await act('disable')).toMatchObject({ affected: 3, done: true });
    expect(gatewayKeys.size).toBe(2);

    const revoke = await act('revoke');
    expect(revoke).toMatchObject({ affected: 3, done: true });
    expect(gatewayKeys.size).toBe(0);
    for (const { key } of [free, pro]) {
      const revoked = await record(key.keyId);
      expect(revoked.status).toBe('revoked');
      expect(revoked.usageKeyId).toBeUndefined();
      expect(revoked.usageIdentifierKey).toBeUndefined();
    }
    expect(errors).toEqual([]);
    // The API keys' removals are audited as after a single revoke, apart from the run's own records.
    const audit = await dynamoDocument().send(
      new QueryCommand({
        TableName: svc.tables.audit,
        IndexName: 'byActor',
        KeyConditionExpression: 'actor = :a',
        FilterExpression: 'keyId IN (:k1, :k2)',
        ExpressionAttributeValues: { ':a': ctx.actor, ':k1': free.key.keyId, ':k2': pro.key.keyId },
      }),
    );
    const runId = (revoke as { runId: string }).runId;
    const actions = (audit.Items ?? []).map((a) => [a.action, a.context?.bulkRun === runId]);
    expect(actions.filter(([action]) => action === 'key.revoked')).toEqual([
      ['key.revoked', true],
      ['key.revoked', true],
    ]);
    expect(actions.filter(([action]) => action === 'key.usage_key_removed')).toEqual([
      ['key.usage_key_removed', false],
      ['key.usage_key_removed', false],
    ]);
  });
});

describe('perKey through the local server', () => {
  it('the sweep endpoint answers with what it repaired (none here: no usage plans locally)', async () => {
    const res = await svc.api('POST', '/v1/rotation/sweep', {});
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('usagePlanKeys');
  });
});
