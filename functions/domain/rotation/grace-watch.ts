import { z } from 'zod';
import { auditEntry } from '#domain/audit/audit-entry.ts';
import { DETAIL_TYPES, keyEvent } from '#domain/events/lifecycle-events.ts';
import {
  graceCheckAt,
  graceLimit,
  HOUR_MS,
  MAX_GRACE_DAYS,
  MAX_GRACE_EXTENSION_SECONDS,
} from '#domain/keys/grace.ts';
import { type ApiKey, isExpired, type KeyRecord, toApiKey } from '#domain/keys/key.ts';
import type { GraceUsage } from '#domain/keys/key-answers.ts';
import { diff, existingKey } from '#domain/keys/key-service.ts';
import { ApiError } from '#domain/shared/errors.ts';
import type { EventPublisher, KeyStore, SweepPage } from '#domain/shared/ports.ts';
import { VersionConflictError } from '#domain/shared/ports.ts';
import type { RequestContext } from '#domain/shared/request-context.ts';
import { requestsIn } from '#domain/usage/key-usage.ts';
import type { UsageStore } from '#domain/usage/usage-store.ts';

/** POST /v1/keys/{keyId}/extend-grace. */
export const extendGraceBody = z
  .strictObject({
    seconds: z
      .number()
      .int()
      .min(1, 'must be at least 1')
      .max(MAX_GRACE_EXTENSION_SECONDS, `must be at most ${MAX_GRACE_EXTENSION_SECONDS} (7 days) per call`)
      .meta({
        description:
          'How much longer the grace runs: at most 7 days a call, 30 days from the rotation in all.',
      }),
  })
  .meta({ id: 'ExtendGraceRequest' });
export type ExtendGraceBody = z.infer<typeof extendGraceBody>;

/** The sweep index of grace checks, and the check's own bookkeeping. */
export interface GraceCheckIndex {
  graceChecksDue(asOf: string, cursor: string | undefined): Promise<SweepPage>;
  /** Records the check ran for the grace ending at `end`, if the key is still `current.version`. */
  graceChecked(current: KeyRecord, end: string): Promise<void>;
}

export interface GraceDeps {
  readonly store: Pick<KeyStore, 'getKey' | 'updateKey'>;
  readonly index: GraceCheckIndex;
  readonly usage: Pick<UsageStore, 'days'>;
  readonly events: EventPublisher;
  readonly now: () => Date;
  readonly onError?: (error: unknown) => void;
}

/** The actor of the "still in use" check. */
export const GRACE_CHECK_ACTOR = 'latchkey-grace-check';

/** A superseded key whose grace still runs at `now` (not revoked, not yet expired). */
const inGrace = (record: KeyRecord, now: Date) =>
  record.rotatedTo !== undefined && record.status !== 'revoked' && !isExpired(record, now);

/**
 * Rotation that watches the old key: its requests since the rotation (on both keys), a warning
 * an hour before the grace ends if it is still used, and the grace lengthened on request.
 */
export class GraceWatch {
  constructor(private readonly deps: GraceDeps) {}

  /** GET /v1/keys/{keyId}: the key, with `graceUsage` while either side of its rotation is in grace. */
  async get(keyId: string): Promise<ApiKey & { graceUsage?: GraceUsage }> {
    const record = await existingKey(this.deps.store, keyId);
    const view = toApiKey(record, this.deps.now());
    const usage = record.rotatedTo || record.rotatedFrom ? await this.usageOf(record) : undefined;
    return usage ? { ...view, graceUsage: usage } : view;
  }

  /** The grace usage of a key's rotation, if the key is either side of one in grace. */
  async usageOf(record: KeyRecord): Promise<GraceUsage | undefined> {
    const now = this.deps.now();
    const old = record.rotatedTo
      ? record
      : record.rotatedFrom
        ? await this.deps.store.getKey(record.rotatedFrom)
        : undefined;
    if (!old || !inGrace(old, now)) return undefined;
    // A rotation from before grace was recorded: the successor's creation is the rotation.
    const since =
      old.graceFrom ??
      (old.keyId === record.keyId
        ? (await this.deps.store.getKey(old.rotatedTo as string))?.createdAt
        : record.createdAt);
    if (!since) return undefined;
    const days = await this.deps.usage.days(old.keyId, since.slice(0, 10));
    const counted = requestsIn(days);
    const before = old.graceBaselineDay === since.slice(0, 10) ? (old.graceBaselineRequests ?? 0) : 0;
    return {
      since,
      requests: Math.max(0, counted - before),
      lastUsedAt: old.lastUsedAt && old.lastUsedAt >= since ? old.lastUsedAt : null,
    };
  }

