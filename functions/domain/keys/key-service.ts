import { auditEntry } from '#domain/audit/audit-entry.ts';
import { type Policy, policyIssues, type Touched, withinLifetime } from '#domain/compliance/policy.ts';
import {
  DETAIL_TYPES,
  eventForAction,
  keyEvent,
  type LatchkeyEvent,
  publishQuietly,
} from '#domain/events/lifecycle-events.ts';
import type { Plans } from '#domain/plans/plans.ts';
import type { UsagePlanKeys } from '#domain/plans/usage-plan-keys.ts';
import { isBuiltinRole } from '#domain/roles/permissions.ts';
import { ApiError, notFound } from '#domain/shared/errors.ts';
import type {
  EventPublisher,
  KeyFilter,
  KeyStore,
  KeyWrite,
  Page,
  RoleLookup,
  SlotChange,
} from '#domain/shared/ports.ts';
import { LimitExceededError, RoleMissingError, VersionConflictError } from '#domain/shared/ports.ts';
import type { RequestContext } from '#domain/shared/request-context.ts';
import type { CreateKeyInput, ListKeysInput, UpdateKeyInput } from '#domain/shared/schemas.ts';
import { graceCheckAt, graceLimit } from './grace.ts';
import { assertKeyItemFits } from './item-size.ts';
import { type ApiKey, holdsSlot, type KeyRecord, rotationDueAt, toApiKey } from './key.ts';
import { newKeyId, newSecret } from './secret.ts';
import { hashSecret, type PepperSet } from './secret-hash.ts';

export interface KeyServiceDeps {
  readonly store: KeyStore;
  readonly peppers: () => Promise<PepperSet>;
  readonly roles: RoleLookup;
  readonly now: () => Date;
  /** Maximum keys holding a slot per owner. */
  readonly ownerLimit: number;
  /** Lifecycle events, published once the change is committed. */
  readonly events: EventPublisher;
  /** Told when an event could not be published after its change committed. */
  readonly onEventError?: (error: unknown) => void;
  /** The compliance policy every create, update and rotate is held to. @default {} */
  readonly policy?: Policy;
  /** The item the store writes for a record, whose size is held to the budget. @default the record */
  readonly itemOf?: (record: KeyRecord) => Readonly<Record<string, unknown>>;
  /** The configured usage plans a key's `plan` must name. @default none */
  readonly plans?: Plans;
  /** Usage plan mode `perKey`: the API Gateway key of each key, kept in line after every change. */
  readonly usageKeys?: UsagePlanKeys;
  /**
   * A key's requests counted so far on one UTC day: at a rotation with grace, what the old key
   * had made that day before it, so its grace usage counts only what came after. @default none
   */
  readonly requestsOnDay?: (keyId: string, day: string) => Promise<number>;
}

/** The settings a rotated key carries over to its successor. */
const SETTINGS = [
  'name',
  'description',
  'metadata',
  'owner',
  'type',
  'scope',
  'roles',
  'permissions',
  'environment',
  'rotationDays',
  'ipAllowlist',
  'usageIdentifierKey',
  'plan',
  'expiresAt',
] as const;
type KeySettings = Pick<KeyRecord, (typeof SETTINGS)[number]>;
const settingsOf = (record: KeyRecord) =>
  Object.fromEntries(SETTINGS.map((field) => [field, record[field]])) as KeySettings;

const MAX_ATTEMPTS = 5;
const BOOKKEEPING = new Set(['updatedAt', 'version']);

/** Custom roles a record holds while it is live (not revoked): what the roles' key counts track. */
const liveRoles = (record: Pick<KeyRecord, 'roles' | 'status'> | undefined) =>
  record && record.status !== 'revoked' ? record.roles.filter((r) => !isBuiltinRole(r)) : [];

export function roleDeltas(
  before: KeyRecord | undefined,
  after: KeyRecord | undefined,
): Record<string, number> {
  const deltas: Record<string, number> = {};
  for (const role of liveRoles(before)) deltas[role] = (deltas[role] ?? 0) - 1;
  for (const role of liveRoles(after)) deltas[role] = (deltas[role] ?? 0) + 1;
  return Object.fromEntries(Object.entries(deltas).filter(([, d]) => d !== 0));
}

