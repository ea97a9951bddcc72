import { auditEntry } from '#domain/audit/audit-entry.ts';
import {
  type DetailType,
  eventForAction,
  keyEvent,
  type LatchkeyEvent,
  publishQuietly,
} from '#domain/events/lifecycle-events.ts';
import { effectiveStatus, type KeyRecord, lastActivity, toApiKey } from '#domain/keys/key.ts';
import { diff, roleDeltas } from '#domain/keys/key-service.ts';
import type { PepperSet } from '#domain/keys/secret-hash.ts';
import type { UsagePlanKeys } from '#domain/plans/usage-plan-keys.ts';
import { ApiError } from '#domain/shared/errors.ts';
import type { AuditEntry, EventPublisher, SlotChange } from '#domain/shared/ports.ts';
import { VersionConflictError } from '#domain/shared/ports.ts';
import type { RequestContext } from '#domain/shared/request-context.ts';
import {
  BULK_SAMPLE_SIZE,
  type BulkAction,
  type BulkBody,
  type BulkDryRunAnswer,
  type BulkFilter,
  type BulkRunAnswer,
  type BulkSampleKey,
} from './bulk-schemas.ts';
import { CONFIRM_TTL_MS, filterDigest, issueConfirm, readConfirm, runIdOf } from './confirm-token.ts';

/** What the store is asked for: the filter, the action, and the newest creation time a run acts on. */
export interface BulkQuery {
  readonly filter: BulkFilter;
  readonly action: BulkAction;
  /** Keys created after this are left alone: a run acts on what existed when it started. */
  readonly createdUpTo: string;
}

/** One key the store read, and where a later page starts if the run stops after it. */
export interface BulkItem {
  readonly record: KeyRecord;
  readonly position: string;
}

export interface BulkPage {
  readonly items: readonly BulkItem[];
  /** Where the next page starts; undefined once every candidate has been read. */
  readonly next: string | undefined;
}

/**
 * The keys a filter may match, read through the index that serves it (never a scan where an index
 * serves). A page may hold keys the filter does not match (what an index cannot select):
 * `matchesBulk` decides.
 */
export interface BulkKeySource {
  /** `matching`: only what `matchesBulk` and a sample read of each key (a count), not the whole record. */
  page(query: BulkQuery, cursor: string | undefined, only?: 'matching'): Promise<BulkPage>;
}

/** One key's change within a run: the record before and after, its audit record, its counters. */
export interface BulkChange {
  readonly current: KeyRecord;
  readonly next: KeyRecord;
  readonly audit: AuditEntry;
  readonly slot?: SlotChange;
  readonly roleDeltas: Readonly<Record<string, number>>;
}

export interface BulkFailure {
  readonly keyId: string;
  readonly message: string;
}

/** A run as stored: what it acts on, how far it got, what it did. */
export interface BulkRun {
  readonly runId: string;
  readonly action: BulkAction;
  readonly filter: string;
  readonly actor: string;
  readonly startedAt: string;
  readonly createdUpTo: string;
  readonly affected: number;
  readonly failed: readonly BulkFailure[];
  /** The position after the last key the run has dealt with; undefined before the first. */
  readonly cursor: string | undefined;
  readonly done: boolean;
}

/** Another call of the same run moved it on first: read it again and carry on from there. */
export class RunMovedError extends Error {
  constructor(readonly runId: string) {
    super(`bulk run ${runId} moved on concurrently`);
    this.name = 'RunMovedError';
  }
}

/**
 * Where runs are kept (a record per run). `commit` writes the keys' changes, their audit records
 * and counters, the run's count and its new cursor in one transaction, only if the run's cursor
 * is still `run.cursor`: a change is counted exactly when it lands, and two calls of one run
 * never act on the same key. VersionConflictError names a key that changed meanwhile;
 * RunMovedError, a run another call moved on.
 */
export interface BulkRunStore {
  get(runId: string): Promise<BulkRun | undefined>;
  /** Stores a new run; the run already stored under its ID if there is one. */
  start(run: BulkRun): Promise<BulkRun>;
  commit(
    run: BulkRun,
    changes: readonly BulkChange[],
    move: { cursor: string | undefined; failed?: readonly BulkFailure[]; done?: boolean },
  ): Promise<BulkRun>;
}

