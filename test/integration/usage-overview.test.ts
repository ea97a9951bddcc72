import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { LatchkeyEvent } from '#domain/events/lifecycle-events.ts';
import { RotationSweep } from '#domain/rotation/rotation-sweep.ts';
import { checkRecord } from '#domain/usage/check-record.ts';
import { UsageOverview } from '#domain/usage/usage-overview.ts';
import { dynamoDocument } from '#platform/aws/clients.ts';
import { usageRecorder } from '#platform/observability/usage-counter.ts';
import { DynamoKeyStore } from '#store/dynamo-keys.ts';
import { DynamoRequestLog } from '#store/dynamo-requests.ts';
import { DynamoUsageStore } from '#store/dynamo-usage.ts';
import { DynamoUsageOverviewSource } from '#store/dynamo-usage-overview.ts';
import { TABLES, type TableId } from '#store/tables.ts';
import { ensureTables, localClient } from '../../local/dynamodb-local.ts';
import { pagesOf } from '../support/api.ts';
import { flakyPublisher } from '../support/fixtures.ts';
import { atTime, createKey, useTestService } from '../support/service.ts';

const DAY = 86_400_000;
const svc = useTestService();
afterEach(() => vi.useRealTimers());

const today = Date.parse(new Date().toISOString().slice(0, 10));
const dayOf = (offset: number) => new Date(today + offset * DAY).toISOString().slice(0, 10);

/** Creates a key with the clock at `daysAgo` days before now. */
const keyCreated = (daysAgo: number, name: string) =>
  atTime(
    Date.now() - daysAgo * DAY,
    async () => (await createKey(svc, { name, owner: `owner-${name}` })).key.keyId,
  );

/**
 * Usage written the way the checks' counting path writes it: the recorder the authorizer and the
 * local server use, one record per check, flushed to the usage table (one ADD per key and day).
 */
async function traffic(keyId: string, perDay: Record<number, { allowed?: number; refused?: number }>) {
  let clock = new Date();
  const recorder = usageRecorder(
    {
      usage: new DynamoUsageStore(dynamoDocument(), svc.tables),
      requests: new DynamoRequestLog(dynamoDocument(), svc.tables.requests),
    },
    { flushMs: Number.MAX_SAFE_INTEGER },
  );
  const check = (code: string) => checkRecord(keyId, clock, code, { method: 'GET', path: '/orders' }, 1);
  for (const [offset, counts] of Object.entries(perDay)) {
    clock = new Date(today + Number(offset) * DAY + 3_600_000);
    for (let i = 0; i < (counts.allowed ?? 0); i++) recorder.record(check('VALID'));
    for (let i = 0; i < (counts.refused ?? 0); i++) recorder.record(check('INSUFFICIENT_PERMISSIONS'));
  }
  await recorder.flush();
}

const steady = (from: number, to: number, allowed: number) =>
  Object.fromEntries(Array.from({ length: to - from + 1 }, (_, i) => [from + i, { allowed }]));

