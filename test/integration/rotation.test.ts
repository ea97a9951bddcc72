import { afterEach, describe, expect, it, vi } from 'vitest';
import { RotationSweep, SweepUndoError } from '#domain/rotation/rotation-sweep.ts';
import type { EventPublisher } from '#domain/shared/ports.ts';
import { dynamoDocument } from '#platform/aws/clients.ts';
import { keyService } from '#platform/wiring/management.ts';
import { DynamoKeyStore } from '#store/dynamo-keys.ts';
import { flakyPublisher } from '../support/fixtures.ts';
import { context, restEvent } from '../support/lambda.ts';
import { type ApiResponse, atTime, eventsOf, newKey, useTestService } from '../support/service.ts';

const DAY = 86_400_000;
const svc = useTestService();
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

interface Entry {
  keyId: string;
}
const ids = (entries: Entry[]) => entries.map((e) => e.keyId);
const sweepNow = async (asOf: number, dryRun = false) => {
  const res = await svc.api('POST', '/v1/rotation/sweep', { asOf: new Date(asOf).toISOString(), dryRun });
  expect(res.status, res.text).toBe(200);
  return res.body as {
    flagged: Entry[];
    reminded: Entry[];
    expiringSoon: Entry[];
    reconciled: Entry[];
    reads: { pages: number; items: number };
  };
};
/**
 * A dry run previews any time; a sweep that writes runs with the clock at `asOf` (it may not run as of
 * a later time than now).
 */
const sweep = (asOf: number, dryRun = false) =>
  dryRun ? sweepNow(asOf, true) : atTime(asOf, () => sweepNow(asOf));

const events = (detailType: string, keyId: string) => eventsOf(svc, detailType, keyId);
const demo = async (secret: string) => (await svc.demo(secret, { path: '/demo/ping' })).status;

