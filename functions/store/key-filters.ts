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

/** A filter expression as it is built: its clauses (all must hold) and the names and values they use. */
export interface Clauses {
  readonly names: Record<string, string>;
  readonly values: Record<string, unknown>;
  readonly clauses: string[];
}

export const newClauses = (): Clauses => ({ names: {}, values: {}, clauses: [] });

/** The clauses as one filter expression, or undefined when there are none. */
export const filterOf = (c: Clauses): string | undefined =>
  c.clauses.length ? c.clauses.join(' AND ') : undefined;

/** Name, key ID or description contains the text, in any case (the stored `searchText` is lower-case). */
export function searchClause(c: Clauses, search: string): void {
  c.names['#search'] = 'searchText';
  c.values[':search'] = search.toLowerCase();
  c.clauses.push('contains(#search, :search)');
}

export function roleClause(c: Clauses, role: string): void {
  c.names['#roles'] = 'roles';
  c.values[':role'] = role;
  c.clauses.push('contains(#roles, :role)');
}

export function typeClause(c: Clauses, type: string): void {
  c.names['#type'] = 'type';
  c.values[':type'] = type;
  c.clauses.push('#type = :type');
}

/** Every type but `canary`: what a filter that names no type means where a canary must stay armed. */
export function notCanaryClause(c: Clauses): void {
  c.names['#type'] = 'type';
  c.values[':canary'] = 'canary';
  c.clauses.push('#type <> :canary');
}

export function rotationDueClause(c: Clauses, due: boolean): void {
  c.names['#rotationDue'] = 'rotationDue';
  c.values[':rotationDue'] = due;
  c.clauses.push('#rotationDue = :rotationDue');
}

/**
 * The stored status is one of `stored`, where the index's partitions do not select it (an index
 * not keyed by status). An empty set matches nothing.
 */
export function statusIn(c: Clauses, stored: readonly string[]): void {
  c.names['#status'] = 'status';
  if (!stored.length) {
    c.values[':none'] = '-';
    c.clauses.push('#status = :none');
    return;
  }
  stored.forEach((status, i) => {
    c.values[`:st${i}`] = status;
  });
  c.clauses.push(`#status IN (${stored.map((_, i) => `:st${i}`).join(', ')})`);
}

/** The key ID a search names, if it is one: such a search is one GetItem, not a query. */
export function byKeyId(search: string | undefined): string | undefined {
  const id = search?.trim();
  return id && KEY_ID_SHAPE.test(id) ? id : undefined;
}
