import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TripCount, UsageDay, UsageStore } from '#domain/shared/ports.ts';
import { USAGE_DAYS_KEPT } from '#domain/usage/usage-window.ts';

const DAY_S = 86_400;

/**
 * Per key and per UTC day: requests allowed and refused, kept `retentionDays` (USAGE_DAYS_KEPT,
 * what the usage API can show: today and the 29 days before) by TTL from the start of the day.
 */
export class DynamoUsageStore implements UsageStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: { readonly usage: string; readonly keys: string },
    private readonly retentionDays = USAGE_DAYS_KEPT,
  ) {}

  async add(keyId: string, day: string, allowed: number, refused: number): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tables.usage,
        Key: { keyId, day },
        UpdateExpression: 'ADD allowed :a, refused :r SET #ttl = if_not_exists(#ttl, :ttl)',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: {
          ':a': allowed,
          ':r': refused,
          ':ttl': Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + this.retentionDays * DAY_S,
        },
      }),
    );
  }

  /** Sets lastUsedAt unless a newer one is there; a key deleted meanwhile is left alone. */
  async touch(keyId: string, at: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.keys,
          Key: { keyId },
          UpdateExpression: 'SET lastUsedAt = :at',
          ConditionExpression:
            'attribute_exists(keyId) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :at)',
          ExpressionAttributeValues: { ':at': at },
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  /**
   * Adds a batch of trips to the canary's key: the count always, the first trip where none is
   * recorded, and the latest trip and where it came from unless a later one is there already (a
   * batch that arrives late). A key deleted meanwhile is left alone. Bookkeeping, as lastUsedAt:
   * no version, no audit record.
   */
  async trip(trips: TripCount): Promise<void> {
    const update = (expression: string, condition: string, values: Record<string, unknown>) =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tables.keys,
          Key: { keyId: trips.keyId },
          UpdateExpression: expression,
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
        }),
      );
    const count = 'ADD tripCount :n SET firstTrippedAt = if_not_exists(firstTrippedAt, :first)';
    const ip = trips.last.sourceIp;
    try {
      await update(
        `${count}, lastTrippedAt = :last, lastTripRoute = :route${ip ? ', lastTripSourceIp = :ip' : ' REMOVE lastTripSourceIp'}`,
        'attribute_exists(keyId) AND (attribute_not_exists(lastTrippedAt) OR lastTrippedAt <= :last)',
        {
          ':n': trips.count,
          ':first': trips.firstAt,
          ':last': trips.lastAt,
          ':route': trips.last.route,
          ...(ip ? { ':ip': ip } : {}),
        },
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      // A batch older than the latest trip recorded (or a key deleted meanwhile): the count only.
      await update(count, 'attribute_exists(keyId)', { ':n': trips.count, ':first': trips.firstAt }).catch(
        (late: Error) => {
          if (late.name !== 'ConditionalCheckFailedException') throw late;
        },
      );
    }
  }

  async days(keyId: string, fromDay: string): Promise<UsageDay[]> {
    const out: UsageDay[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tables.usage,
          KeyConditionExpression: 'keyId = :k AND #day >= :from',
          ExpressionAttributeNames: { '#day': 'day' },
          ExpressionAttributeValues: { ':k': keyId, ':from': fromDay },
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      for (const item of page.Items ?? []) {
        out.push({
          date: String(item.day),
          allowed: Number(item.allowed ?? 0),
          refused: Number(item.refused ?? 0),
        });
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }
}