describe('the rotation sweep', () => {
  it('flags a production key at 90 days, not at 89d23h59m, and a development key at 180 days', async () => {
    const prod = (await svc.api('POST', '/v1/keys', newKey({ owner: 'sweep-a' }))).body.key;
    const dev = (await svc.api('POST', '/v1/keys', newKey({ owner: 'sweep-a', environment: 'development' })))
      .body.key;
    const created = Date.parse(prod.createdAt);

    expect(ids((await sweep(created + 90 * DAY - 60_000)).flagged)).not.toContain(prod.keyId);
    const preview = await sweep(created + 90 * DAY, true);
    expect(ids(preview.flagged)).toContain(prod.keyId);
    expect((await svc.api('GET', `/v1/keys/${prod.keyId}`)).body.rotationDue).toBe(false);

    const at90 = await sweep(created + 90 * DAY);
    expect(ids(at90.flagged)).toContain(prod.keyId);
    expect(ids(at90.flagged)).not.toContain(dev.keyId);
    expect((await svc.api('GET', `/v1/keys/${prod.keyId}`)).body.rotationDue).toBe(true);
    const due = await svc.api('GET', '/v1/keys?owner=sweep-a&rotationDue=true');
    expect(ids(due.body.items)).toEqual([prod.keyId]);

    const devCreated = Date.parse(dev.createdAt);
    expect(ids((await sweep(devCreated + 180 * DAY - 60_000)).flagged)).not.toContain(dev.keyId);
    expect(ids((await sweep(devCreated + 180 * DAY)).flagged)).toContain(dev.keyId);
  });

  it('announces once, reminds every 7 days until rotated, and two runs make no duplicate events', async () => {
    const { key } = (await svc.api('POST', '/v1/keys', newKey({ owner: 'sweep-b', rotationDays: 30 }))).body;
    const due = Date.parse(key.rotationDueAt);
    await sweep(due + 1000);
    await sweep(due + 1000);
    await atTime(due + 2000, () => Promise.all([sweepNow(due + 2000), sweepNow(due + 2000)]));
    let announced = await events('API Key Rotation Due', key.keyId);
    expect(announced).toHaveLength(1);
    expect(announced[0]?.detail).toMatchObject({
      version: '1',
      keyId: key.keyId,
      name: key.name,
      owner: 'sweep-b',
      ageDays: 30,
      rotationDueAt: key.rotationDueAt,
      reminder: false,
    });

    expect(ids((await sweep(due + 6 * DAY)).reminded)).not.toContain(key.keyId);
    expect(ids((await sweep(due + 7 * DAY + 1000)).reminded)).toContain(key.keyId);
    expect(ids((await sweep(due + 7 * DAY + 1000)).reminded)).not.toContain(key.keyId);
    announced = await events('API Key Rotation Due', key.keyId);
    expect(announced.map((e) => e.detail.reminder)).toEqual([true, false]);

    await svc.api('POST', `/v1/keys/${key.keyId}/rotate`, {});
    expect(ids((await sweep(due + 30 * DAY)).reminded)).not.toContain(key.keyId);
    expect(await events('API Key Rotation Due', key.keyId)).toHaveLength(2);
  });

  it('pages through more than one page of due keys', async () => {
    const made: string[] = [];
    for (let owner = 0; owner < 3; owner++) {
      const batch = await Promise.all(
        Array.from({ length: 40 }, () =>
          svc.api('POST', '/v1/keys', newKey({ owner: `paging-${owner}`, rotationDays: 2 })),
        ),
      );
      made.push(...batch.map((r) => r.body.key.keyId));
    }
    const result = await sweep(Date.now() + 2 * DAY + 60_000);
    expect(result.reads.pages).toBeGreaterThanOrEqual(2);
    const flagged = new Set(ids(result.flagged));
    expect(made.filter((id) => flagged.has(id))).toHaveLength(120);
  });

  it('announces keys that expire soon and gives expired keys their owner slot back', async () => {
    const expiresAt = new Date(Date.now() + 3 * DAY).toISOString();
    // Due for rotation after 1 day, expired after 3: once expired it is not flagged for rotation.
    const { key } = (
      await svc.api('POST', '/v1/keys', newKey({ owner: 'expiring', expiresAt, rotationDays: 1 }))
    ).body;
    const soon = await sweep(Date.now());
    expect(ids(soon.expiringSoon)).toContain(key.keyId);
    expect(ids((await sweep(Date.now())).expiringSoon)).not.toContain(key.keyId);
    const [notice, ...more] = await events('API Key Expiring', key.keyId);
    expect(notice?.detail).toMatchObject({
      keyId: key.keyId,
      expiresAt: key.expiresAt,
      daysLeft: 3,
      noticeDays: 3,
    });
    expect(more).toEqual([]);

    const after = await sweep(Date.parse(expiresAt) + 1000);
    expect(ids(after.reconciled)).toContain(key.keyId);
    expect(ids(after.flagged)).not.toContain(key.keyId);
    expect(ids((await sweep(Date.parse(expiresAt) + 2000)).reconciled)).not.toContain(key.keyId);
    const audit = await svc.api('GET', `/v1/audit?keyId=${key.keyId}&action=key.expired`);
    expect(audit.body.items).toHaveLength(1);
  });

  it('a run as of a later time flags early but never expires keys that still work (their slots stay held)', async () => {
    const expiresAt = new Date(Date.now() + 30 * DAY).toISOString();
    const made = await Promise.all(
      [1, 2, 3].map(() => svc.api('POST', '/v1/keys', newKey({ owner: 'future-asof', expiresAt }))),
    );
    const keyIds = made.map((m) => m.body.key.keyId);
    const asOf = new Date(Date.now() + 360 * DAY).toISOString();
    const res = await svc.api('POST', '/v1/rotation/sweep', { asOf });
    expect(res.status).toBe(200);
    for (const keyId of keyIds) {
      expect(ids(res.body.reconciled)).not.toContain(keyId);
      expect(ids(res.body.expiringSoon)).not.toContain(keyId);
    }
    for (const { body } of made) {
      expect(await demo(body.secret)).toBe(200);
      const audit = await svc.api('GET', `/v1/audit?keyId=${body.key.keyId}&action=key.expired`);
      expect(audit.body.items).toEqual([]);
    }
    // A dry run may preview the future, expiry included.
    const again = await Promise.all(
      [1, 2, 3].map(() => svc.api('POST', '/v1/keys', newKey({ owner: 'future-asof-2', expiresAt }))),
    );
    const preview = await svc.api('POST', '/v1/rotation/sweep', {
      asOf: '2100-01-01T00:00:00Z',
      dryRun: true,
    });
    expect(preview.status).toBe(200);
    expect(ids(preview.body.reconciled)).toEqual(expect.arrayContaining(again.map((m) => m.body.key.keyId)));
    // Each answer says what its notices ran as of, so the difference can be shown beside the numbers.
    expect(preview.body.noticesAsOf).toBe('2100-01-01T00:00:00.000Z');
    expect(res.body.asOf).toBe(asOf);
    expect(Math.abs(Date.parse(res.body.noticesAsOf) - Date.now())).toBeLessThan(60_000);
  });

  it('refuses a sweep that writes as of more than 366 days from now, naming asOf; a dry run previews any time', async () => {
    const key = await svc.api('POST', '/v1/keys', newKey({ owner: 'far-asof' }));
    for (const asOf of [
      '9999-01-01T00:00:00Z',
      new Date(Date.now() + 367 * DAY).toISOString(),
      new Date(Date.now() - 367 * DAY).toISOString(),
      '1970-01-01T00:00:00Z',
    ]) {
      const res = await svc.api('POST', '/v1/rotation/sweep', { asOf });
      expect(res.status, asOf).toBe(400);
      expect(res.body.error.details).toEqual([{ field: 'asOf', message: expect.stringMatching(/366 days/) }]);
    }
    const stored = await svc.api('GET', `/v1/keys/${key.body.key.keyId}`);
    expect(stored.body.rotationDue).toBe(false);
    const audit = await svc.api('GET', `/v1/audit?keyId=${key.body.key.keyId}&action=key.rotation_due`);
    expect(audit.body.items).toEqual([]);
    const preview = await svc.api('POST', '/v1/rotation/sweep', {
      asOf: '9999-01-01T00:00:00Z',
      dryRun: true,
    });
    expect(preview.status).toBe(200);
    expect(ids(preview.body.flagged)).toContain(key.body.key.keyId);
    expect((await svc.api('GET', `/v1/keys/${key.body.key.keyId}`)).body.version).toBe(stored.body.version);
  });

  it('refuses a malformed sweep request', async () => {
    const res = await svc.api('POST', '/v1/rotation/sweep', { asOf: 'yesterday', force: true });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(['asOf', 'force']);
  });
});