  /**
   * Lengthens a grace by `seconds` (at most 7 days a call), never past 30 days from the rotation
   * (nor the key's own expiry); audited, and its "still in use" check moves with the end.
   */
  async extend(keyId: string, seconds: number, ctx: RequestContext): Promise<ApiKey> {
    for (let attempt = 1; ; attempt++) {
      const current = await existingKey(this.deps.store, keyId);
      const now = this.deps.now();
      if (!inGrace(current, now) || !current.expiresAt)
        throw new ApiError(
          'CONFLICT',
          `key ${keyId} is not in a rotation's grace period (only the key a rotation replaced is, until it expires)`,
        );
      const from = current.graceFrom ?? current.updatedAt;
      const limit = current.graceLimitAt ?? graceLimit(from, null);
      const end = new Date(Date.parse(current.expiresAt) + seconds * 1000).toISOString();
      if (end > limit) {
        const room = Math.max(0, Math.floor((Date.parse(limit) - Date.parse(current.expiresAt)) / 1000));
        const message = `would end the grace at ${end}, past ${limit} (${MAX_GRACE_DAYS} days from the rotation, or the key's own expiry); at most ${room} more seconds`;
        throw new ApiError('VALIDATION_FAILED', `invalid body: seconds ${message}`, [
          { field: 'seconds', message },
        ]);
      }
      const at = now.toISOString();
      const next: KeyRecord = {
        ...current,
        expiresAt: end,
        graceCheckAt: graceCheckAt(from, end),
        updatedAt: at,
        version: current.version + 1,
      };
      try {
        await this.deps.store.updateKey(current, next, {
          audit: auditEntry(
            ctx,
            at,
            'key.grace_extended',
            { keyId },
            diff(toApiKey(current, now), toApiKey(next, now)),
          ),
        });
        return toApiKey(next, now);
      } catch (error) {
        if (!(error instanceof VersionConflictError) || attempt >= 5) throw error;
      }
    }
  }

  /**
   * The "still in use" checks that are due: for each superseded key whose check time has come,
   * one "API Key Still In Use" event if it was used in the hour before, naming both keys and the
   * last use; nothing otherwise. Once per grace end: the key records the end it was checked for
   * (before the event, undone if the event fails, so the next run tries again).
   */
  async run(ctx: RequestContext): Promise<{ checked: number; stillInUse: string[]; failed: number }> {
    const now = this.deps.now();
    const at = now.toISOString();
    const result = { checked: 0, stillInUse: [] as string[], failed: 0 };
    let cursor: string | undefined;
    do {
      const page = await this.deps.index.graceChecksDue(at, cursor);
      for (const record of page.items) {
        try {
          await this.check(record, now, ctx, result);
        } catch (error) {
          if (!(error instanceof VersionConflictError)) throw error;
        }
      }
      cursor = page.nextCursor;
    } while (cursor);
    return result;
  }

  private async check(
    record: KeyRecord,
    now: Date,
    ctx: RequestContext,
    result: { checked: number; stillInUse: string[]; failed: number },
  ) {
    const end = record.expiresAt;
    if (!end) return;
    result.checked++;
    const since = record.graceFrom ?? '';
    const used =
      inGrace(record, now) &&
      record.lastUsedAt !== null &&
      record.lastUsedAt >= since &&
      Date.parse(record.lastUsedAt) >= now.getTime() - HOUR_MS;
    if (!used) {
      await this.deps.index.graceChecked(record, end);
      return;
    }
    const at = now.toISOString();
    const next: KeyRecord = { ...record, graceCheckedFor: end, updatedAt: at, version: record.version + 1 };
    const audit = auditEntry(ctx, at, 'key.still_in_use', { keyId: record.keyId }, {});
    await this.deps.store.updateKey(record, next, { audit });
    try {
      await this.deps.events.publish([
        keyEvent(DETAIL_TYPES.stillInUse, toApiKey(next, now), at, ctx.actor, {
          newKeyId: record.rotatedTo,
          lastUsedAt: record.lastUsedAt,
          graceEndsAt: end,
          usage: await this.usageOf(next),
        }),
      ]);
      result.stillInUse.push(record.keyId);
    } catch (error) {
      result.failed++;
      this.deps.onError?.(error);
      const undone: KeyRecord = { ...record, version: next.version + 1, updatedAt: at };
      await this.deps.store.updateKey(next, undone, {
        audit: { ...audit, action: 'key.still_in_use.undone' },
      });
    }
  }
}
