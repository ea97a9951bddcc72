import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  BulkChange,
  BulkFailure,
  BulkKeySource,
  BulkPage,
  BulkQuery,
  BulkRun,
  BulkRunStore,
} from '#domain/bulk/bulk-service.ts';
import { RunMovedError } from '#domain/bulk/bulk-service.ts';
import { DAY_MS } from '#domain/keys/key.ts';
import { VersionConflictError } from '#domain/shared/ports.ts';
import { CursorCodec } from './cursor.ts';
import type { DynamoKeyStore } from './dynamo-keys.ts';
import { scopeKeyOf } from './dynamo-keys.ts';
import { byKeyId, KeyClauses, type KeyPlan } from './key-filters.ts';
import { fromItem } from './read-key.ts';
import { INDEX } from './tables.ts';
import { ConditionFailed, isConditionFailure, runTransaction } from './transaction.ts';

type Item = Record<string, unknown>;

/** What a count reads of each key: what `matchesBulk` and a sample need, and the index's keys. */
const MATCH_FIELDS = [
  'keyId',
  'name',
  'description',
  'owner',
  'type',
  'status',
  'scope',
  'scopeKey',
  'roles',
  'rotationDue',
  'createdAt',
  'lastUsedAt',
  'expiresAt',
] as const;

/** DynamoDB's most items in one transaction. */
const MAX_TRANSACTION_ITEMS = 100;
/** How long a run's record is kept, done or not. */
const RUN_RETENTION_DAYS = 30;

interface Plan extends KeyPlan {
  /** The createdAt range (the sort key of every index used), or undefined when it is empty. */
  readonly created: { readonly from: string; readonly to: string } | undefined;
}

/**
 * What each filter costs, by the index that serves it (never a scan):
 * - `owner`: the owner index, that owner's keys only (of every status, revoked ones until TTL);
 * - else `workspaceId` / `organizationId`: the scope index, that workspace's or organization's keys;
 * - else the status index: the `active` partition for `disable`, `active` and `inactive` for
 *   `revoke` (`status` narrows them), i.e. every live key;
 * - `createdBefore`/`createdAfter` (and a run's start) bound the sort key of whichever index:
 *   they cut what is read;
 * - `role`, `type`, `search`, `rotationDue`, `lastUsedBefore` are filter expressions: they cut
 *   what comes back, not what is read;
 * - `search` that is a key ID is one GetItem.
 */
function planOf(query: BulkQuery): Plan {
  const { filter, action } = query;
  const c = new KeyClauses();
  const allowed = action === 'revoke' ? ['active', 'inactive'] : ['active'];
  const wanted =
    filter.status === undefined || filter.status === 'expired'
      ? allowed
      : allowed.filter((s) => s === filter.status);
  let index: string = INDEX.keysByStatus;
  let pk: KeyPlan['pk'] = 'status';
  let partitions: string[] = wanted;
  const scopeKey =
    filter.workspaceId !== undefined
      ? scopeKeyOf({ workspaceId: filter.workspaceId })
      : filter.organizationId !== undefined
        ? scopeKeyOf({ organizationId: filter.organizationId, workspaceIds: '*' })
        : undefined;
  if (filter.owner !== undefined) {
    [index, pk, partitions] = [INDEX.keysByOwner, 'owner', [filter.owner]];
  } else if (scopeKey !== undefined) {
    [index, pk, partitions] = [INDEX.keysByScope, 'scopeKey', [scopeKey]];
  }
  if (pk !== 'status') c.statusIn(wanted);
  if (pk !== 'scopeKey' && scopeKey !== undefined)
    c.add('#scopeKey = :scopeKey', { '#scopeKey': 'scopeKey' }, { ':scopeKey': scopeKey });
  if (filter.type !== undefined) c.type(filter.type);
  else c.notCanary();
  if (filter.role !== undefined) c.role(filter.role);
  if (filter.search !== undefined) c.search(filter.search);
  if (filter.rotationDue !== undefined) c.rotationDue(filter.rotationDue);
  if (filter.lastUsedBefore !== undefined) {
    // A key never used is judged by its creation (the index's sort key, which a filter cannot name).
    c.add(
      '(#lastUsed < :lastUsedBefore OR attribute_not_exists(#lastUsed))',
      { '#lastUsed': 'lastUsedAt' },
      { ':lastUsedBefore': new Date(filter.lastUsedBefore).toISOString() },
    );
  }
  const from = filter.createdAfter !== undefined ? new Date(filter.createdAfter).toISOString() : '0';
  const before =
    filter.createdBefore !== undefined ? new Date(filter.createdBefore).toISOString() : undefined;
  const to = before !== undefined && before < query.createdUpTo ? before : query.createdUpTo;
  return {
    index,
    pk,
    partitions,
    filter: c.filter,
    names: c.names,
    values: c.values,
    created: from <= to ? { from, to } : undefined,
  };
}

