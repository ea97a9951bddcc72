import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DynamoKeyStore } from './dynamo-keys.ts';
import { DERIVED, fromItem } from './read-key.ts';
import { isConditionFailure } from './transaction.ts';

/**
 * What the store derives on every key item (search text, scope key, TTL, the sweep indexes'
 * attributes) changes when a release adds an index or a rule; items written before it lack the
 * new attributes until their next change. This pass brings every item in line once per version,
 * and records that it did under a reserved name in the owners table (`#schema`: owners start with
 * a letter or digit).
 */
export const DERIVED_VERSION = 2;
const MARKER = '#schema';

export interface MigrationResult {
  readonly scanned: number;
  readonly updated: number;
  /** Where a call that ran out of budget stopped (kept in the marker; the next call carries on). */
  readonly cursor?: Record<string, unknown>;
}

export class KeyMigration {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly store: DynamoKeyStore,
    private readonly tables: { readonly keys: string; readonly owners: string },
  ) {}

  /**
   * Brings the items in line, from where the last call stopped, within `budgetMs` (no bound when
   * undefined). The scheduled sweep calls it with a budget until it is done; the local server once
   * at start. Each item is written only if it is still the version read (a concurrent change
   * derived its attributes itself).
   */
  async step(
    options: { budgetMs?: number; concurrency?: number } = {},
  ): Promise<MigrationResult & { done: boolean }> {
    const marker = await this.doc.send(
      new GetCommand({ TableName: this.tables.owners, Key: { owner: MARKER }, ConsistentRead: true }),
    );
    if (Number(marker.Item?.derivedVersion ?? 0) >= DERIVED_VERSION)
      return { scanned: 0, updated: 0, done: true };
    const started = Date.now();
    let cursor =
      marker.Item?.targetVersion === DERIVED_VERSION
        ? (marker.Item.cursor as Record<string, unknown>)
        : undefined;
    let scanned = 0;
    let updated = 0;
    do {
      if (options.budgetMs !== undefined && Date.now() - started > options.budgetMs) {
        await this.mark({ targetVersion: DERIVED_VERSION, cursor }, marker.Item?.derivedVersion);
        return { scanned, updated, cursor, done: false };
      }
      const page = await this.doc.send(
        new ScanCommand({ TableName: this.tables.keys, ExclusiveStartKey: cursor, Limit: 500 }),
      );
      const queue = [...(page.Items ?? [])];
      scanned += queue.length;
      const worker = async () => {
        for (let raw = queue.pop(); raw; raw = queue.pop()) if (await this.rederive(raw)) updated++;
      };
      await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    await this.mark({}, DERIVED_VERSION);
    return { scanned, updated, done: true };
  }

  private async mark(progress: Record<string, unknown>, derivedVersion: unknown) {
    await this.doc.send(
      new PutCommand({
        TableName: this.tables.owners,
        Item: {
          owner: MARKER,
          derivedVersion: Number(derivedVersion ?? 0),
          ...progress,
          at: new Date().toISOString(),
        },
      }),
    );
  }

  private async rederive(raw: Record<string, unknown>): Promise<boolean> {
    const wanted = this.store.toItem(fromItem(raw));
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = { ':version': raw.version };
    const set: string[] = [];
    const remove: string[] = [];
    DERIVED.forEach((attr, i) => {
      if (JSON.stringify(raw[attr]) === JSON.stringify(wanted[attr])) return;
      names[`#d${i}`] = attr;
      if (wanted[attr] === undefined) remove.push(`#d${i}`);
      else {
        values[`:d${i}`] = wanted[attr];
        set.push(`#d${i} = :d${i}`);
      }
    });
    if (!set.length && !remove.length) return false;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.keys,
          Key: { keyId: raw.keyId },
          UpdateExpression: [
            set.length ? `SET ${set.join(', ')}` : '',
            remove.length ? `REMOVE ${remove.join(', ')}` : '',
          ]
            .filter(Boolean)
            .join(' '),
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
