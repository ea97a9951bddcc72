import { randomBytes } from 'node:crypto';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ComplianceService } from '#domain/compliance/compliance-report.ts';
import { DAY_MS, type KeyRecord, rotationDueAt } from '#domain/keys/key.ts';
import { newKeyId } from '#domain/keys/secret.ts';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import { RotationSweep } from '#domain/rotation/rotation-sweep.ts';
import { DynamoKeyStore } from '#store/dynamo-keys.ts';
import { DynamoLiveKeys } from '#store/dynamo-live-keys.ts';
import { TABLES, type TableId } from '#store/tables.ts';
import { ensureTables, localClient, startDynamoLocal } from '../local/dynamodb-local.ts';
import { type Spread, spread } from './stats.ts';

/** A key as create stores it: `createdAt` as given, rotation far off, revoked if asked. */
function record(createdAt: string, revoked: boolean): KeyRecord {
  const base = {
    keyId: newKeyId(),
    name: 'bench key',
    owner: `owner-${randomBytes(1).toString('hex')}`,
    type: 'service' as const,
    scope: { workspaceId: 'ws' },
    roles: ['read'],
    permissions: [],
    environment: 'production' as const,
    rotationDays: 3650,
    expiresAt: null,
    status: revoked ? ('revoked' as const) : ('active' as const),
    createdAt,
    createdBy: 'bench',
    updatedAt: createdAt,
    lastUsedAt: null,
    rotationDue: false,
    version: 1,
    slotHeld: !revoked,
    secretHash: 'x'.repeat(43),
    pepperVersion: '1',
    ...(revoked ? { revokedAt: createdAt } : {}),
  };
  return { ...base, rotationDueAt: rotationDueAt(base) };
}

/**
 * The compliance report and the sweep's unused pass against DynamoDB Local at two table sizes,
 * a fifth of the keys revoked and 1% unused for 100 days: what the report reads per live key
 * (items and read units; revoked keys never), how long it takes (median of 3 rounds), and what
 * the unused pass reads per unused key (from its sparse index, never a scan).
 */
export async function benchCompliance(sizes: readonly number[] = [100, 10_000]) {
  const dynamo = await startDynamoLocal({ dbPath: undefined, accessKeyId: 'local' });
  const figures: Record<string, number | Spread> = {};
  try {
    for (const size of sizes) {
      const names = Object.fromEntries(
        Object.keys(TABLES).map((id) => [id, `cbench${size}-${id}`]),
      ) as Record<TableId, string>;
      const client = localClient(dynamo.endpoint);
      await ensureTables(client, names);
      const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
      const store = new DynamoKeyStore(doc, names);
      const unusedDue = Math.max(1, Math.round(size / 100));
      const now = Date.now();
      const old = new Date(now - 100 * DAY_MS).toISOString();
      const fresh = new Date(now - DAY_MS).toISOString();
      const records = Array.from({ length: size }, (_, i) =>
        record(i < unusedDue ? old : fresh, i % 5 === 4),
      );
      const live = records.filter((r) => r.status !== 'revoked').length;
      const batches = [];
      for (let i = 0; i < records.length; i += 25) batches.push(records.slice(i, i + 25));
      for (let i = 0; i < batches.length; i += 8) {
        await Promise.all(
          batches.slice(i, i + 8).map(async (batch) => {
            let pending: Record<string, unknown>[] | undefined = batch.map((r) => ({
              PutRequest: { Item: store.toItem(r) },
            }));
            while (pending?.length) {
              const out: { UnprocessedItems?: Record<string, unknown[]> } = await doc.send(
                new BatchWriteCommand({ RequestItems: { [names.keys]: pending as never } }),
              );
              pending = out.UnprocessedItems?.[names.keys] as Record<string, unknown>[] | undefined;
            }
          }),
        );
      }
      const calls: Record<string, number> = {};
      client.middlewareStack.add(
        (next, context) => async (args) => {
          calls[context.commandName ?? '?'] = (calls[context.commandName ?? '?'] ?? 0) + 1;
          return next(args);
        },
        { step: 'initialize', name: 'benchCount' },
      );

      const report = new ComplianceService({
        keys: new DynamoLiveKeys(doc, names.keys),
        peppers: async () => parsePepperSet(JSON.stringify({ version: '1', pepper: 'b'.repeat(40) })),
        now: () => new Date(),
        unusedDays: 90,
      });
      const ms: number[] = [];
      let last: Awaited<ReturnType<ComplianceService['report']>> | undefined;
      for (let round = 0; round < 3; round++) {
        const started = performance.now();
        last = await report.report();
        ms.push(performance.now() - started);
      }
      if (!last || last.totals.liveKeys !== live)
        throw new Error(`report at ${size}: ${last?.totals.liveKeys} of ${live}`);
      figures[`complianceItemsReadPerLiveKeyAt${size}`] = last.reads.items / live;
      figures[`complianceReadUnitsPer1000LiveKeysAt${size}`] = (last.reads.readUnits * 1000) / live;
      figures[`complianceReportMsAt${size}`] = spread(ms);

      // Nothing else is due (rotation is years off, no expiry): what the sweep reads is the unused pass.
      const sweep = new RotationSweep({
        store,
        unused: store,
        unusedDays: 90,
        events: { publish: async () => undefined },
        now: () => new Date(),
        reminderIntervalDays: 7,
        expiringSoonDays: 14,
      });
      const result = await sweep.run({}, { actor: 'bench', requestId: 'bench' });
      const announced = result.unused.length;
      if (announced !== records.filter((r, i) => i < unusedDue && r.status !== 'revoked').length)
        throw new Error(`unused pass at ${size}: announced ${announced}`);
      figures[`unusedSweepReadsPerUnusedKeyAt${size}`] = result.reads.items / announced;
      figures.complianceScans =
        ((figures.complianceScans as number | undefined) ?? 0) + (calls.ScanCommand ?? 0);
      client.destroy();
    }
  } finally {
    await dynamo.stop();
  }
  return figures;
}

// `npx tsx bench/compliance.ts` runs this part alone.
if (import.meta.url === `file://${process.argv[1]}`) console.table(await benchCompliance());
