import type { KeyRecord } from '#domain/keys/key.ts';
import type { TransactItems } from './transaction.ts';

/**
 * Live keys per pepper version, kept as counters in the owners table under reserved names
 * (`#pepper:<version>`: no owner can be called that, owners start with a letter or digit). A key
 * is live while it holds an owner slot (`slotHeld`: not revoked, not deleted, not expired past the
 * sweep), so the counter moves in the same transactions, and on the same events, as the owner's
 * active-key counter: create, revoke, disable/enable (no change), expiry by the sweep, rotate, delete.
 */
export const pepperCounterName = (version: string) => `#pepper:${version}`;

type Change = readonly [
  before: Pick<KeyRecord, 'slotHeld' | 'pepperVersion'> | undefined,
  after: Pick<KeyRecord, 'slotHeld' | 'pepperVersion'> | undefined,
];

/** The counter changes of one or more record changes in a transaction, merged by version. */
export function pepperDeltas(...changes: Change[]): Record<string, number> {
  const deltas: Record<string, number> = {};
  for (const [before, after] of changes) {
    if (before?.slotHeld) deltas[before.pepperVersion] = (deltas[before.pepperVersion] ?? 0) - 1;
    if (after?.slotHeld) deltas[after.pepperVersion] = (deltas[after.pepperVersion] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(deltas).filter(([, d]) => d !== 0));
}

export function pepperItems(ownersTable: string, deltas: Record<string, number>): TransactItems {
  return Object.entries(deltas).map(([version, delta]) => ({
    Update: {
      TableName: ownersTable,
      Key: { owner: pepperCounterName(version) },
      UpdateExpression: 'ADD liveKeys :delta',
      ExpressionAttributeValues: { ':delta': delta },
    },
  }));
}
