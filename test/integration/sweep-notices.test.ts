import { beforeAll, describe, expect, it } from 'vitest';
import type { LatchkeyEvent } from '#domain/events/lifecycle-events.ts';
import { RotationSweep } from '#domain/rotation/rotation-sweep.ts';
import type { EventPublisher } from '#domain/shared/ports.ts';
import { dynamoDocument } from '#platform/aws/clients.ts';
import { DynamoKeyStore } from '#store/dynamo-keys.ts';
import { DynamoUsageStore } from '#store/dynamo-usage.ts';
import { flakyPublisher } from '../support/fixtures.ts';
import { newKey, useTestService } from '../support/service.ts';

const DAY = 86_400_000;
const svc = useTestService();
let store: DynamoKeyStore;
beforeAll(() => {
  store = new DynamoKeyStore(dynamoDocument(), svc.tables);
});

const ctx = { actor: 'test-sweep', requestId: 'sweep-notices' };
/** One sweep run with the clock at `time`, as the schedule would run it. */
const sweepAt = (time: number, events: EventPublisher) =>
  new RotationSweep({
    store,
    unused: store,
    unusedDays: 90,
    events,
    now: () => new Date(time),
    reminderIntervalDays: 7,
    expiringSoonDays: 14,
  }).run({}, ctx);
const of = (published: LatchkeyEvent[], keyId: string, detailType: string) =>
  published.filter((e) => e.detail.keyId === keyId && e.detailType === detailType);
const actions = async (keyId: string) =>
  (await svc.api('GET', `/v1/audit?keyId=${keyId}`)).body.items.map((e: { action: string }) => e.action);

describe('"API Key Expiring", 14 and 3 days before expiresAt', () => {
  it('goes out once at each, however often the sweep runs', async () => {
    const start = Date.now();
    const expiresAt = new Date(start + 20 * DAY).toISOString();
    const { key } = (await svc.api('POST', '/v1/keys', newKey({ owner: 'exp-a', expiresAt }))).body;
    const { publisher: events, published } = flakyPublisher();
    const times = [0, 7, 7, 10, 17.5, 17.5, 18, 19].map((d) => start + d * DAY);
    for (const t of times) await sweepAt(t, events);
    const notices = of(published, key.keyId, 'API Key Expiring');
    expect(notices.map((e) => [e.detail.noticeDays, e.detail.daysLeft])).toEqual([
      [14, 13],
      [3, 3],
    ]);
    expect(notices[0]?.detail).toMatchObject({ version: '1', owner: 'exp-a', expiresAt, status: 'active' });
    expect((await actions(key.keyId)).filter((a: string) => a === 'key.expiring')).toHaveLength(2);
  });

  it('a key first seen 2 days out gets only the 3-day notice; a new expiry starts the notices again', async () => {
    const start = Date.now();
    const { key } = (
      await svc.api(
        'POST',
        '/v1/keys',
        newKey({ owner: 'exp-b', expiresAt: new Date(start + 2 * DAY).toISOString() }),
      )
    ).body;
    const { publisher: events, published } = flakyPublisher();
    await sweepAt(start, events);
    await sweepAt(start + 1000, events);
    expect(of(published, key.keyId, 'API Key Expiring').map((e) => e.detail.noticeDays)).toEqual([3]);
    const later = new Date(start + 30 * DAY).toISOString();
    expect((await svc.api('PATCH', `/v1/keys/${key.keyId}`, { expiresAt: later })).status).toBe(200);
    await sweepAt(start + 17 * DAY, events);
    expect(of(published, key.keyId, 'API Key Expiring').map((e) => e.detail.noticeDays)).toEqual([3, 14]);
  });

  it('is undone when it cannot be published, and the next run publishes it exactly once', async () => {
    const start = Date.now();
    const { key } = (
      await svc.api(
        'POST',
        '/v1/keys',
        newKey({ owner: 'exp-c', expiresAt: new Date(start + 10 * DAY).toISOString() }),
      )
    ).body;
    const { publisher: events, published } = flakyPublisher(1);
    const first = await sweepAt(start, events);
    expect(first.failed).toBeGreaterThanOrEqual(1);
    expect(first.expiringSoon.map((e) => e.keyId)).not.toContain(key.keyId);
    expect((await store.getKey(key.keyId))?.expiryNoticeDays).toBeUndefined();
    expect(await actions(key.keyId)).toEqual(expect.arrayContaining(['key.expiring', 'key.expiring.undone']));
    await sweepAt(start + 1000, events);
    await sweepAt(start + 2000, events);
    expect(of(published, key.keyId, 'API Key Expiring')).toHaveLength(1);
    expect((await store.getKey(key.keyId))?.expiryNoticeDays).toBe(14);
  });
});