export interface BulkDeps {
  readonly keys: BulkKeySource;
  readonly runs: BulkRunStore;
  /** Re-reads one key (strongly consistent) when a batch meets a concurrent change. */
  readonly getKey: (keyId: string) => Promise<KeyRecord | undefined>;
  readonly peppers: () => Promise<PepperSet>;
  readonly events: EventPublisher;
  readonly now: () => Date;
  /** How long one call may work before it answers `done: false` (API Gateway waits 29 s). */
  readonly budgetMs: number;
  /** Keys changed per transaction. @default 25 */
  readonly batchSize?: number;
  readonly onEventError?: (error: unknown) => void;
  /**
   * Usage plan mode `perKey`: each changed key's API Gateway key brought in line once its change
   * has landed, as after a single revoke or disable (a revoked key's is removed at once). @default none
   */
  readonly usageKeys?: Pick<UsagePlanKeys, 'reconcile'>;
}

/** A run may start with at most this much more matching than its dry run saw. */
export const GROWTH_ALLOWED = 0.1;
const MAX_FAILURES_KEPT = 1000;

/**
 * Whether a key is one a filter and action select, at `now`. The store narrows what it reads
 * with its indexes and filter expressions; this is the rule.
 */
export function matchesBulk(record: KeyRecord, query: BulkQuery, now: Date): boolean {
  const { filter, action } = query;
  const status = effectiveStatus(record, now);
  if (record.status === 'revoked') return false;
  if (action === 'disable' && record.status !== 'active') return false;
  if (filter.status !== undefined && status !== filter.status) return false;
  if (filter.type === undefined ? record.type === 'canary' : record.type !== filter.type) return false;
  if (record.createdAt > query.createdUpTo) return false;
  if (filter.owner !== undefined && record.owner !== filter.owner) return false;
  if (filter.role !== undefined && !record.roles.includes(filter.role)) return false;
  if (
    filter.workspaceId !== undefined &&
    !('workspaceId' in record.scope && record.scope.workspaceId === filter.workspaceId)
  )
    return false;
  if (
    filter.organizationId !== undefined &&
    !('organizationId' in record.scope && record.scope.organizationId === filter.organizationId)
  )
    return false;
  if (filter.rotationDue !== undefined && record.rotationDue !== filter.rotationDue) return false;
  const created = Date.parse(record.createdAt);
  if (filter.createdBefore !== undefined && !(created < Date.parse(filter.createdBefore))) return false;
  if (filter.createdAfter !== undefined && !(created > Date.parse(filter.createdAfter))) return false;
  // Never used counts from creation, as dormancy does.
  const lastActive = Date.parse(lastActivity(record));
  if (filter.lastUsedBefore !== undefined && !(lastActive < Date.parse(filter.lastUsedBefore))) return false;
  if (filter.search !== undefined) {
    const text = `${record.name} ${record.keyId} ${record.description ?? ''}`.toLowerCase();
    if (!text.includes(filter.search.toLowerCase())) return false;
  }
  return true;
}

const sampleOf = (record: KeyRecord, now: Date): BulkSampleKey => ({
  keyId: record.keyId,
  name: record.name,
  owner: record.owner,
  type: record.type,
  status: effectiveStatus(record, now),
  createdAt: record.createdAt,
  lastUsedAt: record.lastUsedAt,
});

/**
 * The kill switch: every key a filter matches, revoked or disabled, after a dry run. Each key
 * gets its own audit record and lifecycle event, as if acted on alone. A run is a record (keyed
 * by its token), so it can stop (a fault, the call's time budget) and carry on with none left
 * behind and none done twice: its changes and its cursor move in the same transactions.
 */
export class BulkService {
  constructor(private readonly deps: BulkDeps) {}

  async handle(body: BulkBody, ctx: RequestContext): Promise<BulkDryRunAnswer | BulkRunAnswer> {
    return body.dryRun ? this.dryRun(body) : this.run(body, ctx);
  }

  private async dryRun(body: BulkBody): Promise<BulkDryRunAnswer> {
    const now = this.deps.now();
    const query = { filter: body.filter, action: body.action, createdUpTo: now.toISOString() };
    const sample: BulkSampleKey[] = [];
    const matched = await this.count(query, now, (record) => {
      if (sample.length < BULK_SAMPLE_SIZE) sample.push(sampleOf(record, now));
    });
    const confirm = issueConfirm(
      { action: body.action, filter: filterDigest(body.filter), matched, issuedAt: now.toISOString() },
      await this.deps.peppers(),
    );
    return {
      dryRun: true,
      action: body.action,
      matched,
      sample,
      confirm,
      confirmExpiresAt: new Date(now.getTime() + CONFIRM_TTL_MS).toISOString(),
    };
  }

