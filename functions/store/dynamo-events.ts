import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { now } from '#config/clock.ts';
import type { lifecycleEventSchema } from '#domain/events/event-answers.ts';
import type { LatchkeyEvent } from '#domain/events/lifecycle-events.ts';
import type { EventPublisher, Page } from '#domain/shared/ports.ts';
import { CursorCodec } from './cursor.ts';

/** An event as the log keeps and lists it: the published event with its ID and time. */
export type StoredEvent = z.output<typeof lifecycleEventSchema>;

/** Local mode's event bus: what would go to EventBridge, kept 30 days and listed newest first. */
export class DynamoEventLog implements EventPublisher {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly onPublish: (event: StoredEvent) => void = () => undefined,
  ) {}

  async publish(events: readonly LatchkeyEvent[]): Promise<void> {
    for (const event of events) {
      const time = now().toISOString();
      const stored: StoredEvent = { id: randomUUID(), time, ...event };
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            stream: 'events',
            sk: `${time}#${stored.id}`,
            ...stored,
            ttl: Math.floor(now().getTime() / 1000) + 30 * 86_400,
          },
        }),
      );
      this.onPublish(stored);
    }
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
