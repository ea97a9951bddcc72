import { KEY_ID_SHAPE } from '#domain/keys/secret.ts';

/** A read of the keys table through one index: the partitions it reads, and the filter for what they do not select. */
export interface KeyPlan {
  readonly index: string;
  /** The index's partition key attribute. */
  readonly pk: 'status' | 'scopeKey' | 'owner';
  readonly partitions: readonly string[];
  readonly filter?: string;
  readonly names: Record<string, string>;
  readonly values: Record<string, unknown>;
}

/**
 * A filter expression on key items as it is built: its clauses (all must hold) and the names and
 * values they use. The clauses the list, the portal's list and the kill switch share are methods.
 */
export class KeyClauses {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};
  private readonly clauses: string[] = [];

  /** One clause, with the attribute names and values it uses. */
  add(clause: string, names: Record<string, string>, values: Record<string, unknown> = {}): this {
    Object.assign(this.names, names);
    Object.assign(this.values, values);
    this.clauses.push(clause);
    return this;
  }

  /** Name, key ID or description contains the text, in any case (the stored `searchText` is lower-case). */
  search(text: string): this {
    return this.add(
      'contains(#search, :search)',
      { '#search': 'searchText' },
      { ':search': text.toLowerCase() },
    );
  }

  role(role: string): this {
    return this.add('contains(#roles, :role)', { '#roles': 'roles' }, { ':role': role });
  }

  type(type: string): this {
    return this.add('#type = :type', { '#type': 'type' }, { ':type': type });
  }

  /** Every type but `canary`: what naming no type means where a canary must stay armed. */
  notCanary(): this {
    return this.add('#type <> :canary', { '#type': 'type' }, { ':canary': 'canary' });
  }

  rotationDue(due: boolean): this {
    return this.add(
      '#rotationDue = :rotationDue',
      { '#rotationDue': 'rotationDue' },
      { ':rotationDue': due },
    );
  }

  /**
   * The stored status is one of `stored`, where the index's partitions do not select it (an index
   * not keyed by status). An empty set matches nothing.
   */
  statusIn(stored: readonly string[]): this {
    if (!stored.length) return this.add('#status = :none', { '#status': 'status' }, { ':none': '-' });
    return this.add(
      `#status IN (${stored.map((_, i) => `:st${i}`).join(', ')})`,
      { '#status': 'status' },
      Object.fromEntries(stored.map((status, i) => [`:st${i}`, status])),
    );
  }

  /** The clauses as one filter expression, or undefined when there are none. */
  get filter(): string | undefined {
    return this.clauses.length ? this.clauses.join(' AND ') : undefined;
  }
}

/** The key ID a search names, if it is one: such a search is one GetItem, not a query. */
export function byKeyId(search: string | undefined): string | undefined {
  const id = search?.trim();
  return id && KEY_ID_SHAPE.test(id) ? id : undefined;
}