/** Field-level before/after of what a change touched; the record never carries a secret. */
export function diff(before: Partial<ApiKey> | undefined, after: Partial<ApiKey> | undefined) {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const field of fields) {
    if (BOOKKEEPING.has(field)) continue;
    const b = (before as Record<string, unknown> | undefined)?.[field] ?? null;
    const a = (after as Record<string, unknown> | undefined)?.[field] ?? null;
    if (JSON.stringify(b) !== JSON.stringify(a)) changes[field] = { before: b, after: a };
  }
  return changes;
}

/** The key's record, or the 404 that names it. */
export async function existingKey(store: Pick<KeyStore, 'getKey'>, keyId: string): Promise<KeyRecord> {
  const record = await store.getKey(keyId);
  if (!record) throw notFound(`key ${keyId}`);
  return record;
}

export class KeyService {
  constructor(private readonly deps: KeyServiceDeps) {}

  async create(input: CreateKeyInput, ctx: RequestContext): Promise<{ key: ApiKey; secret: string }> {
    const now = this.deps.now();
    this.assertFuture(input.expiresAt, now);
    this.assertPlan(input.plan);
    await this.assertRolesExist(input.roles);
    const { name, expiresAt, owner, ...settings } = input;
    const { record, secret } = await this.newRecord(
      {
        ...settings,
        name,
        // A key belongs to whoever created it unless it names its owner.
        owner: owner ?? ctx.actor,
        expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
      },
      ctx,
      now,
    );
    this.assertPolicy(record, now);
    this.assertFits(record);
    const key = toApiKey(record, now);
    await this.write(() =>
      this.deps.store.createKey(record, {
        audit: auditEntry(
          ctx,
          record.createdAt,
          'key.created',
          { keyId: record.keyId },
          diff(undefined, key),
        ),
        slot: { kind: 'acquire', limit: this.deps.ownerLimit },
        roleDeltas: roleDeltas(undefined, record),
      }),
    );
    await this.announce([keyEvent(DETAIL_TYPES.created, key, record.createdAt, ctx.actor)]);
    return { key: await this.withUsageKey(key, ctx), secret };
  }

  /**
   * Rotation: a new key with the same settings, in one transaction with the old key's change.
   * With no grace the old key is revoked now; with grace it expires at now + grace (or sooner,
   * if it already expired sooner). Only one rotation of a key can win: the old key's version is
   * the transaction's condition, and a rotated key cannot be rotated again.
   */
  async rotate(keyId: string, graceSeconds: number, ctx: RequestContext) {
    const now = this.deps.now();
    const at = now.toISOString();
    const current = await existingKey(this.deps.store, keyId);
    if (current.status === 'revoked')
      throw new ApiError('KEY_REVOKED', `key ${keyId} is revoked and cannot be rotated`);
    if (current.rotatedTo) {
      throw new ApiError('CONFLICT', `key ${keyId} was already rotated to ${current.rotatedTo}`);
    }
    const carried =
      current.expiresAt && Date.parse(current.expiresAt) > now.getTime() ? current.expiresAt : null;
    // Rotation is how a key comes back within the policy: the successor lives at most maxLifetimeDays.
    const carriedExpiry = withinLifetime(carried, this.deps.policy ?? {}, now);
    const { record, secret } = await this.newRecord(
      { ...settingsOf(current), expiresAt: carriedExpiry },
      ctx,
      now,
    );
    // A disabled key's successor starts disabled too: same settings, new secret.
    record.status = current.status;
    // The successor gets an API Gateway key of its own (perKey), not its predecessor's.
    if (current.usageKeyId) record.usageIdentifierKey = undefined;
    record.rotatedFrom = keyId;
    this.assertPolicy(record, now);
    const graceEnd = new Date(now.getTime() + graceSeconds * 1000).toISOString();
    const day = at.slice(0, 10);
    const grace =
      graceSeconds === 0
        ? {}
        : {
            graceFrom: at,
            graceLimitAt: graceLimit(at, current.expiresAt),
            graceBaselineDay: day,
            graceBaselineRequests: (await this.deps.requestsOnDay?.(keyId, day)) ?? 0,
          };
    const old: KeyRecord = {
      ...current,
      rotatedTo: record.keyId,
      rotationDue: false,
      rotationReminderAt: undefined,
      // The successor carries the key on; no "expiring soon" notice for the one it replaces.
      expiryNoticeSent: true,
      updatedAt: at,
      version: current.version + 1,
      ...grace,
      ...(graceSeconds === 0
        ? { status: 'revoked' as const, revokedAt: at, slotHeld: false }
        : { expiresAt: current.expiresAt && current.expiresAt < graceEnd ? current.expiresAt : graceEnd }),
    };
    if (old.graceFrom && old.expiresAt) old.graceCheckAt = graceCheckAt(old.graceFrom, old.expiresAt);
    const oldView = toApiKey(old, now);
    const key = toApiKey(record, now);
    // The owner's counter moves once: +1 for the new key, -1 if the old one is revoked now.
    const slot: SlotChange | undefined =
      old.slotHeld === current.slotHeld ? { kind: 'acquire', limit: this.deps.ownerLimit } : undefined;
    const deltas = roleDeltas(current, old);
    for (const [role, delta] of Object.entries(roleDeltas(undefined, record)))
      deltas[role] = (deltas[role] ?? 0) + delta;
    const changes = {
      ...diff(toApiKey(current, now), oldView),
      newKeyId: { before: null, after: record.keyId },
    };
    try {
      await this.write(() =>
        this.deps.store.rotateKey(current, old, record, {
          audit: auditEntry(ctx, at, 'key.rotated', { keyId }, changes),
          slot,
          roleDeltas: Object.fromEntries(Object.entries(deltas).filter(([, d]) => d !== 0)),
        }),
      );
    } catch (error) {
      if (error instanceof VersionConflictError) {
        throw new ApiError(
          'CONFLICT',
          `key ${keyId} changed while rotating (another rotation may have won); fetch it and retry`,
        );
      }
      throw error;
    }
    await this.announce([
      keyEvent(DETAIL_TYPES.rotated, oldView, at, ctx.actor, {
        newKeyId: record.keyId,
        gracePeriodSeconds: graceSeconds,
        oldKeyExpiresAt: old.status === 'revoked' ? at : old.expiresAt,
      }),
    ]);
    const previous = await this.withUsageKey(oldView, ctx);
    return { key: await this.withUsageKey(key, ctx), secret, previous };
  }

