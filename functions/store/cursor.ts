import { createHash } from 'node:crypto';
import { InvalidCursorError } from '#domain/shared/ports.ts';
import { TABLES, type TableId } from './tables.ts';

type Key = Record<string, string>;

/** Where a list stopped: the index partition it was reading (for multi-partition plans) and the last key. */
export interface Position {
  readonly partition: number;
  readonly key: Key | undefined;
}

const MAX_ATTRIBUTE_LENGTH = 2048;

/** The partition key of a list's access path and the values it reads, in order. */
export interface Partitions {
  readonly attribute: string;
  readonly values: readonly string[];
}

/**
 * The one cursor codec of every list. A cursor names its access path (table and index), the query
 * it belongs to (a digest of its filters), the partition it was in and the exact key attributes of
 * that path, each a string, the partition key holding that partition's value. Anything else —
 * another query's cursor, a forged attribute, a wrong type, a key of another partition — is an
 * InvalidCursorError (400), never a DynamoDB ValidationException (500).
 */
export class CursorCodec {
  private readonly attributes: readonly string[];
  private readonly query: string;

  constructor(
    table: TableId,
    index: string | undefined,
    query: unknown,
    private readonly partitions: Partitions,
  ) {
    const def = TABLES[table];
    const names = new Set([def.partitionKey, ...(def.sortKey ? [def.sortKey] : [])]);
    if (index !== undefined) {
      const indexDef = def.indexes.find((i) => i.name === index);
      if (!indexDef) throw new Error(`no index ${index} on ${table}`);
      names.add(indexDef.partitionKey);
      if (indexDef.sortKey) names.add(indexDef.sortKey);
    }
    this.attributes = [...names].sort();
    this.query = createHash('sha256')
      .update(JSON.stringify([table, index ?? '', query]))
      .digest('base64url')
      .slice(0, 16);
  }

  /** The key attributes of `item` that make up a position on this access path. */
  keyOf(item: Record<string, unknown>): Key {
    return Object.fromEntries(this.attributes.map((a) => [a, String(item[a])]));
  }

  encode(position: Position): string {
    const body = { q: this.query, p: position.partition, k: position.key ?? null };
    return Buffer.from(JSON.stringify(body)).toString('base64url');
  }

  decode(raw: string | undefined): Position | undefined {
    if (raw === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    } catch {
      throw new InvalidCursorError();
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new InvalidCursorError();
    const { q, p, k } = parsed as Record<string, unknown>;
    if (
      q !== this.query ||
      !Number.isInteger(p) ||
      (p as number) < 0 ||
      (p as number) >= this.partitions.values.length
    ) {
      throw new InvalidCursorError();
    }
    if (k === null) return { partition: p as number, key: undefined };
    if (typeof k !== 'object' || k === undefined || Array.isArray(k)) throw new InvalidCursorError();
    const names = Object.keys(k).sort();
    const valid =
      names.length === this.attributes.length &&
      names.every((name, i) => name === this.attributes[i]) &&
      Object.values(k).every(
        (v) => typeof v === 'string' && v.length > 0 && v.length <= MAX_ATTRIBUTE_LENGTH,
      ) &&
      // DynamoDB refuses a start key outside the queried partition ("does not match the range key predicate").
      (k as Key)[this.partitions.attribute] === this.partitions.values[p as number];
    if (!valid) throw new InvalidCursorError();
    return { partition: p as number, key: k as Key };
  }
}
