import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TripCount } from '#domain/shared/ports.ts';
import { type DayInsight, EMPTY_INSIGHT, mergeInsight } from '#domain/usage/day-insight.ts';
import type { StoredDay } from '#domain/usage/key-usage.ts';
import type { UsageStore } from '#domain/usage/usage-store.ts';
import { type LastUse, USAGE_DAYS_KEPT } from '#domain/usage/usage-window.ts';
import { isConditionFailure } from './transaction.ts';

const DAY_S = 86_400;
/** Tries of one day's read-merge-write when other counters write the same day at once. */
const MERGE_ATTEMPTS = 8;

/** A stored day's attributes, as one merge writes them (sized by the tests at their largest). */
export function dayAttributes(insight: DayInsight) {
  return {
    allowed: insight.allowed,
    refused: insight.refused,
    refusals: insight.refusals,
    routes: insight.routes.top,
    routesOther: insight.routes.other,
    sourceIps: insight.sourceIps.top,
    sourceIpsOther: insight.sourceIps.other,
    latency: insight.latency,
  };
}

const count = (value: unknown) => Number(value ?? 0);
const counts = (value: unknown) => (value ?? {}) as Record<string, number>;

function insightOf(item: Record<string, unknown>): DayInsight {
  return {
    allowed: count(item.allowed),
    refused: count(item.refused),
    refusals: counts(item.refusals),
    routes: { top: counts(item.routes), other: count(item.routesOther) },
    sourceIps: { top: counts(item.sourceIps), other: count(item.sourceIpsOther) },
    latency: counts(item.latency),
  };
}

/**
 * Per key and per UTC day, what its checks left behind (day-insight.ts: counts, refusals by code,
 * top routes and addresses, the latency sketch), kept `retentionDays` (USAGE_DAYS_KEPT, what the
 * usage API can show: today and the 29 days before) by TTL from the start of the day.
 */
export class DynamoUsageStore implements UsageStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: { readonly usage: string; readonly keys: string },
    private readonly retentionDays = USAGE_DAYS_KEPT,
  ) {}

  /**
   * Reads the day, merges the batch in (the top lists need what is stored to stay bounded), and
   * writes it back if no other counter wrote it meanwhile (a version, `v`; a day written before
   * versions by its counts); otherwise reads again. Off every check's path: a counting batch
   * makes one read and one write per key and day.
   */
  async add(keyId: string, day: string, insight: DayInsight): Promise<void> {
    const ttl = Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + this.retentionDays * DAY_S;
    for (let attempt = 1; ; attempt++) {
      const { Item: stored } = await this.doc.send(
        new GetCommand({ TableName: this.tables.usage, Key: { keyId, day }, ConsistentRead: true }),
      );
      const merged = dayAttributes(mergeInsight(stored ? insightOf(stored) : EMPTY_INSIGHT, insight));
      const version = count(stored?.v);
      const [condition, expected] = !stored
        ? ['attribute_not_exists(keyId)', {}]
        : stored.v === undefined
          ? [
              'attribute_not_exists(v) AND #allowed = :wasAllowed AND #refused = :wasRefused',
              { ':wasAllowed': count(stored.allowed), ':wasRefused': count(stored.refused) },
            ]
          : ['v = :v', { ':v': version }];
      try {
        await this.doc.send(
          new UpdateCommand({
            TableName: this.tables.usage,
            Key: { keyId, day },
            // Every name a placeholder: some of DynamoDB's many reserved words are plain English.
            UpdateExpression: `SET ${Object.keys(merged)
              .map((name) => `#${name} = :${name}`)
              .join(', ')}, v = :next, #ttl = if_not_exists(#ttl, :ttl)`,
            ConditionExpression: condition,
            ExpressionAttributeNames: {
              ...Object.fromEntries(Object.keys(merged).map((name) => [`#${name}`, name])),
              '#ttl': 'ttl',
            },
            ExpressionAttributeValues: {
              ...Object.fromEntries(Object.entries(merged).map(([name, value]) => [`:${name}`, value])),
              ':next': version + 1,
              ':ttl': ttl,
              ...expected,
            },
          }),
        );
        return;
      } catch (error) {
        if (!isConditionFailure(error) || attempt >= MERGE_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
      }
    }
  }

  /**
   * Sets the key's last use (`lastUsedAt`, and the address, agent and route of that request; a
   * part the request did not carry is removed, so the four describe one request) unless a later
   * one is there; a key deleted meanwhile is left alone.
   */
  async touch(keyId: string, lastUse: LastUse): Promise<void> {
    const set = ['lastUsedAt = :at', 'lastUsedRoute = :route'];
    const remove: string[] = [];
    const values: Record<string, string> = { ':at': lastUse.at, ':route': lastUse.route };
    for (const [attribute, value, name] of [
      ['lastUsedIp', lastUse.sourceIp, ':ip'],
      ['lastUsedAgent', lastUse.userAgent, ':agent'],
    ] as const) {
      if (value === null) remove.push(attribute);
      else {
        set.push(`${attribute} = ${name}`);
        values[name] = value;
      }
    }
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.keys,
          Key: { keyId },
          UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ConditionExpression:
            'attribute_exists(keyId) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :at)',
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
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
      if (!isConditionFailure(error)) throw error;
      // A batch older than the latest trip recorded (or a key deleted meanwhile): the count only.
      await update(count, 'attribute_exists(keyId)', { ':n': trips.count, ':first': trips.firstAt }).catch(
        (late: Error) => {
          if (!isConditionFailure(late)) throw late;
        },
      );
    }
  }

  async days(keyId: string, fromDay: string): Promise<StoredDay[]> {
    const out: StoredDay[] = [];
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
      for (const item of page.Items ?? []) out.push({ date: String(item.day), ...insightOf(item) });
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }
}
