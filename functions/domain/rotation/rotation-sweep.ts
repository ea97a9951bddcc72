import { z } from 'zod';
import { auditEntry, type Changes } from '#domain/audit/audit-entry.ts';
import { disablesUnusedAt } from '#domain/compliance/policy.ts';
import { DETAIL_TYPES, keyEvent, type LatchkeyEvent } from '#domain/events/lifecycle-events.ts';
import { DAY_MS, isExpired, type KeyRecord, lastActivity, toApiKey } from '#domain/keys/key.ts';
import { day, timestamp } from '#domain/shared/answers.ts';
import { ApiError } from '#domain/shared/errors.ts';
import type { EventPublisher, KeyStore, SweepPage, UnusedKeyIndex } from '#domain/shared/ports.ts';
import { VersionConflictError } from '#domain/shared/ports.ts';
import type { RequestContext } from '#domain/shared/request-context.ts';
import type { UsageOverview } from '#domain/usage/usage-overview.ts';

export interface SweepDeps {
  readonly store: KeyStore;
  readonly events: EventPublisher;
  readonly now: () => Date;
  /** Days between reminders for a key that stays due. @default 7 */
  readonly reminderIntervalDays: number;
  /** Days before `expiresAt` of the first "API Key Expiring" event; the second goes out 3 days before. @default 14 */
  readonly expiringSoonDays: number;
  /** The usage overview, for the unusual-activity pass; without it the pass does not run. */
  readonly usage?: Pick<UsageOverview, 'flagged'>;
  /** Where unused keys are found; without it the unused pass does not run. */
  readonly unused?: UnusedKeyIndex;
  /** Days of no use (since `lastUsedAt`, else `createdAt`) before "API Key Unused". @default 90 */
  readonly unusedDays?: number;
  /** The policy's `disableUnusedAfterDays`: days of no use before the key is disabled. @default never */
  readonly disableUnusedAfterDays?: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * How far from now a sweep that writes may run: a year either way covers rehearsing next
 * quarter's reminders. Further, it would store dates no real run reaches (a reminder set for year
 * 10000 silences every later one). A dry run writes nothing, so it previews any time.
 */
export const SWEEP_AS_OF_WINDOW_DAYS = 366;

/** The actor of what the compliance policy does by itself (dormant keys disabled). */
export const POLICY_ACTOR = 'policy';

/** The last "API Key Expiring" notice goes out this many days before `expiresAt`. */
export const FINAL_EXPIRY_NOTICE_DAYS = 3;

/** One key a sweep acted on (or, in a dry run, would act on). */
export const sweepEntrySchema = z
  .object({
    keyId: z.string(),
    name: z.string(),
    owner: z.string(),
    rotationDueAt: timestamp.optional(),
    expiresAt: timestamp.nullable().optional(),
  })
  .meta({ id: 'SweepEntry' });
export type SweepEntry = z.output<typeof sweepEntrySchema>;

/** POST /v1/rotation/sweep: what the sweep did, or would do (`dryRun`), pass by pass. */
export const sweepResultSchema = z
  .object({
    asOf: timestamp,
    noticesAsOf: timestamp.meta({
      description:
        'What the expiry, unused and unusual-activity passes ran as of: `asOf` for a preview, never later than now for a run that writes.',
    }),
    dryRun: z.boolean(),
    flagged: z.array(sweepEntrySchema).meta({ description: 'Keys flagged as due for rotation.' }),
    reminded: z.array(sweepEntrySchema).meta({ description: 'Keys reminded again.' }),
    expiringSoon: z
      .array(sweepEntrySchema)
      .meta({ description: 'Keys announced as expiring (14 and 3 days before `expiresAt`).' }),
    unused: z.array(sweepEntrySchema).meta({ description: 'Keys announced as unused.' }),
    disabledUnused: z
      .array(sweepEntrySchema)
      .meta({ description: 'Keys the policy disabled as unused for `disableUnusedAfterDays`.' }),
    reconciled: z
      .array(sweepEntrySchema)
      .meta({ description: 'Expired keys whose owner slot was given back.' }),
    unusual: z
      .array(sweepEntrySchema.extend({ day, latest: z.number(), baseline: z.number().nullable() }))
      .meta({
        description: 'Keys whose requests on a day jumped far above their baseline, once per key and day.',
      }),
    reads: z
      .object({ pages: z.number().int(), items: z.number().int() })
      .meta({ description: 'What the sweep read: index pages and their items (never a scan).' }),
    failed: z.number().int().meta({
      description: 'Changes undone because their event could not be published; the next run retries them.',
    }),
  })
  .meta({ id: 'SweepResult' });
export type SweepResult = z.output<typeof sweepResultSchema>;