describe('rotate', () => {
  it('without grace: the new key works at once, the old one is revoked at once', async () => {
    const { key, secret } = (
      await svc.api(
        'POST',
        '/v1/keys',
        newKey({ owner: 'rot-a', name: 'Production Server', roles: ['write'] }),
      )
    ).body;
    const res = await svc.api('POST', `/v1/keys/${key.keyId}/rotate`, {});
    expect(res.status).toBe(201);
    const { key: next, secret: nextSecret, previous } = res.body;
    expect(nextSecret).toMatch(/^lk_live_/);
    expect(next).toMatchObject({
      name: 'Production Server',
      owner: 'rot-a',
      roles: ['write'],
      rotatedFrom: key.keyId,
      status: 'active',
    });
    expect(previous).toMatchObject({ keyId: key.keyId, status: 'revoked', rotatedTo: next.keyId });
    expect(await demo(secret)).toBe(401);
    expect(await demo(nextSecret)).toBe(200);
    const [rotated] = await events('API Key Rotated', key.keyId);
    expect(rotated?.detail).toMatchObject({ newKeyId: next.keyId, gracePeriodSeconds: 0 });
    expect(JSON.stringify(rotated)).not.toContain(nextSecret);
    expect((await svc.api('POST', `/v1/keys/${key.keyId}/rotate`, {})).status).toBe(409);
  });

  it('with grace: the old key works until the grace ends, then is refused', async () => {
    const { key, secret } = (await svc.api('POST', '/v1/keys', newKey({ owner: 'rot-b' }))).body;
    const res = await svc.api('POST', `/v1/keys/${key.keyId}/rotate`, { gracePeriodSeconds: 2 });
    expect(res.status).toBe(201);
    const graceEnd = Date.parse(res.body.previous.expiresAt);
    expect(graceEnd - Date.now()).toBeLessThanOrEqual(2000);
    expect(res.body.previous).toMatchObject({ status: 'active', rotatedTo: res.body.key.keyId });
    expect(await demo(secret)).toBe(200);
    expect(await demo(res.body.secret)).toBe(200);
    // The clock moves past the grace end.
    await atTime(graceEnd + 1, async () => {
      expect(await demo(secret)).toBe(401);
      expect(await demo(res.body.secret)).toBe(200);
    });
  });

  it('two concurrent rotations of one key: exactly one wins', async () => {
    const { key } = (await svc.api('POST', '/v1/keys', newKey({ owner: 'rot-c' }))).body;
    const results = await Promise.all([
      svc.api('POST', `/v1/keys/${key.keyId}/rotate`, { gracePeriodSeconds: 60 }),
      svc.api('POST', `/v1/keys/${key.keyId}/rotate`, { gracePeriodSeconds: 60 }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const owned = await svc.api('GET', '/v1/keys?owner=rot-c');
    expect(owned.body.items).toHaveLength(2);
  });

  it('is idempotent under retries with an Idempotency-Key, and never replays the secret', async () => {
    const { key } = (await svc.api('POST', '/v1/keys', newKey({ owner: 'rot-d' }))).body;
    const headers = { 'idempotency-key': `retry-${key.keyId}` };
    const first = await svc.api('POST', `/v1/keys/${key.keyId}/rotate`, { gracePeriodSeconds: 30 }, headers);
    const retry = await svc.api('POST', `/v1/keys/${key.keyId}/rotate`, { gracePeriodSeconds: 30 }, headers);
    expect(first.status).toBe(201);
    expect(first.body.secret).toMatch(/^lk_live_/);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toMatchObject({ key: { keyId: first.body.key.keyId }, secret: null, replayed: true });
    expect(retry.text).not.toContain(first.body.secret);
    const other = await svc.api('POST', `/v1/keys/${key.keyId}/rotate`, { gracePeriodSeconds: 31 }, headers);
    expect(other.status).toBe(422);
    expect((await svc.api('GET', '/v1/keys?owner=rot-d')).body.items).toHaveLength(2);
  });

  it('four concurrent rotations with one Idempotency-Key: one 201, the rest 409 with Retry-After', async () => {
    const { key } = (await svc.api('POST', '/v1/keys', newKey({ owner: 'rot-g' }))).body;
    const keys = keyService();
    const rotate = keys.rotate.bind(keys);
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The first attempt holds its rotation open until the other three have been answered.
    vi.spyOn(keys, 'rotate').mockImplementationOnce(async (...args) => {
      entered();
      await gate;
      return rotate(...args);
    });
    const headers = { 'idempotency-key': `four-${key.keyId}` };
    const calls = [1, 2, 3, 4].map(() =>
      svc.api('POST', `/v1/keys/${key.keyId}/rotate`, { gracePeriodSeconds: 60 }, headers),
    );
    await inside;
    const answered: ApiResponse[] = [];
    await new Promise<void>((resolve) => {
      for (const call of calls)
        void call.then((res) => {
          answered.push(res);
          if (answered.length === 3) resolve();
        });
    });
    release();
    const results = await Promise.all(calls);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    for (const busy of answered.slice(0, 3)) {
      expect(busy.status).toBe(409);
      expect(busy.headers.get('retry-after')).toBe('1');
      expect(busy.body.error.code).toBe('ROTATION_IN_PROGRESS');
    }
    expect((await svc.api('GET', `/v1/keys?owner=rot-g`)).body.items).toHaveLength(2);
  });

  it('after a crash mid-rotation, a retry ends in a clear answer within the function timeout', async () => {
    const { key } = (await svc.api('POST', '/v1/keys', newKey({ owner: 'rot-h' }))).body;
    const { handler } = await import('#handlers/keys-rotate.ts');
    const keys = keyService();
    const rotate = keys.rotate.bind(keys);
    let committed!: (successor: string) => void;
    const rotated = new Promise<string>((resolve) => {
      committed = resolve;
    });
    // The instance dies right after the rotation committed: its answer is never saved.
    vi.spyOn(keys, 'rotate').mockImplementationOnce(async (...args) => {
      const out = await rotate(...args);
      committed(out.key.keyId);
      return new Promise<never>(() => undefined);
    });
    const timeoutMs = 10_000;
    const lambda = (id: string) => ({
      ...context(),
      awsRequestId: id,
      getRemainingTimeInMillis: () => timeoutMs,
    });
    const call = (id: string) =>
      handler(
        restEvent('POST', '/v1/keys/{keyId}/rotate', {
          path: { keyId: key.keyId },
          body: { gracePeriodSeconds: 0 },
          headers: { 'Idempotency-Key': `crash-${key.keyId}` },
        }),
        lambda(id),
      );
    void call('first');
    const successor = await rotated;

    const busy = await call('retry-1');
    expect(busy.statusCode).toBe(409);
    expect(busy.headers?.['retry-after']).toBe('1');

    // Once the first attempt's function timeout has passed, its lock is gone.
    const later = await atTime(Date.now() + timeoutMs + 1000, () => call('retry-2'));
    expect(later.statusCode).toBe(409);
    const error = JSON.parse(later.body).error;
    expect(error.code).toBe('ALREADY_ROTATED');
    expect(error.message).toContain(successor);
    expect(error.message).toMatch(/cannot be shown again/);
    expect((await svc.api('GET', `/v1/keys?owner=rot-h`)).body.items).toHaveLength(2);
  });

  it('a superseded key may only be revoked or deleted: no eternal life for a key in its grace period', async () => {
    const { key } = (await svc.api('POST', '/v1/keys', newKey({ owner: 'rot-i' }))).body;
    const rotated = await svc.api('POST', `/v1/keys/${key.keyId}/rotate`, { gracePeriodSeconds: 3600 });
    expect(rotated.status).toBe(201);
    const forever = await svc.api('PATCH', `/v1/keys/${key.keyId}`, { expiresAt: null });
    expect(forever.status).toBe(409);
    expect(forever.body.error.message).toContain(rotated.body.key.keyId);
    expect((await svc.api('PATCH', `/v1/keys/${key.keyId}`, { name: 'still here' })).status).toBe(409);
    expect((await svc.api('GET', `/v1/keys/${key.keyId}`)).body.expiresAt).toBe(
      rotated.body.previous.expiresAt,
    );
    expect((await svc.api('POST', `/v1/keys/${key.keyId}/revoke`)).status).toBe(200);
    expect((await svc.api('DELETE', `/v1/keys/${key.keyId}`)).status).toBe(204);
  });

  it('gives a disabled key a disabled successor', async () => {
    const { key } = (await svc.api('POST', '/v1/keys', newKey({ owner: 'rot-f' }))).body;
    await svc.api('PATCH', `/v1/keys/${key.keyId}`, { enabled: false });
    const res = await svc.api('POST', `/v1/keys/${key.keyId}/rotate`, {});
    expect(res.status).toBe(201);
    expect(res.body.key.status).toBe('inactive');
    expect(await demo(res.body.secret)).toBe(401);
  });

  it('refuses revoked keys, unknown keys and bad grace periods', async () => {
    const { key } = (await svc.api('POST', '/v1/keys', newKey({ owner: 'rot-e' }))).body;
    expect(
      (await svc.api('POST', `/v1/keys/${key.keyId}/rotate`, { gracePeriodSeconds: 604_801 })).status,
    ).toBe(400);
    await svc.api('POST', `/v1/keys/${key.keyId}/revoke`);
    const revoked = await svc.api('POST', `/v1/keys/${key.keyId}/rotate`, {});
    expect(revoked.status).toBe(409);
    expect(revoked.body.error.code).toBe('KEY_REVOKED');
    expect((await svc.api('POST', '/v1/keys/key_0000000000000000000000/rotate', {})).status).toBe(404);
  });
});

describe('lifecycle events', () => {
  it('are published for create, update, disable, enable, revoke and delete, without secrets', async () => {
    const { key, secret } = (await svc.api('POST', '/v1/keys', newKey({ owner: 'events' }))).body;
    await svc.api('PATCH', `/v1/keys/${key.keyId}`, { name: 'renamed' });
    await svc.api('PATCH', `/v1/keys/${key.keyId}`, { enabled: false });
    await svc.api('PATCH', `/v1/keys/${key.keyId}`, { enabled: true });
    await svc.api('POST', `/v1/keys/${key.keyId}/revoke`);
    await svc.api('DELETE', `/v1/keys/${key.keyId}`);
    for (const type of ['Created', 'Updated', 'Disabled', 'Enabled', 'Revoked', 'Deleted']) {
      const found = await events(`API Key ${type}`, key.keyId);
      expect(found, type).toHaveLength(1);
      expect(found[0]?.detail).toMatchObject({
        version: '1',
        keyId: key.keyId,
        owner: 'events',
        actor: 'local-admin',
      });
      expect(JSON.stringify(found)).not.toContain(secret);
    }
  });
});

describe('the sweep on DynamoDB Local, with a publisher that fails', () => {
  const store = () => new DynamoKeyStore(dynamoDocument(), svc.tables);
  const sweepAt = (time: number, events: EventPublisher) =>
    new RotationSweep({
      store: store(),
      events,
      now: () => new Date(time),
      reminderIntervalDays: 7,
      expiringSoonDays: 14,
    });
  const ctx = { actor: 'test-sweep', requestId: 'one-request-id' };

  it('undoes a flag whose event could not be published, and the next run publishes it exactly once', async () => {
    const { key } = (await svc.api('POST', '/v1/keys', newKey({ owner: 'undo-a', rotationDays: 1 }))).body;
    const due = Date.parse(key.rotationDueAt) + 1000;
    const { publisher, published } = flakyPublisher(1);

    const first = await sweepAt(due, publisher).run({}, ctx);
    expect(first.failed).toBe(1);
    expect(ids(first.flagged)).not.toContain(key.keyId);
    // The undo landed: the key is not flagged, so the next run finds it again.
    expect((await svc.api('GET', `/v1/keys/${key.keyId}`)).body.rotationDue).toBe(false);
    const audit = await svc.api('GET', `/v1/audit?keyId=${key.keyId}`);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['key.rotation_due', 'key.rotation_due.undone']),
    );

    const second = await sweepAt(due, publisher).run({}, ctx);
    expect(ids(second.flagged)).toContain(key.keyId);
    expect(published.filter((e) => e.detail.keyId === key.keyId)).toHaveLength(1);
    const third = await sweepAt(due, publisher).run({}, ctx);
    expect(ids(third.flagged)).not.toContain(key.keyId);
    expect(published.filter((e) => e.detail.keyId === key.keyId)).toHaveLength(1);
  });

  it('fails the run, loudly, when an undo cannot land', async () => {
    const { key } = (await svc.api('POST', '/v1/keys', newKey({ owner: 'undo-b', rotationDays: 1 }))).body;
    const due = Date.parse(key.rotationDueAt) + 1000;
    // An operator changes the key while the event is being published: the undo's version condition fails.
    const { publisher } = flakyPublisher(1, () =>
      svc.api('PATCH', `/v1/keys/${key.keyId}`, { name: 'renamed' }),
    );
    const run = sweepAt(due, publisher).run({}, ctx);
    await expect(run).rejects.toBeInstanceOf(SweepUndoError);
    await expect(run).rejects.toMatchObject({ keyIds: [key.keyId] });
  });

  it('writes the rotation and the expiry pass of one key within one millisecond', async () => {
    const expiresAt = new Date(Date.now() + 3 * DAY).toISOString();
    const { key } = (
      await svc.api('POST', '/v1/keys', newKey({ owner: 'same-ms', rotationDays: 1, expiresAt }))
    ).body;
    const { publisher, published } = flakyPublisher(0);
    // One fixed clock: both passes stamp their audit records with the same time and request ID.
    const result = await sweepAt(Date.parse(key.rotationDueAt) + 1000, publisher).run({}, ctx);
    expect(ids(result.flagged)).toContain(key.keyId);
    expect(ids(result.expiringSoon)).toContain(key.keyId);
    expect(
      published
        .filter((e) => e.detail.keyId === key.keyId)
        .map((e) => e.detailType)
        .sort(),
    ).toEqual(['API Key Expiring', 'API Key Rotation Due']);
    const audit = await svc.api('GET', `/v1/audit?keyId=${key.keyId}`);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['key.rotation_due', 'key.expiring']),
    );
  });
});
