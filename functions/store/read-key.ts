import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { KeyRecord } from '#domain/keys/key.ts';

// Attributes the adapter derives from the record for its indexes and TTL; they never leave the store.
export const DERIVED = [
  'searchText',
  'scopeKey',
  'ownerText',
  'ttl',
  'rotationShard',
  'rotationSweepAt',
  'expiryShard',
  'expirySweepAt',
  'unusedShard',
  'unusedSweepAt',
  'graceShard',
] as const;

export function fromItem(item: Record<string, unknown>): KeyRecord {
  const record: Record<string, unknown> = { ...item };
  for (const attr of DERIVED) delete record[attr];
  record.expiresAt ??= null;
  record.lastUsedAt ??= null;
  return record as unknown as KeyRecord;
}

/**
 * The authorizer's one read: by key ID, strongly consistent, so a revocation shows at once. Kept
 * apart from the rest of the adapter so the authorizer bundles nothing else of it.
 */
export async function readKey(doc: DynamoDBDocumentClient, table: string, keyId: string) {
  const out = await doc.send(new GetCommand({ TableName: table, Key: { keyId }, ConsistentRead: true }));
  return out.Item ? fromItem(out.Item) : undefined;
}
