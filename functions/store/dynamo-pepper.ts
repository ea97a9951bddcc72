import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, PepperUsageStore, PepperVersionUsage } from '#domain/shared/ports.ts';
import { auditPut } from './dynamo-audit.ts';
import { pepperCounterName } from './pepper-counts.ts';

export interface PepperTables {
  readonly keys: string;
  readonly owners: string;
  readonly audit: string;
}

/**
 * Live keys per pepper version. A version added by rotation has a counter from before its first
 * key (`tracked`), kept in every key transaction (pepper-counts.ts): one GetItem answers. A
 * version from before counters existed (the first pepper of a deployment made before this
 * feature) is counted by a scan of the keys table, read once per request that needs it: its cost
 * is the table's size, and it goes once that version is retired.
 */
export class DynamoPepperUsageStore implements PepperUsageStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: PepperTables,
    private readonly auditRetentionDays: number,
  ) {}

  async usage(version: string): Promise<PepperVersionUsage> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tables.owners,
        Key: { owner: pepperCounterName(version) },
        ConsistentRead: true,
      }),
    );
    if (out.Item?.tracked === true) return { liveKeys: Number(out.Item.liveKeys ?? 0), countedBy: 'counter' };
    return { liveKeys: await this.scanCount(version), countedBy: 'scan' };
  }

  async track(version: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tables.owners,
        Key: { owner: pepperCounterName(version) },
        UpdateExpression: 'SET tracked = :true ADD liveKeys :zero',
        ExpressionAttributeValues: { ':true': true, ':zero': 0 },
      }),
    );
  }

  async audit(entry: AuditEntry): Promise<void> {
    const { Put } = auditPut(this.tables.audit, entry, this.auditRetentionDays);
    await this.doc.send(new PutCommand(Put));
  }

  private async scanCount(version: string): Promise<number> {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new ScanCommand({
          TableName: this.tables.keys,
          Select: 'COUNT',
          ConsistentRead: true,
          FilterExpression: '#v = :v AND #held = :true',
          ExpressionAttributeNames: { '#v': 'pepperVersion', '#held': 'slotHeld' },
          ExpressionAttributeValues: { ':v': version, ':true': true },
          ExclusiveStartKey: start,
        }),
      );
      count += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return count;
  }
}
