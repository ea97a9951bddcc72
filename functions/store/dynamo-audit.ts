import { randomBytes } from 'node:crypto';
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { type AuditEntry, type AuditQuery, InvalidCursorError, type Page } from './port.ts';
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

/** The attributes that make up a position in each access path (the table's key plus the index's). */
const KEY_ATTRS: Record<string, string[]> = {
  table: ['subject', 'sk'],
  [INDEX.auditByActor]: ['subject', 'sk', 'actor'],
  [INDEX.auditByTime]: ['subject', 'sk', 'stream'],
};

/** The audit trail, newest first: by key (the table), by actor (an index) or all (the time index). */
export class DynamoAuditStore {
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
      ExclusiveStartKey: decode(cursor, index ?? 'table'),
    };
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
          const key = Object.fromEntries((KEY_ATTRS[index ?? 'table'] ?? []).map((a) => [a, raw[a]]));
          return { items, nextCursor: more ? encode(index ?? 'table', key) : null };
        }
      }
      if (!out.LastEvaluatedKey) return { items, nextCursor: null };
      input.ExclusiveStartKey = out.LastEvaluatedKey;
    }
    return {
      items,
      nextCursor: encode(index ?? 'table', input.ExclusiveStartKey as Record<string, unknown>),
    };
  }
}

function encode(index: string, key: Record<string, unknown>) {
  return Buffer.from(JSON.stringify({ i: index, k: key })).toString('base64url');
}

function decode(raw: string | undefined, index: string): Record<string, unknown> | undefined {
  if (raw === undefined) return undefined;
  try {
    const cursor = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { i: unknown; k: unknown };
    if (
      cursor.i === index &&
      typeof cursor.k === 'object' &&
      cursor.k !== null &&
      Object.values(cursor.k).every((v) => typeof v === 'string')
    ) {
      return cursor.k as Record<string, unknown>;
    }
  } catch {
    // falls through to the error below
  }
  throw new InvalidCursorError();
}
