import { randomBytes } from 'node:crypto';
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { DAY_MS } from '#domain/keys/key.ts';
import type { AuditEntry, AuditLog, AuditQuery, Page } from '#domain/shared/ports.ts';
import { CursorCodec } from './cursor.ts';
import { INDEX } from './tables.ts';

let sequence = 0;

/**
 * The sort key of one audit record: its time first (the trail reads newest first), then the
 * request and subject, then a per-write suffix (this process's sequence number and 48 random
 * bits). Two records of one request, subject and millisecond (a sweep's flag and its undo, or
 * its rotation and expiry passes on one key) are two records, in the order they were written.
 */
export function auditSortKey(at: string, requestId: string, subject: string): string {
  sequence = (sequence + 1) % 36 ** 6;
  const suffix = `${sequence.toString(36).padStart(6, '0')}${randomBytes(6).toString('hex')}`;
  return `${at}#${requestId}#${subject}#${suffix}`;
}

/** The audit trail, newest first: by key (the table), by actor (an index) or all (the time index). */
export class DynamoAuditStore implements AuditLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async query(filter: AuditQuery, limit: number, cursor: string | undefined): Promise<Page<AuditEntry>> {
    const [index, pkName, pkValue] = filter.keyId
      ? [undefined, 'subject', filter.keyId]
      : filter.actor
        ? [INDEX.auditByActor, 'actor', filter.actor]
        : [INDEX.auditByTime, 'stream', 'audit'];
    const input: QueryCommandInput = {
      TableName: this.table,
      IndexName: index,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': pkName },
      ExpressionAttributeValues: { ':pk': pkValue },
      ScanIndexForward: false,
    };
    const codec = new CursorCodec('audit', index, filter, { attribute: pkName, values: [pkValue] });
    input.ExclusiveStartKey = codec.decode(cursor)?.key;
    const clauses: string[] = [];
    if (filter.actor && pkName !== 'actor') {
      input.ExpressionAttributeNames = { ...input.ExpressionAttributeNames, '#actor': 'actor' };
      input.ExpressionAttributeValues = { ...input.ExpressionAttributeValues, ':actor': filter.actor };
      clauses.push('#actor = :actor');
    }
    if (filter.action) {
      input.ExpressionAttributeNames = { ...input.ExpressionAttributeNames, '#action': 'action' };
      input.ExpressionAttributeValues = { ...input.ExpressionAttributeValues, ':action': filter.action };
      clauses.push('#action = :action');
    }
    if (clauses.length) input.FilterExpression = clauses.join(' AND ');

    const items: AuditEntry[] = [];
    for (let reads = 0; reads < 10; reads++) {
      const out = await this.doc.send(new QueryCommand({ ...input, Limit: 100 }));
      for (const raw of out.Items ?? []) {
        const { subject: _s, sk: _k, stream: _t, ttl: _ttl, ...entry } = raw;
        items.push(entry as AuditEntry);
        if (items.length === limit) {
          const more = raw !== out.Items?.at(-1) || out.LastEvaluatedKey !== undefined;
          return { items, nextCursor: more ? codec.encode({ partition: 0, key: codec.keyOf(raw) }) : null };
        }
      }
      if (!out.LastEvaluatedKey) return { items, nextCursor: null };
      input.ExclusiveStartKey = out.LastEvaluatedKey;
    }
    return {
      items,
      nextCursor: codec.encode({ partition: 0, key: codec.keyOf(input.ExclusiveStartKey ?? {}) }),
    };
  }
}

/** The audit record of one management action, as a transaction item: written with the change or not at all. */
export function auditPut(table: string, entry: AuditEntry, retentionDays: number) {
  const subject =
    entry.keyId ??
    (entry.pepperVersion
      ? `pepper:${entry.pepperVersion}`
      : entry.portalSession
        ? `portal-session:${entry.portalSession}`
        : `role:${entry.role ?? '-'}`);
  return {
    Put: {
      TableName: table,
      Item: {
        ...entry,
        subject,
        sk: auditSortKey(entry.at, entry.requestId, subject),
        stream: 'audit',
        ttl: Math.floor((Date.parse(entry.at) + retentionDays * DAY_MS) / 1000),
      },
      ConditionExpression: 'attribute_not_exists(sk)',
    },
  };
}