  async get(keyId: string): Promise<ApiKey> {
    return toApiKey(await existingKey(this.deps.store, keyId), this.deps.now());
  }

  async list(input: ListKeysInput): Promise<Page<ApiKey>> {
    const { limit, cursor, ...filter } = input;
    const now = this.deps.now();
    const page = await this.deps.store.listKeys(filter satisfies KeyFilter, limit, cursor, now);
    return {
      items: page.items.map((r) => toApiKey(r, now)),
      nextCursor: page.nextCursor,
      ...(page.truncated ? { truncated: true } : {}),
    };
  }

  async update(keyId: string, input: UpdateKeyInput, ifMatch: number | undefined, ctx: RequestContext) {
    const now = this.deps.now();
    this.assertFuture(input.expiresAt, now);
    if (input.plan) this.assertPlan(input.plan);
    if (input.roles) await this.assertRolesExist(input.roles);
    const view = await this.change(keyId, ifMatch, ctx, (current) => {
      // A superseded key only runs out its grace: changing it (an end removed, say) would outlive its successor.
      if (current.rotatedTo) {
        throw new ApiError(
          'CONFLICT',
          `key ${keyId} was rotated to ${current.rotatedTo}; a superseded key can only be revoked or deleted`,
        );
      }
      const next: KeyRecord = { ...current };
      if (input.name !== undefined) next.name = input.name;
      if (input.description !== undefined) next.description = input.description ?? undefined;
      if (input.metadata !== undefined) next.metadata = input.metadata ?? undefined;
      if (input.roles !== undefined) next.roles = input.roles;
      if (input.permissions !== undefined) next.permissions = input.permissions;
      if (input.ipAllowlist !== undefined) next.ipAllowlist = input.ipAllowlist ?? undefined;
      if (input.expiresAt !== undefined) {
        next.expiresAt = input.expiresAt === null ? null : new Date(input.expiresAt).toISOString();
        next.expiryNoticeSent = undefined;
        next.expiryNoticeDays = undefined;
      }
      if (input.enabled !== undefined) next.status = input.enabled ? 'active' : 'inactive';
      if (input.plan !== undefined) next.plan = input.plan ?? undefined;
      this.assertPolicy(next, now, {
        expiry: input.expiresAt !== undefined,
        grants: input.roles !== undefined || input.permissions !== undefined,
      });
      this.assertFits(next, current);
      const action =
        next.status === current.status
          ? 'key.updated'
          : next.status === 'active'
            ? 'key.enabled'
            : 'key.disabled';
      return { next, action };
    });
    return this.withUsageKey(view, ctx);
  }

