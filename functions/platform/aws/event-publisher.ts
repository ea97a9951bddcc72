import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { settings } from '#config/settings.ts';
import type { LatchkeyEvent } from '#domain/events/lifecycle-events.ts';
import type { EventPublisher } from '#domain/shared/ports.ts';
import { logger } from '#platform/observability/logger.ts';
import { DynamoEventLog } from '#store/dynamo-events.ts';
import { dynamoDocument } from './clients.ts';

/** EventBridge: PutEvents in batches of 10; any failed entry fails the publish. */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: readonly LatchkeyEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += 10) {
      const batch = events.slice(i, i + 10);
      const out = await this.client.send(
        new PutEventsCommand({
          Entries: batch.map((e) => ({
            EventBusName: this.busName,
            Source: e.source,
            DetailType: e.detailType,
            Detail: JSON.stringify(e.detail),
          })),
        }),
      );
      if (out.FailedEntryCount) {
        const codes = (out.Entries ?? []).map((entry) => entry.ErrorCode).filter(Boolean);
        throw new Error(
          `EventBridge refused ${out.FailedEntryCount} of ${batch.length} events: ${codes.join(', ')}`,
        );
      }
    }
  }
}

/**
 * Where lifecycle events go. Locally (LATCHKEY_EVENTS_TABLE is set) they are kept in the events
 * table, served by GET /v1/events, and logged; in AWS they go to the LATCHKEY_EVENT_BUS_NAME bus.
 */
export function eventPublisher(): EventPublisher {
  const table = settings().LATCHKEY_EVENTS_TABLE;
  if (table) return localEventLog(table);
  return new EventBridgePublisher(new EventBridgeClient({}), settings().LATCHKEY_EVENT_BUS_NAME);
}

export function localEventLog(table: string) {
  return new DynamoEventLog(dynamoDocument(), table, (event) =>
    logger.info('event', { detailType: event.detailType, keyId: event.detail.keyId }),
  );
}
