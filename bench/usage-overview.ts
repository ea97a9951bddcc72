import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DAY_MS } from '#domain/keys/key.ts';
import { newKeyId } from '#domain/keys/secret.ts';
import { ClosedDayCache } from '#domain/usage/closed-day-cache.ts';
import { UsageOverview, type UsageOverviewSource } from '#domain/usage/usage-overview.ts';
import { USAGE_DAYS_KEPT, usageWindow } from '#domain/usage/usage-window.ts';
import { DynamoUsageOverviewSource } from '#store/dynamo-usage-overview.ts';
import { INDEX, TABLES, type TableId } from '#store/tables.ts';
import { ensureTables, localClient, startDynamoLocal } from '../local/dynamodb-local.ts';
import { type Spread, spread } from './stats.ts';

/**
 * What one usage overview page costs on DynamoDB Local, at 100 and at 10,000 keys with traffic
 * on every one of 30 days: index queries, key batch reads and milliseconds per page, against a
 * baseline that only reads the same 30 days of the by-day index (the floor of any exact overview).
 */
export async function benchUsageOverview(
  activeKeys = [100, 10_000],
): Promise<Record<string, number | Spread>> {
  const dynamo = await startDynamoLocal({ dbPath: undefined, accessKeyId: 'local' });
  const client = localClient(dynamo.endpoint);
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const figures: Record<string, number | Spread> = {};
  try {
    for (const count of activeKeys) {
      const names = Object.fromEntries(
        Object.keys(TABLES).map((id) => [id, `overview${count}-${id}`]),
      ) as Record<TableId, string>;
      await ensureTables(client, names);
      await seed(doc, names, count);
      Object.assign(figures, await measure(doc, names, count));
    }
  } finally {
    client.destroy();
    await dynamo.stop();
  }
  return figures;
}

async function seed(doc: DynamoDBDocumentClient, names: Record<TableId, string>, count: number) {
  const now = Date.now();
  const days = usageWindow(30, new Date(now));
  const keyIds = Array.from({ length: count }, () => newKeyId());
  const keyItems = keyIds.map((keyId, i) => ({
    keyId,
    name: `integration-${i}`,
    owner: `team-${i % 50}`,
    status: 'active',
    createdAt: new Date(now - 60 * DAY_MS).toISOString(),
  }));
  const usageItems = keyIds.flatMap((keyId, i) =>
    days.map((day, d) => ({ keyId, day, allowed: 1 + ((i * 7 + d) % 500), refused: (i + d) % 5 })),
  );
  await writeAll(doc, names.keys, keyItems);
  await writeAll(doc, names.usage, usageItems);
}

async function writeAll(doc: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]) {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let pending = (batches[next++] as Record<string, unknown>[]).map((Item) => ({ PutRequest: { Item } }));
      while (pending.length) {
        const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
        pending = (out.UnprocessedItems?.[table] ?? []) as typeof pending;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** The source, counting what it reads. */
function counted(source: UsageOverviewSource) {
  const reads = { queries: 0, keyReads: 0 };
  const wrapped: UsageOverviewSource = {
    async dayRows(day) {
      const out = await source.dayRows(day);
      reads.queries += out.reads;
      return out;
    },
    async keys(ids) {
      const out = await source.keys(ids);
      reads.keyReads += out.reads;
      return out;
    },
  };
  return { wrapped, reads };
}

async function measure(doc: DynamoDBDocumentClient, names: Record<TableId, string>, count: number) {
  const { wrapped, reads } = counted(new DynamoUsageOverviewSource(doc, names));
  const overview = new UsageOverview({
    source: wrapped,
    now: () => new Date(),
    thresholds: { factor: 5, minRequests: 100 },
  });
  const window = usageWindow(30, new Date());
  const floor = () =>
    Promise.all(
      window.map(async (day) => {
        let start: Record<string, unknown> | undefined;
        do {
          const page = await doc.send(
            new QueryCommand({
              TableName: names.usage,
              IndexName: INDEX.usageByDay,
              KeyConditionExpression: '#day = :day',
              ExpressionAttributeNames: { '#day': 'day' },
              ExpressionAttributeValues: { ':day': day },
              ExclusiveStartKey: start,
            }),
          );
          start = page.LastEvaluatedKey;
        } while (start);
      }),
    );
  const page = () => overview.page({ days: 30, limit: 50 });

  await page();
  await floor();
  const first = await page();
  if (first.total.keys !== count || first.items.length !== Math.min(50, count))
    throw new Error(`overview bench: expected ${count} keys, saw ${first.total.keys}`);
  const rounds = count >= 10_000 ? 5 : 15;
  const ms: number[] = [];
  const ratios: number[] = [];
  const perPage = { queries: 0, keyReads: 0 };
  for (let round = 0; round < rounds; round++) {
    const sides = [floor, page] as const;
    const times = [0, 0];
    for (const side of round % 2 ? [1, 0] : [0, 1]) {
      const before = { ...reads };
      const t = performance.now();
      await sides[side as 0 | 1]();
      times[side as 0 | 1] = performance.now() - t;
      if (side === 1) {
        perPage.queries = reads.queries - before.queries;
        perPage.keyReads = reads.keyReads - before.keyReads;
      }
    }
    ms.push(times[1] as number);
    ratios.push((times[1] as number) / (times[0] as number));
  }
  // A reload in the same process: closed days come from the cache, today and yesterday are read.
  const cachedReads = counted(new DynamoUsageOverviewSource(doc, names));
  const cached = new UsageOverview({
    source: new ClosedDayCache(cachedReads.wrapped, {
      ttlMs: 300_000,
      maxDays: USAGE_DAYS_KEPT + 1,
      maxRows: 1_000_000,
      now: () => new Date(),
    }),
    now: () => new Date(),
    thresholds: { factor: 5, minRequests: 100 },
  });
  await cached.page({ days: 30, limit: 50 });
  const reloadMs: number[] = [];
  let reloadQueries = 0;
  for (let round = 0; round < rounds; round++) {
    const before = cachedReads.reads.queries;
    const t = performance.now();
    await cached.page({ days: 30, limit: 50 });
    reloadMs.push(performance.now() - t);
    reloadQueries = cachedReads.reads.queries - before;
  }
  const at = `At${count}`;
  return {
    [`usageOverviewReloadQueriesPerPage${at}`]: reloadQueries,
    [`usageOverviewReloadMsPerPage${at}`]: spread(reloadMs),
    [`usageOverviewQueriesPerPage${at}`]: perPage.queries,
    [`usageOverviewKeyReadsPerPage${at}`]: perPage.keyReads,
    [`usageOverviewMsPerPage${at}`]: spread(ms),
    [`usageOverviewVsIndexReadRatio${at}`]: spread(ratios),
  };
}