  async revoke(keyId: string, ctx: RequestContext): Promise<ApiKey> {
    const view = await this.change(
      keyId,
      undefined,
      ctx,
      (current, at) => ({ next: { ...current, status: 'revoked', revokedAt: at }, action: 'key.revoked' }),
      { revokedIsNoop: true },
    );
    return this.withUsageKey(view, ctx);
  }

  async delete(keyId: string, ctx: RequestContext): Promise<void> {
    await this.retrying(async () => {
      const current = await existingKey(this.deps.store, keyId);
      const at = this.deps.now().toISOString();
      const before = toApiKey(current, this.deps.now());
      await this.deps.store.deleteKey(current, {
        audit: auditEntry(
          ctx,
          at,
          'key.deleted',
          { keyId },
          {
            status: { before: before.status, after: 'deleted' },
          },
        ),
        slot: current.slotHeld ? { kind: 'release' } : undefined,
        roleDeltas: roleDeltas(current, undefined),
      });
      await this.announce([keyEvent(DETAIL_TYPES.deleted, before, at, ctx.actor)]);
      await this.deps.usageKeys?.released(current);
    }, undefined);
  }

  /**
   * Read-modify-write under optimistic locking. With `If-Match`, a version mismatch is a 412;
   * without it, a concurrent change is retried on the fresh record.
   */
  private async change(
    keyId: string,
    ifMatch: number | undefined,
    ctx: RequestContext,
    apply: (current: KeyRecord, at: string) => { next: KeyRecord; action: string },
    options: { revokedIsNoop?: boolean } = {},
  ): Promise<ApiKey> {
    return this.retrying(async () => {
      const current = await existingKey(this.deps.store, keyId);
      if (ifMatch !== undefined && current.version !== ifMatch) throw staleVersion(current.version);
      const now = this.deps.now();
      if (current.status === 'revoked') {
        // Revoking a revoked key answers with the key: revocation is idempotent.
        if (options.revokedIsNoop) return toApiKey(current, now);
        throw new ApiError('KEY_REVOKED', `key ${keyId} is revoked; a revoked key cannot change`);
      }
      const at = now.toISOString();
      const { next, action } = apply(current, at);
      const changes = diff(toApiKey(current, now), toApiKey(next, now));
      if (Object.keys(changes).length === 0) return toApiKey(current, now);
      next.updatedAt = at;
      next.version = current.version + 1;
      next.slotHeld = holdsSlot(next, now);
      // A key that comes back to life (an expired key given a new expiry) must still verify: its
      // pepper version may have been retired while it held no slot and counted as no live key.
      if (
        next.slotHeld &&
        !current.slotHeld &&
        !(await this.deps.peppers()).byVersion.has(next.pepperVersion)
      ) {
        throw new ApiError(
          'CONFLICT',
          `key ${keyId} was hashed under pepper version ${next.pepperVersion}, which has been retired; it can never verify again: create or import a new key`,
        );
      }
      const slot: SlotChange | undefined =
        current.slotHeld === next.slotHeld
          ? undefined
          : next.slotHeld
            ? { kind: 'acquire', limit: this.deps.ownerLimit }
            : { kind: 'release' };
      const write: KeyWrite = {
        audit: auditEntry(ctx, at, action, { keyId }, changes),
        slot,
        roleDeltas: roleDeltas(current, next),
      };
      await this.deps.store.updateKey(current, next, write);
      const view = toApiKey(next, now);
      const detailType = eventForAction(action);
      if (detailType) await this.announce([keyEvent(detailType, view, at, ctx.actor, { changes })]);
      return view;
    }, ifMatch);
  }

  private async newRecord(
    settings: Omit<KeySettings, 'name'> & { name?: string },
    ctx: RequestContext,
    now: Date,
  ) {
    const keyId = newKeyId();
    const secret = newSecret(keyId, settings.environment);
    const at = now.toISOString();
    const record: KeyRecord = {
      keyId,
      ...settings,
      name: settings.name ?? keyId,
      status: 'active',
      createdAt: at,
      createdBy: ctx.actor,
      updatedAt: at,
      lastUsedAt: null,
      rotationDueAt: rotationDueAt({ ...settings, createdAt: at }),
      rotationDue: false,
      version: 1,
      slotHeld: true,
      ...hashSecret(secret, await this.deps.peppers()),
    };
    return { record, secret };
  }