  private async run(body: BulkBody, ctx: RequestContext): Promise<BulkRunAnswer> {
    const started = Date.now();
    const token = body.confirm as string;
    const claims = readConfirm(token, await this.deps.peppers());
    if (!claims) throw confirmRefused('is not a token a dry run of this service issued');
    if (claims.action !== body.action || claims.filter !== filterDigest(body.filter))
      throw confirmRefused(
        `was issued for another ${claims.action !== body.action ? `action (${claims.action})` : 'filter'}; make a dry run of this one`,
      );
    const runId = runIdOf(token);
    let run = await this.deps.runs.get(runId);
    if (!run) run = await this.begin(runId, claims, body, ctx);
    const query: BulkQuery = { filter: body.filter, action: body.action, createdUpTo: run.createdUpTo };
    while (!run.done && Date.now() - started < this.deps.budgetMs) {
      try {
        run = await this.step(run, query, ctx);
      } catch (error) {
        if (!(error instanceof RunMovedError)) throw error;
        run = (await this.deps.runs.get(runId)) as BulkRun;
      }
    }
    return {
      dryRun: false,
      action: run.action,
      runId,
      affected: run.affected,
      failed: [...run.failed],
      done: run.done,
    };
  }

  /** A run's first call: the token must be fresh and the match set must not have grown much. */
  private async begin(
    runId: string,
    claims: { matched: number; issuedAt: string },
    body: BulkBody,
    ctx: RequestContext,
  ): Promise<BulkRun> {
    const now = this.deps.now();
    const age = now.getTime() - Date.parse(claims.issuedAt);
    if (age > CONFIRM_TTL_MS)
      throw confirmRefused(
        `is stale: its dry run was at ${claims.issuedAt}, more than ${CONFIRM_TTL_MS / 60_000} minutes ago; make a dry run again`,
      );
    const createdUpTo = now.toISOString();
    const current = await this.count({ filter: body.filter, action: body.action, createdUpTo }, now);
    if (current > claims.matched * (1 + GROWTH_ALLOWED))
      throw new ApiError(
        'CONFLICT',
        `${current} keys match now, ${claims.matched} did at the dry run: more than ${GROWTH_ALLOWED * 100}% more; make a dry run again and check what changed`,
      );
    return this.deps.runs.start({
      runId,
      action: body.action,
      filter: filterDigest(body.filter),
      actor: ctx.actor,
      startedAt: createdUpTo,
      createdUpTo,
      affected: 0,
      failed: [],
      cursor: undefined,
      done: false,
    });
  }

  private async count(query: BulkQuery, now: Date, each?: (record: KeyRecord) => void): Promise<number> {
    let matched = 0;
    let cursor: string | undefined;
    do {
      const page = await this.deps.keys.page(query, cursor, 'matching');
      for (const { record } of page.items) {
        if (!matchesBulk(record, query, now)) continue;
        matched++;
        each?.(record);
      }
      cursor = page.next;
    } while (cursor);
    return matched;
  }

  /** One page of candidates, acted on in batches; the run as it stands after them. */
  private async step(run: BulkRun, query: BulkQuery, ctx: RequestContext): Promise<BulkRun> {
    const page = await this.deps.keys.page(query, run.cursor);
    const now = this.deps.now();
    const size = this.deps.batchSize ?? 25;
    let current = run;
    let batch: BulkItem[] = [];
    // A batch's events go out while the next batch commits; the page ends when all are out.
    const announcing: Promise<void>[] = [];
    const flush = async (cursor: string | undefined, done: boolean) => {
      current = await this.commitBatch(current, query, batch, { cursor, done }, ctx, announcing);
      batch = [];
    };
    for (const item of page.items) {
      if (!matchesBulk(item.record, query, now)) continue;
      batch.push(item);
      if (batch.length === size) await flush(item.position, false);
    }
    // The page's end: what is left of the batch, and the cursor past the keys that did not match.
    await flush(page.next, page.next === undefined);
    await Promise.all(announcing);
    return current;
  }