async function overview(query: string) {
  const res = await svc.api('GET', `/v1/usage${query}`);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

describe('GET /v1/usage on DynamoDB Local', () => {
  let alpha: string;
  let beta: string;
  let gamma: string;
  let idle: string;
  beforeAll(async () => {
    // One at a time: the faked clock is the whole process's.
    alpha = await keyCreated(40, 'alpha');
    beta = await keyCreated(40, 'beta');
    gamma = await keyCreated(40, 'gamma');
    idle = await keyCreated(40, 'idle');
    await traffic(alpha, { [-5]: { allowed: 10 }, [-1]: { allowed: 10, refused: 2 }, 0: { allowed: 3 } });
    await traffic(beta, { [-2]: { allowed: 40, refused: 10 } });
    await traffic(gamma, { 0: { refused: 5 } });
    // Traffic only before the window: the key is absent from it.
    await traffic(idle, { [-35]: { allowed: 500 } });
  });

  it('lists the keys with traffic, most active first, with their totals and series', async () => {
    const body = await overview('?days=30');
    expect(body.window).toEqual({ days: 30, from: dayOf(-29), to: dayOf(0) });
    expect(body.items.map((i: { keyId: string }) => i.keyId)).toEqual([beta, alpha, gamma]);
    expect(body.total).toEqual({ allowed: 63, refused: 17, keys: 3 });
    const [b, a, g] = body.items;
    expect(b).toMatchObject({
      name: 'beta',
      owner: 'owner-beta',
      status: 'active',
      total: { allowed: 40, refused: 10 },
    });
    expect(a.total).toEqual({ allowed: 23, refused: 2 });
    expect(g.total).toEqual({ allowed: 0, refused: 5 });
    expect(a.days).toHaveLength(30);
    expect(a.days.at(-6)).toEqual({ date: dayOf(-5), allowed: 10, refused: 0 });
    expect(a.days.at(-2)).toEqual({ date: dayOf(-1), allowed: 10, refused: 2 });
    expect(a.days.at(-1)).toEqual({ date: dayOf(0), allowed: 3, refused: 0 });
    expect(
      a.days.filter((d: { allowed: number; refused: number }) => d.allowed + d.refused > 0),
    ).toHaveLength(3);
    expect(body.series.at(-1)).toEqual({ date: dayOf(0), allowed: 3, refused: 5 });
    expect(body.series.at(-3)).toEqual({ date: dayOf(-2), allowed: 40, refused: 10 });
    expect(a.lastUsedAt).toBe(new Date(today + 3_600_000).toISOString());
    expect(g.lastUsedAt).toBeNull();
    for (const item of body.items) expect(item).toMatchObject({ unusual: false });
    expect(JSON.stringify(body)).not.toContain('secretHash');
  });

  it('a shorter window counts only its days', async () => {
    const body = await overview('?days=1');
    expect(body.items.map((i: { keyId: string }) => i.keyId)).toEqual([gamma, alpha]);
    expect(body.total).toEqual({ allowed: 3, refused: 5, keys: 2 });
    expect(body.items[0].baseline).toBeNull();
  });

  it('pages through the ranking with a cursor, each key once', async () => {
    const seen: string[] = [];
    for await (const { status, text, body } of pagesOf(svc.api, '/v1/usage?days=30&limit=1')) {
      expect(status, text).toBe(200);
      expect(body.items.length).toBeLessThanOrEqual(1);
      seen.push(...body.items.map((i: { keyId: string }) => i.keyId));
    }
    expect(seen).toEqual([beta, alpha, gamma]);
  });

  it('refuses bad windows and cursors with a 400 naming them', async () => {
    for (const query of [
      '?days=0',
      '?days=31',
      '?days=x',
      '?limit=0',
      '?cursor=nope',
      '?unusual=maybe',
      '?bogus=1',
    ]) {
      const res = await svc.api('GET', `/v1/usage${query}`);
      expect(res.status, query).toBe(400);
    }
    const first = await overview('?days=30&limit=1');
    const other = await svc.api('GET', `/v1/usage?days=7&cursor=${first.nextCursor}`);
    expect(other.status).toBe(400);
  });

  it('refuses a cursor whose window does not end today or yesterday (outside the 30 days kept), naming cursor', async () => {
    const first = await overview('?days=30&limit=1');
    const decoded = JSON.parse(Buffer.from(first.nextCursor, 'base64url').toString('utf8'));
    const forged = (to: string, days = 30) =>
      Buffer.from(JSON.stringify({ ...decoded, to, days })).toString('base64url');
    for (const [to, days] of [
      ['1970-01-31', 30],
      [dayOf(-2), 30],
      [dayOf(-30), 1],
      [dayOf(1), 1],
      [dayOf(-25), 7],
    ] as const) {
      const res = await svc.api('GET', `/v1/usage?days=${days}&limit=1&cursor=${forged(to, days)}`);
      expect(res.status, `${to} (${days} days)`).toBe(400);
      expect(res.body.error.details).toEqual([
        { field: 'cursor', message: expect.stringMatching(/30 days/) },
      ]);
    }
    for (const [to, days] of [
      [dayOf(0), 30],
      // A listing that ran past midnight carries on over its own days.
      [dayOf(-1), 30],
      [dayOf(-1), 7],
    ] as const) {
      const res = await svc.api('GET', `/v1/usage?days=${days}&limit=1&cursor=${forged(to, days)}`);
      expect(res.status, `${to} (${days} days)`).toBe(200);
      expect(res.body.window.to).toBe(to);
    }
  });

  it('a deleted key keeps its traffic in the window, shown by ID', async () => {
    const gone = await keyCreated(10, 'gone');
    await traffic(gone, { [-1]: { allowed: 1 } });
    expect((await svc.api('DELETE', `/v1/keys/${gone}`)).status).toBe(204);
    const item = (await overview('?days=30')).items.find((i: { keyId: string }) => i.keyId === gone);
    expect(item).toMatchObject({
      name: gone,
      owner: null,
      status: 'deleted',
      total: { allowed: 1, refused: 0 },
    });
  });

  it('tells a rotated key from its successor: the links and until when the old one works', async () => {
    const old = await keyCreated(10, 'rotated');
    await traffic(old, { [-1]: { allowed: 2 } });
    const rotated = await svc.api('POST', `/v1/keys/${old}/rotate`, { gracePeriodSeconds: 3600 });
    const successor = rotated.body.key.keyId as string;
    await traffic(successor, { 0: { allowed: 1 } });
    const items = (await overview('?days=30')).items as Array<Record<string, unknown>>;
    expect(items.find((i) => i.keyId === old)).toMatchObject({
      rotatedTo: successor,
      expiresAt: rotated.body.previous.expiresAt,
    });
    expect(items.find((i) => i.keyId === successor)).toMatchObject({ rotatedFrom: old, expiresAt: null });
  });
});

describe('unusual activity', () => {
  let spiking: string;
  let flat: string;
  let young: string;
  beforeAll(async () => {
    spiking = await keyCreated(20, 'spiking');
    flat = await keyCreated(40, 'flat');
    young = await keyCreated(2, 'young');
    // 20 a day for ten days, then 300 today, 200 of them refused (wrong IP, missing permission).
    await traffic(spiking, { ...steady(-10, -1, 20), 0: { allowed: 100, refused: 200 } });
    await traffic(flat, steady(-29, 0, 150));
    await traffic(young, { [-1]: { allowed: 1 }, 0: { allowed: 500 } });
  });

  it('flags a spike on the latest day, not steady traffic nor a key younger than 7 days', async () => {
    const body = await overview('?days=30&limit=100');
    const byId = new Map(body.items.map((i: { keyId: string }) => [i.keyId, i]));
    expect(byId.get(spiking)).toMatchObject({ unusual: true, latest: 300, baseline: 0 });
    expect(byId.get(flat)).toMatchObject({ unusual: false, latest: 150, baseline: 150 });
    expect(byId.get(young)).toMatchObject({ unusual: false, latest: 500, baseline: null });
    expect(body.thresholds).toEqual({ factor: 5, minRequests: 100, minAgeDays: 7 });
    const flagged = await overview('?days=30&unusual=true');
    expect(flagged.items.map((i: { keyId: string }) => i.keyId)).toEqual([spiking]);
  });

  it('the sweep announces a newly flagged key once, even when it runs twice', async () => {
    for (let run = 0; run < 2; run++) {
      const res = await svc.api('POST', '/v1/rotation/sweep', {});
      expect(res.status, res.text).toBe(200);
    }
    const events = (await svc.api('GET', '/v1/events?limit=100')).body.items as LatchkeyEvent[];
    const unusual = events.filter((e) => e.detailType === 'API Key Unusual Activity');
    expect(unusual.map((e) => e.detail.keyId)).toEqual([spiking]);
    expect(unusual[0]?.detail).toMatchObject({
      keyId: spiking,
      name: 'spiking',
      owner: 'owner-spiking',
      day: dayOf(0),
      latest: 300,
      baseline: 0,
      allowed: 100,
      refused: 200,
    });
  });

  it('an event that could not be published is undone, and the next run publishes it once', async () => {
    const again = await keyCreated(30, 'again');
    await traffic(again, { 0: { refused: 400 } });
    const { publisher, published } = flakyPublisher(1);
    const doc = dynamoDocument();
    const sweep = new RotationSweep({
      store: new DynamoKeyStore(doc, svc.tables),
      events: publisher,
      now: () => new Date(),
      reminderIntervalDays: 7,
      expiringSoonDays: 7,
      usage: new UsageOverview({
        source: new DynamoUsageOverviewSource(doc, svc.tables),
        now: () => new Date(),
        thresholds: { factor: 5, minRequests: 100 },
      }),
    });
    const ctx = { actor: 'test-sweep', requestId: 'r-1' };
    const first = await sweep.run({}, ctx);
    expect(first.failed).toBe(1);
    expect(first.unusual.map((e) => e.keyId)).not.toContain(again);
    const second = await sweep.run({}, ctx);
    expect(second.unusual.map((e) => e.keyId)).toEqual([again]);
    expect((await sweep.run({}, ctx)).unusual).toEqual([]);
    expect(published.filter((e) => e.detail.keyId === again)).toHaveLength(1);
  });
});

describe('a data folder from before the by-day index', () => {
  it('gets the index on start, filled from the rows already there', async () => {
    const client = localClient(inject('dynamoEndpoint'));
    const doc = DynamoDBDocumentClient.from(client);
    const prefix = `old${Date.now()}-`;
    const names = Object.fromEntries(Object.keys(TABLES).map((id) => [id, `${prefix}${id}`])) as Record<
      TableId,
      string
    >;
    try {
      await client.send(
        new CreateTableCommand({
          TableName: names.usage,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'keyId', AttributeType: 'S' },
            { AttributeName: 'day', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'keyId', KeyType: 'HASH' },
            { AttributeName: 'day', KeyType: 'RANGE' },
          ],
        }),
      );
      await doc.send(
        new PutCommand({
          TableName: names.usage,
          Item: { keyId: 'key_old', day: dayOf(0), allowed: 4, refused: 1 },
        }),
      );
      await ensureTables(client, names);
      const { rows } = await new DynamoUsageOverviewSource(doc, names).dayRows(dayOf(0));
      expect(rows).toEqual([{ keyId: 'key_old', day: dayOf(0), allowed: 4, refused: 1 }]);
      await ensureTables(client, names);
    } finally {
      client.destroy();
    }
  });
});