/**
 * The kill switch's store: the keys a filter may match, page by page through the index that
 * serves it, and the runs, one record each in the idempotency table (`bulk#<runId>`), whose
 * count and cursor move in the same transactions as the keys they count.
 */
export class DynamoBulkStore implements BulkKeySource, BulkRunStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly keys: DynamoKeyStore,
    private readonly tables: { readonly keys: string; readonly runs: string },
  ) {}

  async page(query: BulkQuery, cursor: string | undefined, only?: 'matching'): Promise<BulkPage> {
    const byId = byKeyId(query.filter.search);
    if (byId) {
      if (cursor !== undefined) return { items: [], next: undefined };
      const record = await this.keys.getKey(byId);
      return { items: record ? [{ record, position: 'id' }] : [], next: undefined };
    }
    const plan = planOf(query);
    const codec = new CursorCodec('keys', plan.index, query, { attribute: plan.pk, values: plan.partitions });
    const start = codec.decode(cursor);
    const partition = start?.partition ?? 0;
    if (!plan.created || partition >= plan.partitions.length) return { items: [], next: undefined };
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tables.keys,
        IndexName: plan.index,
        KeyConditionExpression: '#pk = :pk AND #created BETWEEN :from AND :to',
        FilterExpression: plan.filter,
        ExpressionAttributeNames: {
          ...plan.names,
          '#pk': plan.pk,
          '#created': 'createdAt',
          ...(only ? Object.fromEntries(MATCH_FIELDS.map((f, i) => [`#m${i}`, f])) : {}),
        },
        ExpressionAttributeValues: {
          ...plan.values,
          ':pk': plan.partitions[partition],
          ':from': plan.created.from,
          ':to': plan.created.to,
        },
        ExclusiveStartKey: start?.key,
        Limit: 100,
        ...(only ? { ProjectionExpression: MATCH_FIELDS.map((_, i) => `#m${i}`).join(', ') } : {}),
      }),
    );
    const items = (out.Items ?? []).map((raw) => ({
      record: fromItem(raw),
      position: codec.encode({ partition, key: codec.keyOf(raw) }),
    }));
    const next = out.LastEvaluatedKey
      ? codec.encode({ partition, key: codec.keyOf(out.LastEvaluatedKey) })
      : partition + 1 < plan.partitions.length
        ? codec.encode({ partition: partition + 1, key: undefined })
        : undefined;
    return { items, next };
  }

  async get(runId: string): Promise<BulkRun | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tables.runs, Key: { id: runKey(runId) }, ConsistentRead: true }),
    );
    return out.Item ? toRun(out.Item) : undefined;
  }

  async start(run: BulkRun): Promise<BulkRun> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tables.runs,
          Item: {
            id: runKey(run.runId),
            ...run,
            cursor: undefined,
            expiration: Math.floor((Date.parse(run.startedAt) + RUN_RETENTION_DAYS * DAY_MS) / 1000),
          },
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
      return run;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return (await this.get(run.runId)) as BulkRun;
    }
  }

  /**
   * The changes and the run's move, atomically. A batch too big for one transaction (many owners
   * and roles) goes in several, each counted as it lands; only the last moves the cursor.
   */
  async commit(
    run: BulkRun,
    changes: readonly BulkChange[],
    move: { cursor: string | undefined; failed?: readonly BulkFailure[]; done?: boolean },
  ): Promise<BulkRun> {
    const chunks = this.chunks(changes);
    let affected = run.affected;
    for (const [i, chunk] of chunks.entries()) {
      const last = i === chunks.length - 1;
      const runUpdate = this.runUpdate(run, chunk.length, last ? move : undefined);
      if (!chunk.length) {
        await this.send(() => this.doc.send(new UpdateCommand(runUpdate)), run, chunk);
      } else {
        const items = this.keys.changeItems(
          chunk.map((c) => ({
            current: c.current,
            next: c.next,
            write: { audit: c.audit, slot: c.slot, roleDeltas: c.roleDeltas },
          })),
        );
        await this.send(() => runTransaction(this.doc, [...items, { Update: runUpdate }]), run, chunk);
      }
      affected += chunk.length;
    }
    return {
      ...run,
      affected,
      cursor: move.cursor ?? run.cursor,
      done: move.done ?? run.done,
      failed: move.failed ?? run.failed,
    };
  }

  /** Changes in groups that fit one transaction with the run's update; at least one group. */
  private chunks(changes: readonly BulkChange[]): BulkChange[][] {
    const groups: BulkChange[][] = [[]];
    let counters = new Set<string>();
    let size = 1;
    for (const change of changes) {
      // Each key: its update and audit record, and the counters it adds (owner, roles, pepper version).
      const adds = [
        ...(change.slot ? [`owner:${change.current.owner}`, `pepper:${change.current.pepperVersion}`] : []),
        ...Object.keys(change.roleDeltas).map((role) => `role:${role}`),
      ].filter((counter) => !counters.has(counter));
      const group = groups.at(-1) as BulkChange[];
      if (group.length && size + 2 + adds.length > MAX_TRANSACTION_ITEMS) {
        groups.push([change]);
        counters = new Set(adds);
        size = 1 + 2 + adds.length;
      } else {
        group.push(change);
        for (const counter of adds) counters.add(counter);
        size += 2 + adds.length;
      }
    }
    return groups;
  }

  private runUpdate(
    run: BulkRun,
    count: number,
    move: { cursor: string | undefined; failed?: readonly BulkFailure[]; done?: boolean } | undefined,
  ) {
    const set: string[] = [];
    const names: Record<string, string> = { '#cursor': 'cursor' };
    const values: Record<string, unknown> = { ':n': count };
    if (move?.cursor !== undefined) {
      set.push('#cursor = :next');
      values[':next'] = move.cursor;
    }
    if (move?.done !== undefined) {
      set.push('done = :done');
      values[':done'] = move.done;
    }
    if (move?.failed !== undefined) {
      set.push('failed = :failed');
      values[':failed'] = move.failed;
    }
    if (run.cursor !== undefined) values[':prev'] = run.cursor;
    return {
      TableName: this.tables.runs,
      Key: { id: runKey(run.runId) },
      UpdateExpression: `${set.length ? `SET ${set.join(', ')} ` : ''}ADD affected :n`,
      ConditionExpression: run.cursor === undefined ? 'attribute_not_exists(#cursor)' : '#cursor = :prev',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }

  /** Runs a write and says what a failed condition means: a key changed, or the run moved on. */
  private async send(write: () => Promise<unknown>, run: BulkRun, chunk: readonly BulkChange[]) {
    try {
      await write();
    } catch (error) {
      if (error instanceof ConditionFailed) {
        const key = chunk[error.index];
        if (key && error.index < chunk.length) throw new VersionConflictError(key.current.keyId);
        // Audit records never collide; the counters have no condition but the roles' existence,
        // which a key giving a role up cannot break: what is left is the run's own condition.
        throw new RunMovedError(run.runId);
      }
      if (isConditionFailure(error)) throw new RunMovedError(run.runId);
      throw error;
    }
  }
}

const runKey = (runId: string) => `bulk#${runId}`;

function toRun(item: Item): BulkRun {
  return {
    runId: String(item.runId),
    action: item.action as BulkRun['action'],
    filter: String(item.filter),
    actor: String(item.actor),
    startedAt: String(item.startedAt),
    createdUpTo: String(item.createdUpTo),
    affected: Number(item.affected ?? 0),
    failed: (item.failed as BulkFailure[] | undefined) ?? [],
    cursor: item.cursor === undefined ? undefined : String(item.cursor),
    done: item.done === true,
  };
}
