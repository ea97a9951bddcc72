import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DETAIL_TYPES, keyEvent, type LatchkeyEvent } from '#domain/events/lifecycle-events.ts';
import { type KeyRecord, toApiKey } from '#domain/keys/key.ts';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import { RotationSweep } from '#domain/rotation/rotation-sweep.ts';
import type { EventPublisher, KeyStore, KeyWrite, SweepPage } from '#domain/shared/ports.ts';
import { VersionConflictError } from '#domain/shared/ports.ts';
import { EventBridgePublisher } from '#platform/aws/event-publisher.ts';
import { DynamoEventLog } from '#store/dynamo-events.ts';
import { storedKey } from '../support/fixtures.ts';

const peppers = parsePepperSet(JSON.stringify({ version: '1', pepper: 'e'.repeat(40) }));
const eb = mockClient(EventBridgeClient);
beforeEach(() => eb.reset());

const event = (i: number): LatchkeyEvent =>
  keyEvent(
    DETAIL_TYPES.created,
    toApiKey(storedKey(peppers, { name: `k${i}` }).record, new Date()),
    'now',
    'tester',
  );

describe('EventBridge publisher', () => {
  it('sends batches of at most 10 entries to the configured bus, with source and detail-type', async () => {
    eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    await new EventBridgePublisher(new EventBridgeClient({ region: 'us-east-1' }), 'latchkey-bus').publish(
      Array.from({ length: 23 }, (_, i) => event(i)),
    );
    const calls = eb.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries ?? []);
    expect(calls.map((entries) => entries.length)).toEqual([10, 10, 3]);
    expect(calls[0]?.[0]).toMatchObject({
      EventBusName: 'latchkey-bus',
      Source: 'latchkey',
      DetailType: 'API Key Created',
    });
    expect(JSON.parse(calls[0]?.[0]?.Detail ?? '{}')).toMatchObject({
      version: '1',
      name: 'k0',
      actor: 'tester',
    });
  });

  it('fails when EventBridge refuses an entry', async () => {
    eb.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    const publisher = new EventBridgePublisher(new EventBridgeClient({ region: 'us-east-1' }), 'default');
    await expect(publisher.publish([event(1)])).rejects.toThrow(/refused 1 of 1 events: InternalFailure/);
  });
});

/** Just enough of the store for the sweep: one due key, versioned writes. */
function oneKeyStore(record: KeyRecord) {
  let current = record;
  const writes: KeyWrite[] = [];
  const store = {
    async rotationDue(): Promise<SweepPage> {
      const due =
        current.status === 'active' &&
        (current.rotationDue ? current.rotationReminderAt : current.rotationDueAt);
      return { items: due && due <= '2026-12-31' ? [current] : [], nextCursor: undefined, itemsRead: 1 };
    },
    async expiring(): Promise<SweepPage> {
      return { items: [], nextCursor: undefined, itemsRead: 0 };
    },
    async updateKey(before: KeyRecord, next: KeyRecord, write: KeyWrite) {
      if (before.version !== current.version) throw new VersionConflictError(before.keyId);
      current = next;
      writes.push(write);
    },
  };
  return { store: store as unknown as KeyStore, writes, current: () => current };
}

describe("local mode's event log", () => {
  it('retries what DynamoDB leaves unprocessed a bounded number of times, then fails the publish', async () => {
    const ddb = mockClient(DynamoDBDocumentClient);
    // DynamoDB keeps handing the batch back, as it may under throttling.
    ddb.on(BatchWriteCommand).callsFake((input) => ({ UnprocessedItems: input.RequestItems }));
    vi.useFakeTimers();
    try {
      const log = new DynamoEventLog(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'events');
      const published = log.publish([event(1), event(2)]).then(
        () => 'published',
        (error: Error) => error.message,
      );
      await vi.runAllTimersAsync();
      expect(await published).toBe('events: 2 not written after 8 attempts');
      expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(8);
    } finally {
      vi.useRealTimers();
      ddb.restore();
    }
  });
});

describe('the sweep when publishing fails', () => {
  it('undoes the flag so the next run announces it, exactly once', async () => {
    const { record } = storedKey(peppers, { rotationDueAt: '2026-06-01T00:00:00.000Z' });
    const fake = oneKeyStore(record);
    let fail = true;
    const published: LatchkeyEvent[] = [];
    const events: EventPublisher = {
      async publish(batch) {
        if (fail) throw new Error('EventBridge unavailable');
        published.push(...batch);
      },
    };
    const errors: unknown[] = [];
    const sweep = new RotationSweep({
      store: fake.store,
      events,
      now: () => new Date('2026-06-02T00:00:00.000Z'),
      reminderIntervalDays: 7,
      expiringSoonDays: 7,
      onError: (error) => errors.push(error),
    });
    const ctx = { actor: 'test', requestId: 'r' };

    const first = await sweep.run({}, ctx);
    expect(first).toMatchObject({ failed: 1, flagged: [] });
    expect(errors).toHaveLength(1);
    expect(fake.current().rotationDue).toBe(false);
    expect(fake.writes.map((w) => w.audit.action)).toEqual(['key.rotation_due', 'key.rotation_due.undone']);

    fail = false;
    const second = await sweep.run({}, ctx);
    expect(second.flagged.map((e) => e.keyId)).toEqual([record.keyId]);
    expect(await sweep.run({}, ctx)).toMatchObject({ flagged: [], reminded: [] });
    expect(published).toHaveLength(1);
    expect(published[0]?.detail).toMatchObject({ keyId: record.keyId, reminder: false });
  });
});
