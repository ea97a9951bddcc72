import { randomUUID } from 'node:crypto';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { now } from '#config/clock.ts';
import type { lifecycleEventSchema } from '#domain/events/event-answers.ts';
import type { LatchkeyEvent } from '#domain/events/lifecycle-events.ts';
import type { EventPublisher, Page } from '#domain/shared/ports.ts';
import { CursorCodec } from './cursor.ts';

/** An event as the log keeps and lists it: the published event with its ID and time. */
export type StoredEvent = z.output<typeof lifecycleEventSchema>;

/** Writes of one BatchWrite's events before its leftovers fail the publish. */
const BATCH_ATTEMPTS = 8;

/** Local mode's event bus: what would go to EventBridge, kept 30 days and listed newest first. */
export class DynamoEventLog implements EventPublisher {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly onPublish: (event: StoredEvent) => void = () => undefined,
  ) {}

  /**
   * One write for one event; a batch (a kill switch's) in BatchWrites of 25, what DynamoDB leaves
   * unprocessed retried with backoff, BATCH_ATTEMPTS times at most (then the publish fails, as a
   * transaction's retries do).
   */
  async publish(events: readonly LatchkeyEvent[]): Promise<void> {
    const stored = events.map(
      (event): StoredEvent => ({ id: randomUUID(), time: now().toISOString(), ...event }),
    );
    const item = (e: StoredEvent) => ({
      stream: 'events',
      sk: `${e.time}#${e.id}`,
      ...e,
      ttl: Math.floor(now().getTime() / 1000) + 30 * 86_400,
    });
    if (stored.length === 1) {
      await this.doc.send(new PutCommand({ TableName: this.table, Item: item(stored[0] as StoredEvent) }));
    } else {
      for (let i = 0; i < stored.length; i += 25) {
        let pending: Record<string, unknown>[] | undefined = stored
          .slice(i, i + 25)
          .map((e) => ({ PutRequest: { Item: item(e) } }));
        for (let attempt = 0; pending?.length; attempt++) {
          if (attempt >= BATCH_ATTEMPTS)
            throw new Error(`events: ${pending.length} not written after ${BATCH_ATTEMPTS} attempts`);
          if (attempt > 0)
            await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** Math.min(attempt, 6)));
          const out = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.table]: pending } }));
          pending = out.UnprocessedItems?.[this.table] as Record<string, unknown>[] | undefined;
        }
      }
    }
    for (const e of stored) this.onPublish(e);
  }

  async list(limit: number, cursor: string | undefined): Promise<Page<StoredEvent>> {
    const codec = new CursorCodec('events', undefined, 'events', { attribute: 'stream', values: ['events'] });
    const start = codec.decode(cursor)?.key;
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: '#stream = :s',
        ExpressionAttributeNames: { '#stream': 'stream' },
        ExpressionAttributeValues: { ':s': 'events' },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    const items = (out.Items ?? []).map(({ stream: _s, sk: _k, ttl: _t, ...event }) => event as StoredEvent);
    const last = out.LastEvaluatedKey;
    return { items, nextCursor: last ? codec.encode({ partition: 0, key: codec.keyOf(last) }) : null };
  }
}