interface Undo {
  readonly keyIds: string[];
  readonly causes: unknown[];
}

const entry = (r: KeyRecord): SweepEntry => ({
  keyId: r.keyId,
  name: r.name,
  owner: r.owner,
  rotationDueAt: r.rotationDueAt,
  expiresAt: r.expiresAt,
});

/**
 * The rotation sweep: flags every active key whose rotationDueAt has passed, announces it once,
 * reminds every `reminderIntervalDays` until the key is rotated or revoked, announces keys that
 * expire soon, and gives expired keys' owner slots back. It reads only the sparse indexes, so its
 * cost follows the number of due keys, not the table.
 *
 * Each change is a version-conditioned write made *before* its event is published: a second run,
 * concurrent or later, finds the condition or the index changed and publishes nothing again. If
 * publishing fails, the change is undone so the next run tries again: nothing announced is lost.
 */
export class RotationSweep {
  constructor(private readonly deps: SweepDeps) {}

  /**
   * Runs the sweep (or previews it: `dryRun`). The rotation pass runs as of `asOf` (a later one
   * flags and reminds early, as asked). The expiry pass of a run that writes never runs as of a
   * later time than now: a key that still works keeps its owner slot and gets no early notice.
   * Fails with SweepUndoError once the run is done if any change could not be undone.
   */
  async run(options: { asOf?: Date; dryRun?: boolean }, ctx: RequestContext): Promise<SweepResult> {
    const now = this.deps.now();
    const asOf = options.asOf ?? now;
    const dryRun = options.dryRun ?? false;
    if (!dryRun && Math.abs(asOf.getTime() - now.getTime()) > SWEEP_AS_OF_WINDOW_DAYS * DAY_MS) {
      const message = `must be within ${SWEEP_AS_OF_WINDOW_DAYS} days of now for a sweep that writes (a dry run may preview any time)`;
      throw new ApiError('VALIDATION_FAILED', `invalid body: asOf ${message}`, [{ field: 'asOf', message }]);
    }
    const expiryAsOf = dryRun || asOf.getTime() <= now.getTime() ? asOf : now;
    const expiryAt = expiryAsOf.toISOString();
    const undo: Undo = { keyIds: [], causes: [] };
    const at = asOf.toISOString();
    const result: SweepResult = {
      asOf: at,
      noticesAsOf: expiryAt,
      dryRun,
      flagged: [],
      reminded: [],
      expiringSoon: [],
      unused: [],
      disabledUnused: [],
      reconciled: [],
      unusual: [],
      reads: { pages: 0, items: 0 },
      failed: 0,
    };
    const nextReminder = new Date(asOf.getTime() + this.deps.reminderIntervalDays * DAY_MS).toISOString();

    await this.each(
      (cursor) => this.deps.store.rotationDue(at, cursor),
      result,
      async (r) => {
        // Only live keys: an expired one is the expiry pass's business, not a rotation reminder.
        if (r.status !== 'active' || r.rotatedTo || isExpired(r, asOf)) return;
        const first = !r.rotationDue;
        if (!first && (!r.rotationReminderAt || r.rotationReminderAt > at)) return;
        const ageDays = Math.floor((asOf.getTime() - Date.parse(r.createdAt)) / DAY_MS);
        await this.apply(
          r,
          { ...r, rotationDue: true, rotationReminderAt: nextReminder },
          {
            dryRun,
            ctx,
            action: first ? 'key.rotation_due' : 'key.rotation_reminder',
            list: first ? result.flagged : result.reminded,
            result,
            undo,
            event: (view) =>
              keyEvent(DETAIL_TYPES.rotationDue, view, at, ctx.actor, {
                ageDays,
                rotationDueAt: r.rotationDueAt,
                reminder: !first,
                nextReminderAt: nextReminder,
              }),
          },
        );
      },
    );

    const notices = this.expiryNotices();
    const soon = new Date(expiryAsOf.getTime() + (notices[0] ?? 0) * DAY_MS).toISOString();
    await this.each(
      (cursor) => this.deps.store.expiring(soon, cursor),
      result,
      async (r) => {
        if (r.status === 'revoked' || !r.expiresAt) return;
        if (r.expiresAt <= expiryAt) {
          await this.apply(
            r,
            { ...r, slotHeld: false, expiryNoticeSent: true },
            {
              dryRun,
              ctx,
              action: 'key.expired',
              list: r.slotHeld ? result.reconciled : [],
              result,
              undo,
              slot: r.slotHeld,
            },
          );
        } else if (!r.expiryNoticeSent) {
          const daysLeft = Math.ceil((Date.parse(r.expiresAt) - expiryAsOf.getTime()) / DAY_MS);
          // The nearest notice reached; each goes out once (a key first seen 2 days out gets only the last).
          const notice = notices.filter((days) => daysLeft <= days).at(-1);
          if (notice === undefined || (r.expiryNoticeDays !== undefined && r.expiryNoticeDays <= notice))
            return;
          const last = notice === notices.at(-1);
          await this.apply(
            r,
            { ...r, expiryNoticeDays: notice, expiryNoticeSent: last ? true : undefined },
            {
              dryRun,
              ctx,
              action: 'key.expiring',
              list: result.expiringSoon,
              result,
              undo,
              event: (view) =>
                keyEvent(DETAIL_TYPES.expiring, view, expiryAt, ctx.actor, {
                  expiresAt: r.expiresAt,
                  daysLeft,
                  noticeDays: notice,
                }),
            },
          );
        }
      },
    );
    await this.unusualPass(expiryAsOf, { dryRun, ctx, result, undo });
    await this.unusedPass(expiryAsOf, { dryRun, ctx, result, undo });
    if (undo.keyIds.length) throw new SweepUndoError(undo.keyIds, undo.causes);
    return result;
  }

