import { BatchGetCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { OverviewKey, UsageDayRow, UsageOverviewSource } from '#domain/usage/usage-overview.ts';
import { INDEX } from './tables.ts';

/** What the overview shows of a key: never its hash, nor any other attribute. */
const KEY_FIELDS = [
  'keyId',
  'name',
  'owner',
  'status',
  'expiresAt',
  'createdAt',
  'lastUsedAt',
  'rotatedFrom',
  'rotatedTo',
] as const;
const BATCH = 100;
const RETRIES = 5;

/**
 * The usage overview's reads: one UTC day's rows of every key from the usage table's by-day
 * index (key attributes plus the two counts), and the keys on a page by ID in batches of 100.
 */
export class DynamoUsageOverviewSource implements UsageOverviewSource {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: { readonly usage: string; readonly keys: string },
  ) {}

  async dayRows(day: string): Promise<{ rows: UsageDayRow[]; reads: number }> {
    const rows: UsageDayRow[] = [];
    let reads = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tables.usage,
          IndexName: INDEX.usageByDay,
          KeyConditionExpression: '#day = :day',
          ExpressionAttributeNames: { '#day': 'day' },
          ExpressionAttributeValues: { ':day': day },
          ExclusiveStartKey: start,
        }),
      );
      reads++;
      for (const item of page.Items ?? []) {
        rows.push({
          keyId: String(item.keyId),
          day,
          allowed: Number(item.allowed ?? 0),
          refused: Number(item.refused ?? 0),
        });
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return { rows, reads };
  }

  async keys(keyIds: readonly string[]): Promise<{ keys: OverviewKey[]; reads: number }> {
    const keys: OverviewKey[] = [];
    let reads = 0;
    for (let i = 0; i < keyIds.length; i += BATCH) {
      let pending: Record<string, unknown>[] = keyIds.slice(i, i + BATCH).map((keyId) => ({ keyId }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt === RETRIES) throw new Error('usage overview: keys stayed unprocessed after retries');
        if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
        const out = await this.doc.send(
          new BatchGetCommand({
            RequestItems: {
              [this.tables.keys]: {
                Keys: pending,
                ProjectionExpression: KEY_FIELDS.map((_, n) => `#f${n}`).join(', '),
                ExpressionAttributeNames: Object.fromEntries(KEY_FIELDS.map((f, n) => [`#f${n}`, f])),
              },
            },
          }),
        );
        reads++;
        for (const item of out.Responses?.[this.tables.keys] ?? []) {
          keys.push({
            keyId: String(item.keyId),
            name: String(item.name),
            owner: String(item.owner),
            status: item.status as OverviewKey['status'],
            expiresAt: (item.expiresAt as string | undefined) ?? null,
            createdAt: String(item.createdAt),
            lastUsedAt: (item.lastUsedAt as string | undefined) ?? null,
            ...(item.rotatedFrom ? { rotatedFrom: String(item.rotatedFrom) } : {}),
            ...(item.rotatedTo ? { rotatedTo: String(item.rotatedTo) } : {}),
          });
        }
        pending = (out.UnprocessedKeys?.[this.tables.keys]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return { keys, reads };
  }
}
