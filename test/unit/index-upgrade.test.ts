import { describe, expect, it } from 'vitest';
import { type IndexDef, TABLES } from '#store/tables.ts';

/**
 * The global secondary indexes each table had in the last version a stack could be deployed from
 * (docs/deploying.md#upgrading). DynamoDB creates or deletes one index per table update, so a
 * version may differ from this by at most one index per table; a changed index is one deleted and
 * one created. When a version ships, this list becomes its indexes.
 */
const RELEASED: Record<string, readonly string[]> = {
  keys: [
    'byOwner owner createdAt ALL',
    'byStatus status createdAt ALL',
    'byScope scopeKey createdAt ALL',
    'rotationSweep rotationShard rotationSweepAt ALL',
    'expirySweep expiryShard expirySweepAt ALL',
    'unusedSweep unusedShard unusedSweepAt ALL',
  ],
  audit: ['byActor actor sk ALL', 'byTime stream sk ALL'],
  usage: ['byDay day keyId allowed,refused'],
};

const shape = (index: IndexDef) =>
  [index.name, index.partitionKey, index.sortKey ?? '-', index.include?.join(',') ?? 'ALL'].join(' ');

describe('table indexes between versions', () => {
  for (const def of Object.values(TABLES).filter((table) => !table.localOnly)) {
    it(`${def.id}: at most one index created or deleted since the last version`, () => {
      const now = def.indexes.map(shape);
      const before = RELEASED[def.id] ?? [];
      const created = now.filter((index) => !before.includes(index));
      const deleted = before.filter((index) => !now.includes(index));
      expect(created.length + deleted.length, `created ${created}; deleted ${deleted}`).toBeLessThanOrEqual(
        1,
      );
    });
  }
});