  /**
   * Announces keys whose requests jumped far above their baseline: yesterday (a whole day, for a
   * sweep that runs just after midnight) and today so far. At most one event per key and day: the
   * key records the last day announced, written before the event and undone if it fails.
   */
  private async unusualPass(
    asOf: Date,
    run: { dryRun: boolean; ctx: RequestContext; result: SweepResult; undo: Undo },
  ) {
    if (!this.deps.usage) return;
    const byDay = await this.deps.usage.flagged(30, [new Date(asOf.getTime() - DAY_MS), asOf]);
    for (const flagged of byDay) {
      for (const { item } of flagged) {
        const day = item.days.at(-1)?.date as string;
        const r = await this.deps.store.getKey(item.keyId);
        if (!r || (r.unusualActivityDay ?? '') >= day) continue;
        const numbers = { day, latest: item.latest, baseline: item.baseline };
        const list: SweepEntry[] = [];
        await this.apply(
          r,
          { ...r, unusualActivityDay: day },
          {
            ...run,
            action: 'key.unusual_activity',
            list,
            event: (view) =>
              keyEvent(DETAIL_TYPES.unusualActivity, view, asOf.toISOString(), run.ctx.actor, {
                ...numbers,
                allowed: item.days.at(-1)?.allowed ?? 0,
                refused: item.days.at(-1)?.refused ?? 0,
              }),
          },
        );
        for (const e of list) run.result.unusual.push({ ...e, ...numbers });
      }
    }
  }

  /** The expiry notices, in days before `expiresAt`, furthest first: e.g. [14, 3]. */
  private expiryNotices(): number[] {
    const days = new Set([this.deps.expiringSoonDays, FINAL_EXPIRY_NOTICE_DAYS].filter((d) => d > 0));
    return [...days].sort((a, b) => b - a);
  }

