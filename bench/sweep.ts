import { randomBytes } from 'node:crypto';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LatchkeyEvent } from '#domain/events/lifecycle-events.ts';
import { DAY_MS, type KeyRecord, rotationDueAt } from '#domain/keys/key.ts';
import { newKeyId } from '#domain/keys/secret.ts';
import { RotationSweep } from '#domain/rotation/rotation-sweep.ts';
import { DynamoKeyStore } from '#store/dynamo-keys.ts';
import { TABLES, type TableId } from '#store/tables.ts';
import { ensureTables, localClient, startDynamoLocal } from '../local/dynamodb-local.ts';

function record(createdAt: string): KeyRecord {
  const base = {
    keyId: newKeyId(),
    name: 'bench',
    owner: `owner-${randomBytes(2).toString('hex')}`,
    type: 'service' as const,
    scope: { workspaceId: 'ws' },
    roles: ['read'],
    permissions: [],
    environment: 'production' as const,
    expiresAt: null,
    status: 'active' as const,
    createdAt,
    createdBy: 'bench',
    updatedAt: createdAt,
    lastUsedAt: null,
    rotationDue: false,
    version: 1,
    slotHeld: true,
    secretHash: 'x'.repeat(43),
    pepperVersion: '1',
  };
  return { ...base, rotationDueAt: rotationDueAt(base) };
}

/**
 * The sweep against DynamoDB Local at two table sizes with 1% of keys due: what it reads per due
 * key (items read, from DynamoDB's ScannedCount) and whether it ever scans.
 */
export async function benchSweep(sizes: readonly number[] = [100, 10_000]) {
  const dynamo = await startDynamoLocal({ dbPath: undefined, accessKeyId: 'local' });
  const figures: Record<string, number> = {};
  try {
    for (const size of sizes) {
      const prefix = `bench${size}-`;
      const names = Object.fromEntries(Object.keys(TABLES).map((id) => [id, `${prefix}${id}`])) as Record<
        TableId,
        string
      >;
      const client = localClient(dynamo.endpoint);
      await ensureTables(client, names);
      const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
      const store = new DynamoKeyStore(doc, {
        keys: names.keys,
        owners: names.owners,
        audit: names.audit,
        roles: names.roles,
      });

      const due = Math.max(1, Math.round(size / 100));
      const now = Date.now();
      const old = new Date(now - 100 * DAY_MS).toISOString();
      const fresh = new Date(now).toISOString();
      const items = Array.from({ length: size }, (_, i) => store.toItem(record(i < due ? old : fresh)));
      const batches = [];
      for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
      for (let i = 0; i < batches.length; i += 8) {
        await Promise.all(
          batches.slice(i, i + 8).map(async (batch) => {
            let pending: Record<string, unknown>[] | undefined = batch.map((Item) => ({
              PutRequest: { Item },
            }));
            while (pending?.length) {
              const out = await doc.send(
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
      const published: LatchkeyEvent[] = [];
      const sweep = new RotationSweep({
        store,
        events: { publish: async (events) => void published.push(...events) },
        now: () => new Date(),
        reminderIntervalDays: 7,
        expiringSoonDays: 7,
      });
      const result = await sweep.run({}, { actor: 'bench', requestId: 'bench' });
      if (result.flagged.length !== due || published.length !== due) {
        throw new Error(
          `sweep at ${size}: flagged ${result.flagged.length}, published ${published.length}, expected ${due}`,
        );
      }
      figures[`sweepReadsPerDueKeyAt${size}`] = result.reads.items / due;
      figures[`sweepPagesAt${size}`] = result.reads.pages;
      figures.sweepScans = (figures.sweepScans ?? 0) + (calls.ScanCommand ?? 0);
      client.destroy();
    }
  } finally {
    await dynamo.stop();
  }
  figures.sweepReadsPerDueKey = Math.max(
    ...sizes.map((size) => figures[`sweepReadsPerDueKeyAt${size}`] ?? 0),
  );
  return figures;
}
