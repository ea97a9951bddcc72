import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { DAY_MS, effectiveStatus, type KeyRecord, type KeyScope, type KeyStatus } from '#domain/keys/key.ts';
import { type PortalScope, scopeWithin } from '#domain/portal/portal-grant.ts';
import type { ScopedKeyLister, ScopedKeyQuery } from '#domain/portal/portal-keys.ts';
import {
  type AuditEntry,
  type KeyFilter,
  type KeyStore,
  type KeyWrite,
  LimitExceededError,
  type Page,
  RoleMissingError,
  type SlotChange,
  type SweepPage,
  type UnusedKeyIndex,
  VersionConflictError,
} from '#domain/shared/ports.ts';
import { CursorCodec } from './cursor.ts';
import { auditPut } from './dynamo-audit.ts';
import { byKeyId, KeyClauses, type KeyPlan } from './key-filters.ts';
import { pepperDeltas, pepperItems } from './pepper-counts.ts';
import { fromItem, readKey } from './read-key.ts';
import { INDEX } from './tables.ts';
import { ConditionFailed, isConditionFailure, runTransaction, type TransactItems } from './transaction.ts';

export interface TableNames {
  readonly keys: string;
  readonly owners: string;
  readonly audit: string;
  readonly roles: string;
}

export interface DynamoKeyStoreOptions {
  /** How long revoked and expired records stay readable before TTL removes them. @default 30 */
  readonly keyRetentionDays?: number;
  /** How long audit records are kept. @default 400 */
  readonly auditRetentionDays?: number;
}

const SHARD = 'all';

/**
 * What one list request may read before it answers with what it has: 50 queries, about 1 MB of
 * items read, or 250 ms, whichever comes first.
 */
export const LIST_BUDGET = { reads: 50, bytes: 1_048_576, ms: 250 };
type Item = Record<string, unknown>;

const epochSeconds = (iso: string, plusDays: number) =>
  Math.floor((Date.parse(iso) + plusDays * DAY_MS) / 1000);