  /**
   * Unused keys, from the sparse index: "API Key Unused" after `unusedDays` of no use (lastUsedAt,
   * else createdAt), once per stretch of no use; and with the policy's `disableUnusedAfterDays`,
   * the key disabled (actor `policy`, "API Key Disabled (Unused)"), once per stretch too. The index
   * holds each key by when to look again, as an activity time: a key is read once that time is
   * `first` days old (the nearer of the two thresholds), so each live key is read about once per
   * threshold, never the table. A key used since is moved to its last use; one already dealt
   * with, to its next threshold.
   */
  private async unusedPass(
    asOf: Date,
    how: { dryRun: boolean; ctx: RequestContext; result: SweepResult; undo: Undo },
  ) {
    const index = this.deps.unused;
    if (!index) return;
    const days = this.deps.unusedDays ?? 90;
    const disableDays = this.deps.disableUnusedAfterDays;
    const first = Math.min(days, disableDays ?? days);
    const at = asOf.toISOString();
    const ago = (d: number) => new Date(asOf.getTime() - d * DAY_MS).toISOString();
    await this.each(
      (cursor) => index.unusedSince(ago(first), cursor),
      how.result,
      async (r) => {
        if (r.status !== 'active' || r.type === 'canary' || r.rotatedTo || !r.slotHeld || isExpired(r, asOf))
          return;
        const lastActive = lastActivity(r);
        const daysUnused = Math.floor((asOf.getTime() - Date.parse(lastActive)) / DAY_MS);
        const noticeDue = lastActive <= ago(days) && r.unusedNoticeFor !== lastActive;
        const disablesAt = disableDays === undefined ? undefined : disablesUnusedAt(r, disableDays);
        const disableDue = disablesAt !== undefined && disablesAt <= asOf.getTime();
        // When to look again: the next threshold still ahead for this stretch of no use.
        const ahead = [
          r.unusedNoticeFor !== lastActive && !noticeDue ? Date.parse(lastActive) + days * DAY_MS : undefined,
          disableDue ? undefined : disablesAt,
        ].filter((t): t is number => t !== undefined && t > asOf.getTime());
        const next = ahead.length ? Math.min(...ahead) : asOf.getTime() + days * DAY_MS;
        const recheckAt = new Date(next - first * DAY_MS).toISOString();
        if (disableDue) {
          const policy: RequestContext = { ...how.ctx, actor: POLICY_ACTOR };
          await this.apply(
            r,
            { ...r, status: 'inactive', unusedDisabledFor: lastActive, unusedNoticeFor: lastActive },
            {
              ...how,
              ctx: policy,
              action: 'key.disabled',
              changes: { status: { before: 'active', after: 'inactive' } },
              list: how.result.disabledUnused,
              event: (view) =>
                keyEvent(DETAIL_TYPES.disabledUnused, view, at, POLICY_ACTOR, {
                  lastUsedAt: r.lastUsedAt,
                  createdAt: r.createdAt,
                  daysUnused,
                  disableUnusedAfterDays: disableDays,
                }),
            },
          );
          return;
        }
        if (!noticeDue) {
          if (how.dryRun || recheckAt === r.unusedCheckAt) return;
          try {
            await index.recheckUnused(r, lastActive > recheckAt ? lastActive : recheckAt);
          } catch (error) {
            if (!(error instanceof VersionConflictError)) throw error;
          }
          return;
        }
        await this.apply(
          r,
          { ...r, unusedNoticeFor: lastActive, unusedCheckAt: recheckAt },
          {
            ...how,
            action: 'key.unused',
            list: how.result.unused,
            event: (view) =>
              keyEvent(DETAIL_TYPES.unused, view, at, how.ctx.actor, {
                lastUsedAt: r.lastUsedAt,
                createdAt: r.createdAt,
                daysUnused,
                unusedDays: days,
              }),
          },
        );
      },
    );
  }

  private async each(
    page: (cursor: string | undefined) => Promise<SweepPage>,
    result: SweepResult,
    visit: (record: KeyRecord) => Promise<void>,
  ) {
    let cursor: string | undefined;
    do {
      const out = await page(cursor);
      result.reads.pages++;
      result.reads.items += out.itemsRead;
      for (const record of out.items) await visit(record);
      cursor = out.nextCursor;
    } while (cursor);
  }

  private async apply(
    current: KeyRecord,
    change: KeyRecord,
    how: {
      dryRun: boolean;
      ctx: RequestContext;
      action: string;
      list: SweepEntry[];
      result: SweepResult;
      undo: Undo;
      slot?: boolean;
      /** What the audit record says changed (bookkeeping changes say nothing). */
      changes?: Changes;
      event?: (view: ReturnType<typeof toApiKey>) => LatchkeyEvent;
    },
  ) {
    if (how.dryRun) {
      how.list.push(entry(current));
      return;
    }
    const now = this.deps.now();
    const next: KeyRecord = { ...change, version: current.version + 1, updatedAt: now.toISOString() };
    const audit = auditEntry(
      how.ctx,
      now.toISOString(),
      how.action,
      { keyId: current.keyId },
      how.changes ?? {},
    );
    try {
      await this.deps.store.updateKey(current, next, {
        audit,
        slot: how.slot ? { kind: 'release' } : undefined,
      });
    } catch (error) {
      // Someone else (another sweep, an operator) changed the key first: nothing to do now.
      if (error instanceof VersionConflictError) return;
      throw error;
    }
    if (how.event) {
      try {
        await this.deps.events.publish([how.event(toApiKey(next, now))]);
      } catch (error) {
        how.result.failed++;
        this.deps.onError?.(error);
        const undone: KeyRecord = { ...current, version: next.version + 1, updatedAt: now.toISOString() };
        try {
          // (Only changes with an event are undone, and none of those moves an owner slot.)
          await this.deps.store.updateKey(next, undone, {
            audit: { ...audit, action: `${how.action}.undone` },
          });
        } catch (undoError) {
          // Never swallowed: the key stays changed without its event, so the run must fail.
          how.undo.keyIds.push(current.keyId);
          how.undo.causes.push(undoError);
        }
        return;
      }
    }
    how.list.push(entry(current));
  }
}

/** Undos that could not land: those keys stay changed without their event, so the run fails to be retried. */
export class SweepUndoError extends Error {
  constructor(
    readonly keyIds: readonly string[],
    readonly causes: readonly unknown[],
  ) {
    super(`rotation sweep: ${keyIds.length} changes could not be undone after their events failed`);
    this.name = 'SweepUndoError';
  }
}