describe('"API Key Unused", after 90 days without use', () => {
  it('goes out once per stretch of no use, from the sparse index, counting from creation or the last use', async () => {
    const { key } = (await svc.api('POST', '/v1/keys', newKey({ owner: 'unused-a' }))).body;
    const { key: busy } = (await svc.api('POST', '/v1/keys', newKey({ owner: 'unused-a' }))).body;
    const created = Date.parse(key.createdAt);
    const usage = new DynamoUsageStore(dynamoDocument(), svc.tables);
    const { publisher: events, published } = flakyPublisher();
    const unused = () => of(published, key.keyId, 'API Key Unused');

    expect((await sweepAt(created + 90 * DAY - 60_000, events)).unused.map((e) => e.keyId)).not.toContain(
      key.keyId,
    );
    await usage.touch(busy.keyId, new Date(created + 89 * DAY).toISOString());
    const due = await sweepAt(created + 90 * DAY + 60_000, events);
    expect(due.unused.map((e) => e.keyId)).toContain(key.keyId);
    expect(due.unused.map((e) => e.keyId)).not.toContain(busy.keyId);
    await sweepAt(created + 90 * DAY + 120_000, events);
    await sweepAt(created + 120 * DAY, events);
    expect(unused().map((e) => e.detail)).toEqual([
      expect.objectContaining({ lastUsedAt: null, createdAt: key.createdAt, daysUnused: 90, unusedDays: 90 }),
    ]);

    // Used again at day 100: the next notice is due 90 days after that, not before.
    await usage.touch(key.keyId, new Date(created + 100 * DAY).toISOString());
    await sweepAt(created + 181 * DAY, events);
    await sweepAt(created + 190 * DAY - 60_000, events);
    expect(unused()).toHaveLength(1);
    await sweepAt(created + 190 * DAY + 60_000, events);
    await sweepAt(created + 191 * DAY, events);
    expect(unused().map((e) => e.detail.daysUnused)).toEqual([90, 90]);
    expect(of(published, busy.keyId, 'API Key Unused').map((e) => e.detail.lastUsedAt)).toEqual([
      new Date(created + 89 * DAY).toISOString(),
    ]);
    expect((await actions(key.keyId)).filter((a: string) => a === 'key.unused')).toHaveLength(2);
  });

  it('reads only the keys due for a look, not the table', async () => {
    const { key } = (await svc.api('POST', '/v1/keys', newKey({ owner: 'unused-reads' }))).body;
    const created = Date.parse(key.createdAt);
    const { publisher: events } = flakyPublisher();
    // Before any key here is 90 days old, the unused index holds nothing due: nothing is read.
    const allKeys = (await svc.api('GET', '/v1/keys?limit=100')).body.items.length;
    expect(allKeys).toBeGreaterThan(3);
    const early = await store.unusedSince(new Date(created - 60 * DAY).toISOString(), undefined);
    expect(early).toMatchObject({ items: [], itemsRead: 0 });
    expect((await sweepAt(created + 30 * DAY, events)).unused).toEqual([]);
    const run = await sweepAt(created + 91 * DAY, events);
    expect(run.unused.map((e) => e.keyId)).toContain(key.keyId);
  });

  it('is undone when it cannot be published, and the next run publishes it exactly once; revoked keys leave the index', async () => {
    const { key } = (await svc.api('POST', '/v1/keys', newKey({ owner: 'unused-b' }))).body;
    const { key: gone } = (await svc.api('POST', '/v1/keys', newKey({ owner: 'unused-b' }))).body;
    await svc.api('POST', `/v1/keys/${gone.keyId}/revoke`, {});
    const created = Date.parse(key.createdAt);
    const failing = flakyPublisher(100);
    const first = await sweepAt(created + 91 * DAY, failing.publisher);
    expect(first.failed).toBeGreaterThanOrEqual(1);
    expect(first.unused.map((e) => e.keyId)).not.toContain(key.keyId);
    expect((await store.getKey(key.keyId))?.unusedNoticeFor).toBeUndefined();
    expect(await actions(key.keyId)).toEqual(expect.arrayContaining(['key.unused', 'key.unused.undone']));

    const { publisher: events, published } = flakyPublisher();
    await sweepAt(created + 91 * DAY + 1000, events);
    await sweepAt(created + 91 * DAY + 2000, events);
    expect(of(published, key.keyId, 'API Key Unused')).toHaveLength(1);
    expect(of(published, gone.keyId, 'API Key Unused')).toEqual([]);
  });

  it('runs in POST /v1/rotation/sweep: a dry run lists without writing, the events reach GET /v1/events', async () => {
    const { key } = (await svc.api('POST', '/v1/keys', newKey({ owner: 'unused-http' }))).body;
    const asOf = new Date(Date.parse(key.createdAt) + 95 * DAY).toISOString();
    const preview = await svc.api('POST', '/v1/rotation/sweep', { asOf, dryRun: true });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.unused.map((e: { keyId: string }) => e.keyId)).toContain(key.keyId);
    expect((await store.getKey(key.keyId))?.unusedNoticeFor).toBeUndefined();
    expect(await actions(key.keyId)).not.toContain('key.unused');
  });
});