export class DynamoKeyStore implements KeyStore, UnusedKeyIndex, ScopedKeyLister {
  private readonly keyRetentionDays: number;
  private readonly auditRetentionDays: number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
    options: DynamoKeyStoreOptions = {},
  ) {
    this.keyRetentionDays = options.keyRetentionDays ?? 30;
    this.auditRetentionDays = options.auditRetentionDays ?? 400;
  }

  getKey(keyId: string): Promise<KeyRecord | undefined> {
    return readKey(this.doc, this.tables.keys, keyId);
  }

  /** Readiness: one eventually consistent read of a key that never exists (half a read unit). */
  async ping(): Promise<void> {
    await this.doc.send(new GetCommand({ TableName: this.tables.keys, Key: { keyId: 'healthz' } }));
  }

  async createKey(record: KeyRecord, write: KeyWrite): Promise<void> {
    await this.transact(
      [
        {
          Put: {
            TableName: this.tables.keys,
            Item: this.toItem(record),
            ConditionExpression: 'attribute_not_exists(keyId)',
          },
        },
        ...this.sideItems(record.owner, write),
        ...pepperItems(this.tables.owners, pepperDeltas([undefined, record])),
      ],
      record,
    );
  }

  async updateKey(current: KeyRecord, next: KeyRecord, write: KeyWrite): Promise<void> {
    await this.transact(
      [
        this.versionedUpdate(current, next),
        ...this.sideItems(current.owner, write),
        ...pepperItems(this.tables.owners, pepperDeltas([current, next])),
      ],
      current,
    );
  }

  async rotateKey(current: KeyRecord, old: KeyRecord, successor: KeyRecord, write: KeyWrite): Promise<void> {
    await this.transact(
      [
        this.versionedUpdate(current, old),
        {
          Put: {
            TableName: this.tables.keys,
            Item: this.toItem(successor),
            ConditionExpression: 'attribute_not_exists(keyId)',
          },
        },
        ...this.sideItems(current.owner, write),
        ...pepperItems(this.tables.owners, pepperDeltas([current, old], [undefined, successor])),
      ],
      current,
    );
  }

  async rotationDue(asOf: string, cursor: string | undefined): Promise<SweepPage> {
    return this.sweepQuery(INDEX.keysRotationSweep, 'rotationShard', 'rotationSweepAt', asOf, cursor);
  }

  async expiring(before: string, cursor: string | undefined): Promise<SweepPage> {
    return this.sweepQuery(INDEX.keysExpirySweep, 'expiryShard', 'expirySweepAt', before, cursor);
  }

  async unusedSince(before: string, cursor: string | undefined): Promise<SweepPage> {
    return this.sweepQuery(INDEX.keysUnusedSweep, 'unusedShard', 'unusedSweepAt', before, cursor);
  }

  /** Superseded keys whose "still in use" check is due by `asOf`, from the sparse index. */
  async graceChecksDue(asOf: string, cursor: string | undefined): Promise<SweepPage> {
    return this.sweepQuery(INDEX.keysGraceCheck, 'graceShard', 'graceCheckAt', asOf, cursor);
  }

  /** Records that the check ran for the grace ending at `end`, if the key is still `current.version`: bookkeeping (no audit, no version). */
  async graceChecked(current: KeyRecord, end: string): Promise<void> {
    await this.bookkeep(current, 'SET graceCheckedFor = :end REMOVE graceShard', { ':end': end });
  }

  async recheckUnused(current: KeyRecord, at: string): Promise<void> {
    await this.bookkeep(current, 'SET unusedCheckAt = :at, unusedSweepAt = :at', { ':at': at });
  }

  /**
   * A sweep's bookkeeping on a key, if it is still `current.version`: no audit record, no new
   * version. VersionConflictError when the key changed meanwhile.
   */
  private async bookkeep(current: KeyRecord, update: string, values: Record<string, unknown>): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.keys,
          Key: { keyId: current.keyId },
          UpdateExpression: update,
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ...values, ':expected': current.version },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new VersionConflictError(current.keyId);
      throw error;
    }
  }

  /** One page of a sparse sweep index, oldest first; reads only the items that are due. */
  private async sweepQuery(
    index: string,
    shard: string,
    sortKey: string,
    upTo: string,
    cursor: string | undefined,
  ) {
    const codec = new CursorCodec('keys', index, upTo, { attribute: shard, values: [SHARD] });
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tables.keys,
        IndexName: index,
        KeyConditionExpression: '#shard = :shard AND #at <= :upTo',
        ExpressionAttributeNames: { '#shard': shard, '#at': sortKey },
        ExpressionAttributeValues: { ':shard': SHARD, ':upTo': upTo },
        ExclusiveStartKey: codec.decode(cursor)?.key,
        Limit: 100,
      }),
    );
    return {
      items: (out.Items ?? []).map(fromItem),
      nextCursor: out.LastEvaluatedKey
        ? codec.encode({ partition: 0, key: codec.keyOf(out.LastEvaluatedKey) })
        : undefined,
      itemsRead: out.ScannedCount ?? out.Items?.length ?? 0,
    };
  }

  /**
   * The transaction items of several key changes at once (a kill switch's batch): each key's
   * versioned update first, in order, then each audit record, then the owner, role and pepper
   * counters, merged (a transaction may touch an item once). Only slots given back are merged.
   */
  changeItems(changes: readonly { current: KeyRecord; next: KeyRecord; write: KeyWrite }[]): TransactItems {
    const released = new Map<string, number>();
    const roles: Record<string, number> = {};
    for (const { current, write } of changes) {
      if (write.slot?.kind === 'acquire') throw new Error('changeItems: a slot acquired is not merged');
      if (write.slot) released.set(current.owner, (released.get(current.owner) ?? 0) + 1);
      for (const [role, delta] of Object.entries(write.roleDeltas ?? {}))
        roles[role] = (roles[role] ?? 0) + delta;
    }
    return [
      ...changes.map((c) => this.versionedUpdate(c.current, c.next)),
      ...changes.map((c) => this.auditItem(c.write.audit)),
      ...[...released].map(([owner, count]) => ({
        Update: {
          TableName: this.tables.owners,
          Key: { owner },
          UpdateExpression: 'ADD activeKeys :minus',
          ExpressionAttributeValues: { ':minus': -count },
        },
      })),
      ...this.roleItems(roles),
      ...pepperItems(this.tables.owners, pepperDeltas(...changes.map((c) => [c.current, c.next] as const))),
    ];
  }

  /** The change from `current` to `next` as one Update: changed attributes set, vanished ones removed. */
  private versionedUpdate(current: KeyRecord, next: KeyRecord) {
    const before = this.toItem(current);
    const after = this.toItem(next);
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = { ':expected': current.version };
    const set: string[] = [];
    const remove: string[] = [];
    let n = 0;
    for (const attr of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (attr === 'keyId' || JSON.stringify(before[attr]) === JSON.stringify(after[attr])) continue;
      const name = `#a${n}`;
      names[name] = attr;
      if (after[attr] === undefined) remove.push(name);
      else {
        values[`:v${n}`] = after[attr];
        set.push(`${name} = :v${n}`);
      }
      n++;
    }
    const expression = [
      set.length ? `SET ${set.join(', ')}` : '',
      remove.length ? `REMOVE ${remove.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    return {
      Update: {
        TableName: this.tables.keys,
        Key: { keyId: current.keyId },
        UpdateExpression: expression,
        ConditionExpression: '#version = :expected',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }

  /** The owner counter, role counts and audit record that go with a key write. */
  private sideItems(owner: string, write: KeyWrite): TransactItems {
    return [
      ...this.slotItems(owner, write.slot),
      ...this.roleItems(write.roleDeltas),
      this.auditItem(write.audit),
    ];
  }

  async deleteKey(current: KeyRecord, write: KeyWrite): Promise<void> {
    await this.transact(
      [
        {
          Delete: {
            TableName: this.tables.keys,
            Key: { keyId: current.keyId },
            ConditionExpression: '#version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': current.version },
          },
        },
        ...this.sideItems(current.owner, write),
        ...pepperItems(this.tables.owners, pepperDeltas([current, undefined])),
      ],
      current,
    );
  }

  /**
   * One page of keys. A page keeps reading until it holds `limit` items or the index is
   * exhausted, within a budget per request (LIST_BUDGET); when the budget runs out first it
   * answers what it has with `truncated: true` and a cursor that carries on. A search for a key
   * ID is one GetItem.
   */
  async listKeys(
    filter: KeyFilter,
    limit: number,
    cursor: string | undefined,
    now: Date,
  ): Promise<Page<KeyRecord>> {
    const byId = byKeyId(filter.search);
    if (byId) {
      const found = cursor === undefined ? await this.getKey(byId) : undefined;
      return { items: found && matches(found, filter, now) ? [found] : [], nextCursor: null };
    }
    return this.readPlan(listPlan(filter, now), filter, limit, cursor);
  }

  /**
   * The keys of a portal session's scope, through the scope index: the scope's workspace and
   * organization partitions, never a scan. Organization keys whose workspaces reach outside the
   * session's are skipped here (a filter expression cannot tell).
   */
  async listInScope(
    query: ScopedKeyQuery,
    limit: number,
    cursor: string | undefined,
    now: Date,
  ): Promise<Page<KeyRecord>> {
    const c = listClauses({ search: query.search, status: query.status }, now).notCanary();
    if (query.personalOwner !== undefined)
      c.add(
        '(#type = :service OR #owner = :owner)',
        { '#owner': 'owner' },
        { ':service': 'service', ':owner': query.personalOwner },
      );
    // The status index's partitions select a stored status; on the scope index the filter does.
    if (query.status) c.statusIn(query.status === 'expired' ? ['active', 'inactive'] : [query.status]);
    return this.readPlan(
      {
        index: INDEX.keysByScope,
        pk: 'scopeKey',
        partitions: scopePartitions(query.scope),
        filter: c.filter,
        names: c.names,
        values: c.values,
      },
      query,
      limit,
      cursor,
      (record) => scopeWithin(query.scope, record.scope),
    );
  }

  /**
   * One page of a list plan. A page keeps reading until it holds `limit` items or the index is
   * exhausted, within a budget per request (LIST_BUDGET); when the budget runs out first it
   * answers what it has with `truncated: true` and a cursor that carries on.
   */
  private async readPlan(
    plan: KeyPlan,
    query: unknown,
    limit: number,
    cursor: string | undefined,
    accept: (record: KeyRecord) => boolean = () => true,
  ): Promise<Page<KeyRecord>> {
    const codec = new CursorCodec('keys', plan.index, query, {
      attribute: plan.pk,
      values: plan.partitions,
    });
    const start = codec.decode(cursor);
    const items: KeyRecord[] = [];
    let partition = start?.partition ?? 0;
    let startKey: Item | undefined = start?.key;
    const started = Date.now();
    let bytes = 0;
    for (let reads = 0; partition < plan.partitions.length; reads++) {
      if (
        reads >= LIST_BUDGET.reads ||
        bytes >= LIST_BUDGET.bytes ||
        Date.now() - started >= LIST_BUDGET.ms
      ) {
        return {
          items,
          nextCursor: codec.encode({ partition, key: startKey as Record<string, string> | undefined }),
          truncated: true,
        };
      }
      const input: QueryCommandInput = {
        TableName: this.tables.keys,
        IndexName: plan.index,
        KeyConditionExpression: '#pk = :pk',
        ScanIndexForward: false,
        Limit: 100,
        ExclusiveStartKey: startKey,
        ExpressionAttributeNames: { '#pk': plan.pk, ...plan.names },
        ExpressionAttributeValues: { ':pk': plan.partitions[partition], ...plan.values },
        FilterExpression: plan.filter,
        ReturnConsumedCapacity: 'TOTAL',
      };
      const out = await this.doc.send(new QueryCommand(input));
      // An eventually consistent read unit covers 8 KB of what the query read.
      bytes += (out.ConsumedCapacity?.CapacityUnits ?? 0) * 8192;
      for (const raw of out.Items ?? []) {
        const record = fromItem(raw);
        if (!accept(record)) continue;
        items.push(record);
        if (items.length === limit) {
          const hasMore =
            raw !== out.Items?.at(-1) || out.LastEvaluatedKey || partition + 1 < plan.partitions.length;
          return { items, nextCursor: hasMore ? codec.encode({ partition, key: codec.keyOf(raw) }) : null };
        }
      }
      if (out.LastEvaluatedKey) startKey = out.LastEvaluatedKey;
      else {
        partition++;
        startKey = undefined;
      }
    }
    return { items, nextCursor: null };
  }

  /** The item stored for a record: its fields plus the derived search, TTL and sparse-index attributes. */
  toItem(record: KeyRecord): Item {
    const item: Item = {};
    for (const [k, v] of Object.entries(record)) if (v !== undefined && v !== null) item[k] = v;
    item.searchText = `${record.name} ${record.keyId} ${record.description ?? ''}`.toLowerCase();
    item.scopeKey = scopeKeyOf(record.scope);
    // The owner filter matches any part of the owner, in any case: a lower-case copy where it differs.
    if (record.owner !== record.owner.toLowerCase()) item.ownerText = record.owner.toLowerCase();
    if (record.status === 'revoked' && record.revokedAt)
      item.ttl = epochSeconds(record.revokedAt, this.keyRetentionDays);
    else if (record.expiresAt) item.ttl = epochSeconds(record.expiresAt, this.keyRetentionDays);
    // Sparse rotation index: active keys waiting to be flagged, or flagged and waiting for a reminder.
    const nextRotationCheck = record.rotationDue ? record.rotationReminderAt : record.rotationDueAt;
    // (An expired key leaves it once the sweep has given its slot back.)
    // A canary is never used, so never reminded to rotate.
    if (
      record.status === 'active' &&
      record.slotHeld &&
      !record.rotatedTo &&
      record.type !== 'canary' &&
      nextRotationCheck
    ) {
      item.rotationShard = SHARD;
      item.rotationSweepAt = nextRotationCheck;
    }
    // Sparse unused index: active keys, by when to look again (never later than their last use;
    // lastUsedAt moves on without this attribute, so it is a lower bound the sweep catches up).
    // A canary is never used by design: it gets no "unused" notice either.
    if (record.status === 'active' && record.slotHeld && !record.rotatedTo && record.type !== 'canary') {
      item.unusedShard = SHARD;
      item.unusedSweepAt = record.unusedCheckAt ?? record.lastUsedAt ?? record.createdAt;
    }
    // Sparse grace index: a superseded key in its grace, until its "still in use" check has run for its end.
    if (
      record.status !== 'revoked' &&
      record.rotatedTo &&
      record.graceCheckAt &&
      record.expiresAt &&
      record.graceCheckedFor !== record.expiresAt
    ) {
      item.graceShard = SHARD;
    }
    // Sparse expiry index: keys with an expiry that still hold an owner slot or await their notice.
    if (record.expiresAt && record.status !== 'revoked' && (record.slotHeld || !record.expiryNoticeSent)) {
      item.expiryShard = SHARD;
      item.expirySweepAt = record.expiresAt;
    }
    return item;
  }

  private slotItems(owner: string, slot: SlotChange | undefined): TransactItems {
    if (!slot) return [];
    if (slot.kind === 'acquire') {
      return [
        {
          Update: {
            TableName: this.tables.owners,
            Key: { owner },
            UpdateExpression: 'SET activeKeys = if_not_exists(activeKeys, :zero) + :one',
            ConditionExpression: 'attribute_not_exists(activeKeys) OR activeKeys < :limit',
            ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':limit': slot.limit },
          },
        },
      ];
    }
    return [
      {
        Update: {
          TableName: this.tables.owners,
          Key: { owner },
          UpdateExpression: 'ADD activeKeys :minusOne',
          ExpressionAttributeValues: { ':minusOne': -1 },
        },
      },
    ];
  }

  private roleItems(deltas: KeyWrite['roleDeltas']): TransactItems {
    return Object.entries(deltas ?? {})
      .filter(([, delta]) => delta !== 0)
      .map(([name, delta]) => ({
        Update: {
          TableName: this.tables.roles,
          Key: { name },
          UpdateExpression: 'ADD keyCount :delta',
          // A role a key starts using must exist; one it stops using cannot have gone (its count held it).
          ConditionExpression: 'attribute_exists(#name)',
          ExpressionAttributeNames: { '#name': 'name' },
          ExpressionAttributeValues: { ':delta': delta },
        },
      }));
  }

  private auditItem(entry: AuditEntry) {
    return auditPut(this.tables.audit, entry, this.auditRetentionDays);
  }

  /** Runs the transaction and maps a failed condition to what it means here. */
  private async transact(items: TransactItems, subject: Pick<KeyRecord, 'keyId' | 'owner'>): Promise<void> {
    try {
      await runTransaction(this.doc, items);
    } catch (error) {
      if (!(error instanceof ConditionFailed)) throw error;
      if (error.index === 0) throw new VersionConflictError(subject.keyId);
      const update = items[error.index]?.Update;
      if (update?.TableName === this.tables.owners) {
        throw new LimitExceededError(subject.owner, Number(update.ExpressionAttributeValues?.[':limit']));
      }
      if (update?.TableName === this.tables.roles) throw new RoleMissingError(String(update.Key?.name));
      throw error;
    }
  }
}

/** The list filters, applied to one record (the key-ID search reads it directly). */
function matches(record: KeyRecord, filter: KeyFilter, now: Date): boolean {
  return (
    (filter.owner === undefined || record.owner.toLowerCase().includes(filter.owner.toLowerCase())) &&
    (filter.role === undefined || record.roles.includes(filter.role)) &&
    (filter.status === undefined || effectiveStatus(record, now) === filter.status) &&
    (filter.type === undefined || record.type === filter.type) &&
    (filter.rotationDue === undefined || record.rotationDue === filter.rotationDue)
  );
}

/** The scope index's partition of a key: its workspace, or its organization. */
export const scopeKeyOf = (scope: KeyScope) =>
  'workspaceId' in scope ? `ws#${scope.workspaceId}` : `org#${scope.organizationId}`;

/** The scope-index partitions that hold every key a portal scope can contain. */
function scopePartitions(scope: PortalScope): string[] {
  if ('workspaceId' in scope) return [scopeKeyOf(scope)];
  const workspaces = scope.workspaceIds === '*' ? [] : scope.workspaceIds;
  return [`org#${scope.organizationId}`, ...workspaces.map((workspaceId) => scopeKeyOf({ workspaceId }))];
}

/**
 * Picks the status index (never a scan) and builds the filter for everything its partition does
 * not select. Search and owner both match any part of the text, in any case, as a filter: an
 * owner's keys are never read through the owner index, which only an exact owner could use.
 */
function listPlan(filter: KeyFilter, now: Date): KeyPlan {
  const stored: Record<KeyStatus, string[]> = {
    active: ['active'],
    inactive: ['inactive'],
    revoked: ['revoked'],
    expired: ['active', 'inactive'],
  };
  const c = listClauses(filter, now);
  return {
    index: INDEX.keysByStatus,
    pk: 'status',
    partitions: filter.status ? stored[filter.status] : ['active', 'inactive', 'revoked'],
    filter: c.filter,
    names: c.names,
    values: c.values,
  };
}

/** The list filters a status partition does not select, as filter clauses. */
function listClauses(filter: KeyFilter, now: Date): KeyClauses {
  const c = new KeyClauses();
  // The partition selects the stored status (a filter may not name a key attribute). Expiry is
  // derived, so it is always filtered.
  if (filter.status && filter.status !== 'revoked')
    c.add(
      filter.status === 'expired'
        ? '#expiresAt <= :now'
        : '(attribute_not_exists(#expiresAt) OR #expiresAt > :now)',
      { '#expiresAt': 'expiresAt' },
      { ':now': now.toISOString() },
    );
  if (filter.search) c.search(filter.search);
  if (filter.owner)
    c.add(
      '(contains(#owner, :owner) OR contains(#ownerText, :owner))',
      { '#owner': 'owner', '#ownerText': 'ownerText' },
      { ':owner': filter.owner.toLowerCase() },
    );
  if (filter.role) c.role(filter.role);
  if (filter.type) c.type(filter.type);
  if (filter.rotationDue !== undefined) c.rotationDue(filter.rotationDue);
  return c;
}
