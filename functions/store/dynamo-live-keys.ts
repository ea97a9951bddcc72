import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { LIVE_KEY_FIELDS, type LiveKey, type LiveKeySource } from '#domain/compliance/compliance-report.ts';
import { INDEX } from './tables.ts';

/**
 * Every live key, for the compliance report: the `active` and `inactive` partitions of the
 * status index, queried in parallel, page by page (DynamoDB's 1 MB pages), never a scan. Expired
 * keys are filtered out by DynamoDB (a filter still reads them: they stay in the index until TTL
 * removes them); revoked keys are never read. Only the report's attributes come back, and each
 * page is handed on and dropped, so memory holds at most one page per partition.
 */
export class DynamoLiveKeys implements LiveKeySource {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async eachLiveKey(now: Date, visit: (key: LiveKey) => void) {
    const reads = { pages: 0, items: 0, readUnits: 0 };
    const names: Record<string, string> = Object.fromEntries(LIVE_KEY_FIELDS.map((f, i) => [`#f${i}`, f]));
    await Promise.all(
      ['active', 'inactive'].map(async (status) => {
        let start: Record<string, unknown> | undefined;
        do {
          const out = await this.doc.send(
            new QueryCommand({
              TableName: this.table,
              IndexName: INDEX.keysByStatus,
              KeyConditionExpression: '#pk = :status',
              FilterExpression: 'attribute_not_exists(#exp) OR #exp > :now',
              ProjectionExpression: Object.keys(names).join(', '),
              ExpressionAttributeNames: { ...names, '#pk': 'status', '#exp': 'expiresAt' },
              ExpressionAttributeValues: { ':status': status, ':now': now.toISOString() },
              ExclusiveStartKey: start,
              ReturnConsumedCapacity: 'TOTAL',
            }),
          );
          reads.pages++;
          reads.items += out.ScannedCount ?? 0;
          reads.readUnits += out.ConsumedCapacity?.CapacityUnits ?? 0;
          for (const item of out.Items ?? []) {
            visit({
              ...item,
              expiresAt: item.expiresAt ?? null,
              lastUsedAt: item.lastUsedAt ?? null,
            } as LiveKey);
          }
          start = out.LastEvaluatedKey;
        } while (start);
      }),
    );
    return reads;
  }
}