  /** A key's change within the run: its audit record names the run (`bulkRun`) beside the caller. */
  private change(record: KeyRecord, run: BulkRun, ctx: RequestContext): BulkChange {
    const { action } = run;
    const now = this.deps.now();
    const at = now.toISOString();
    const next: KeyRecord =
      action === 'revoke'
        ? { ...record, status: 'revoked', revokedAt: at, slotHeld: false }
        : { ...record, status: 'inactive' };
    next.updatedAt = at;
    next.version = record.version + 1;
    const changes = diff(toApiKey(record, now), toApiKey(next, now));
    return {
      current: record,
      next,
      audit: auditEntry(
        { ...ctx, auditContext: { ...ctx.auditContext, bulkRun: run.runId } },
        at,
        action === 'revoke' ? 'key.revoked' : 'key.disabled',
        { keyId: record.keyId },
        changes,
      ),
      slot: record.slotHeld && !next.slotHeld ? { kind: 'release' } : undefined,
      roleDeltas: roleDeltas(record, next),
    };
  }

  /**
   * Commits a batch with the run's new cursor. When a key in it changed meanwhile, the batch is
   * done key by key on fresh reads (each counted as it lands), and the cursor moves after.
   */
  private async commitBatch(
    run: BulkRun,
    query: BulkQuery,
    items: readonly BulkItem[],
    move: { cursor: string | undefined; done: boolean },
    ctx: RequestContext,
    announcing: Promise<void>[],
  ): Promise<BulkRun> {
    const changes = items.map((item) => this.change(item.record, run, ctx));
    try {
      const moved = await this.deps.runs.commit(run, changes, move);
      announcing.push(this.landed(changes, run, ctx));
      return moved;
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
    }
    let current = run;
    const failed: BulkFailure[] = [];
    for (const item of items) current = await this.one(current, query, item.record.keyId, failed, ctx);
    return this.deps.runs.commit(current, [], {
      ...move,
      failed: [...current.failed, ...failed].slice(0, MAX_FAILURES_KEPT),
    });
  }

  /** One key on a fresh read, retried while it keeps changing; a key no longer matching is left. */
  private async one(
    run: BulkRun,
    query: BulkQuery,
    keyId: string,
    failed: BulkFailure[],
    ctx: RequestContext,
  ): Promise<BulkRun> {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const record = await this.deps.getKey(keyId);
      // Gone, revoked, already disabled or no longer matching meanwhile: nothing to do.
      if (!record || !matchesBulk(record, query, this.deps.now())) return run;
      const change = this.change(record, run, ctx);
      try {
        const moved = await this.deps.runs.commit(run, [change], { cursor: run.cursor });
        await this.landed([change], run, ctx);
        return moved;
      } catch (error) {
        if (!(error instanceof VersionConflictError)) throw error;
      }
    }
    failed.push({ keyId, message: 'the key kept changing while the run acted on it; act on it alone' });
    return run;
  }

  /**
   * What follows changes that landed, key by key as after a single revoke or disable: each key's
   * own event, then (perKey) its API Gateway key brought in line, under the caller's context (that
   * record is not one of the run's). Failures are reported, not thrown: the changes stand, and the
   * sweep's repair finishes what an API Gateway call left.
   */
  private async landed(changes: readonly BulkChange[], run: BulkRun, ctx: RequestContext) {
    await this.announce(changes, run, ctx);
    const usageKeys = this.deps.usageKeys;
    if (!usageKeys) return;
    // A key with neither a plan nor an API key has nothing to bring in line.
    for (const { next } of changes)
      if (next.plan !== undefined || next.usageKeyId !== undefined)
        await usageKeys.reconcile(next.keyId, ctx);
  }

  private async announce(changes: readonly BulkChange[], run: BulkRun, ctx: RequestContext) {
    if (!changes.length) return;
    const now = this.deps.now();
    const events: LatchkeyEvent[] = changes.map((c) =>
      keyEvent(eventForAction(c.audit.action) as DetailType, toApiKey(c.next, now), c.audit.at, ctx.actor, {
        changes: c.audit.changes,
        bulkRun: run.runId,
      }),
    );
    await publishQuietly(events, this.deps.events, this.deps.onEventError);
  }
}

const confirmRefused = (why: string) =>
  new ApiError('CONFLICT', `confirm ${why}`, [{ field: 'confirm', message: why }]);