  /** Publishes after the commit; a failure is reported, not thrown: the change itself stands. */
  private async announce(events: LatchkeyEvent[]) {
    await publishQuietly(events, this.deps.events, this.deps.onEventError);
  }

  private async retrying<T>(attempt: () => Promise<T>, ifMatch: number | undefined): Promise<T> {
    for (let i = 1; ; i++) {
      try {
        return await this.write(attempt);
      } catch (error) {
        if (!(error instanceof VersionConflictError)) throw error;
        if (ifMatch !== undefined) throw staleVersion(undefined);
        if (i >= MAX_ATTEMPTS) throw new ApiError('CONFLICT', 'the key is changing concurrently; try again');
      }
    }
  }

  private async write<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (error) {
      if (error instanceof RoleMissingError) {
        throw new ApiError('VALIDATION_FAILED', 'invalid request', [
          { field: 'roles', message: `role "${error.role}" does not exist` },
        ]);
      }
      if (error instanceof LimitExceededError) {
        throw new ApiError(
          'LIMIT_EXCEEDED',
          `owner "${error.owner}" already has the maximum of ${error.limit} active keys; revoke or delete one first`,
        );
      }
      throw error;
    }
  }

  /** A key that breaks the compliance policy is a 422 naming each rule and field. */
  private assertPolicy(key: KeyRecord, now: Date, touched?: Touched) {
    const issues = policyIssues(this.deps.policy ?? {}, key, now, touched);
    if (issues.length) {
      throw new ApiError(
        'POLICY_VIOLATION',
        `the key breaks the compliance policy: ${issues.map((i) => `${i.rule}: ${i.field} ${i.message}`).join('; ')}`,
        issues,
      );
    }
  }

  /** A key item over its budget would cost more than one read unit per check: a 400 naming the fields. */
  private assertFits(record: KeyRecord, current?: KeyRecord) {
    const itemOf = (r: KeyRecord) => this.deps.itemOf?.(r) ?? (r as unknown as Record<string, unknown>);
    assertKeyItemFits(record, itemOf(record), current && itemOf(current));
  }

  /** perKey: brings the key's API Gateway key in line after a change, and answers with the key as it then is. */
  private async withUsageKey(view: ApiKey, ctx: RequestContext): Promise<ApiKey> {
    if (!this.deps.usageKeys) return view;
    await this.deps.usageKeys.reconcile(view.keyId, ctx);
    const record = await this.deps.store.getKey(view.keyId);
    return record ? toApiKey(record, this.deps.now()) : view;
  }

  /** A key's plan must be one of the configured plans: a 400 naming it otherwise. */
  private assertPlan(plan: string | undefined) {
    if (plan === undefined) return;
    const configured = Object.keys(this.deps.plans ?? {});
    if (configured.includes(plan)) return;
    throw new ApiError('VALIDATION_FAILED', 'invalid request', [
      {
        field: 'plan',
        message: configured.length
          ? `plan "${plan}" is not configured; the plans are ${configured.join(', ')}`
          : `plan "${plan}" is not configured; no plans are configured (LATCHKEY_PLANS)`,
      },
    ]);
  }

  private assertFuture(expiresAt: string | null | undefined, now: Date) {
    if (expiresAt && Date.parse(expiresAt) <= now.getTime()) {
      throw new ApiError('VALIDATION_FAILED', 'invalid request', [
        { field: 'expiresAt', message: 'must be in the future' },
      ]);
    }
  }

  private async assertRolesExist(names: readonly string[]) {
    const missing = await this.deps.roles.missingRoles(names);
    if (missing.length) {
      throw new ApiError(
        'VALIDATION_FAILED',
        'invalid request',
        missing.map((name) => ({ field: 'roles', message: `role "${name}" does not exist` })),
      );
    }
  }
}

const staleVersion = (current: number | undefined) =>
  new ApiError(
    'PRECONDITION_FAILED',
    current === undefined
      ? 'the key was changed by another request; fetch it again and retry with its new version'
      : `If-Match does not match the key's current version ${current}`,
  );
