import { auditEntry } from '#domain/audit/audit-entry.ts';
import { effectiveStatus, type KeyRecord } from '#domain/keys/key.ts';
import type { EventPublisher, GatewayKeys, KeyStore, QuotaCounter } from '#domain/shared/ports.ts';
import { VersionConflictError } from '#domain/shared/ports.ts';
import type { RequestContext } from '#domain/shared/request-context.ts';
import { type Plans, quotaThresholdEvent, quotaWindow, reachedThresholds } from './plans.ts';

/**
 * Usage plan mode `perKey`: one API Gateway API key per Latchkey key, attached to its plan's
 * usage plan, made and removed with the key's lifecycle by the management functions (never by
 * the authorizer).
 *
 * The order of every step keeps one rule: a key with a plan is never let through without a limit.
 * The record learns its API key (`usageKeyId`, `usageIdentifierKey`) only once the key is
 * attached to the plan; until then the authorizer refuses it (`USAGE_PLAN_PENDING`). A new API
 * key is made before the old one is dropped, so a plan change keeps the old limit meanwhile.
 * Any step that fails leaves either a key still pending or an API key no record points to;
 * `repair` (run by the sweep) finishes the first and deletes the second.
 */
export interface UsageKeyDeps {
  readonly store: KeyStore;
  readonly gateway: GatewayKeys;
  readonly now: () => Date;
  /** Told of a step that failed; the next sweep repairs what it left. */
  readonly onError?: (error: unknown, keyId: string) => void;
}

/** Whether a record should hold an API Gateway key: live (not revoked or expired), with a plan. */
export const wantsGatewayKey = (record: KeyRecord, now: Date) => {
  const status = effectiveStatus(record, now);
  return record.plan !== undefined && (status === 'active' || status === 'inactive');
};

export interface RepairResult {
  readonly attached: string[];
  readonly removed: string[];
  readonly failed: number;
}

const SYSTEM: RequestContext = { actor: 'latchkey-usage-plans', requestId: 'usage-plan-repair' };

export class UsagePlanKeys {
  constructor(private readonly deps: UsageKeyDeps) {}

  /**
   * Brings one key's API Gateway key in line with its record after a change: makes and attaches
   * one for a live key with a plan that has none (or one for another plan), removes it from a
   * key that no longer needs it. Never throws: a failure is reported and left to the sweep.
   */
  async reconcile(keyId: string, ctx: RequestContext = SYSTEM): Promise<void> {
    try {
      await this.reconcileOrThrow(keyId, ctx);
    } catch (error) {
      this.deps.onError?.(error, keyId);
    }
  }

  /** Removes the API key a deleted record held. */
  async released(record: Pick<KeyRecord, 'keyId' | 'usageKeyId'>): Promise<void> {
    if (!record.usageKeyId) return;
    try {
      await this.deps.gateway.remove(record.usageKeyId);
    } catch (error) {
      this.deps.onError?.(error, record.keyId);
    }
  }

  private async reconcileOrThrow(keyId: string, ctx: RequestContext, attempt = 1): Promise<void> {
    const current = await this.deps.store.getKey(keyId);
    if (!current) return;
    const now = this.deps.now();
    const wanted = wantsGatewayKey(current, now);
    const held = current.usageKeyId !== undefined;
    const heldPlan = current.usageKeyId ? planOfKey(current) : undefined;
    if (wanted && held && heldPlan === current.plan) return;
    if (!wanted && !held) return;
    const at = now.toISOString();
    const next: KeyRecord = { ...current, updatedAt: at, version: current.version + 1 };
    let made: { id: string; value: string } | undefined;
    if (wanted) {
      made = await this.deps.gateway.create(keyId);
      await this.deps.gateway.attach(made.id, current.plan as string);
      next.usageKeyId = made.id;
      next.usageIdentifierKey = made.value;
      next.usageKeyPlan = current.plan;
    } else {
      next.usageKeyId = undefined;
      next.usageIdentifierKey = undefined;
      next.usageKeyPlan = undefined;
    }
    try {
      await this.deps.store.updateKey(current, next, {
        audit: auditEntry(
          ctx,
          at,
          made ? 'key.usage_key_attached' : 'key.usage_key_removed',
          { keyId },
          {
            usagePlan: { before: heldPlan ?? null, after: made ? (current.plan ?? null) : null },
          },
        ),
      });
    } catch (error) {
      // The record moved on: this API key is nobody's. Drop it and look again.
      if (made) await this.deps.gateway.remove(made.id).catch(() => undefined);
      if (error instanceof VersionConflictError && attempt < 3)
        return this.reconcileOrThrow(keyId, ctx, attempt + 1);
      throw error;
    }
    if (current.usageKeyId) await this.deps.gateway.remove(current.usageKeyId);
  }

  /**
   * The sweep's pass: every live key with a plan gets its API key, and every API key this
   * service made that no record holds (a failure mid-way, a key deleted or expired) is deleted.
   * `live` lists the live keys with a plan; API keys are listed from API Gateway.
   */
  async repair(live: AsyncIterable<KeyRecord>): Promise<RepairResult> {
    const attached: string[] = [];
    const removed: string[] = [];
    let failed = 0;
    const now = this.deps.now();
    for await (const record of live) {
      if (!wantsGatewayKey(record, now) || (record.usageKeyId && planOfKey(record) === record.plan)) continue;
      try {
        await this.reconcileOrThrow(record.keyId, SYSTEM);
        attached.push(record.keyId);
      } catch (error) {
        failed++;
        this.deps.onError?.(error, record.keyId);
      }
    }
    for (const apiKey of await this.deps.gateway.list()) {
      const record = await this.deps.store.getKey(apiKey.keyId);
      if (record?.usageKeyId === apiKey.id && wantsGatewayKey(record, now)) continue;
      try {
        if (record?.usageKeyId === apiKey.id) await this.reconcileOrThrow(record.keyId, SYSTEM);
        else await this.deps.gateway.remove(apiKey.id);
        removed.push(apiKey.id);
      } catch (error) {
        failed++;
        this.deps.onError?.(error, apiKey.keyId);
      }
    }
    return { attached, removed, failed };
  }
}

/** The plan a record's API key is attached to (it changes after the key's plan does). */
const planOfKey = (record: KeyRecord) => record.usageKeyPlan;

/** The live keys that have a plan, through the status index (the sweep's repair pass reads them all). */
export async function* liveKeysWithPlan(
  store: Pick<KeyStore, 'listKeys'>,
  now: Date,
): AsyncIterable<KeyRecord> {
  for (const status of ['active', 'inactive'] as const) {
    let cursor: string | undefined;
    do {
      const page = await store.listKeys({ status }, 100, cursor, now);
      for (const record of page.items) if (record.plan !== undefined) yield record;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
}

export interface QuotaNoticeDeps {
  readonly store: KeyStore;
  readonly plans: Plans;
  readonly counter: QuotaCounter;
  readonly events: EventPublisher;
  readonly now: () => Date;
}

/**
 * "API Key Quota Threshold" in AWS, from the sweep: for each live key on a plan with a quota,
 * the period's count from API Gateway (GetUsage); each threshold reached (80%, 100%) is written
 * to the key first (`quotaNotices`, version-conditioned), then published, and undone if the
 * publish fails. So each fires at most once per key and period, even with two sweeps at once.
 */
export async function announceQuotaThresholds(
  live: AsyncIterable<KeyRecord>,
  deps: QuotaNoticeDeps,
): Promise<{ announced: number; failed: number }> {
  let announced = 0;
  let failed = 0;
  const now = deps.now();
  for await (const record of live) {
    const plan = record.plan ? deps.plans[record.plan] : undefined;
    if (!plan?.quota || !wantsGatewayKey(record, now)) continue;
    const window = quotaWindow(plan.quota.period, now);
    const periodStart = window.start.toISOString();
    const { used } = await deps.counter.used(record, record.plan as string, window.start, now);
    const fresh = reachedThresholds(used, plan.quota.limit).filter(
      (t) => !record.quotaNotices?.includes(`${periodStart}:${t}`),
    );
    if (!fresh.length) continue;
    const at = now.toISOString();
    const next: KeyRecord = {
      ...record,
      // Only this period's notices are kept: a new period starts with none.
      quotaNotices: [
        ...(record.quotaNotices ?? []).filter((n) => n.startsWith(periodStart)),
        ...fresh.map((t) => `${periodStart}:${t}`),
      ],
      version: record.version + 1,
    };
    const audit = (action: string) => ({
      audit: auditEntry(
        SYSTEM,
        at,
        action,
        { keyId: record.keyId },
        { quotaNotices: { before: record.quotaNotices ?? null, after: next.quotaNotices } },
      ),
    });
    try {
      await deps.store.updateKey(record, next, audit('key.quota_threshold'));
    } catch (error) {
      if (error instanceof VersionConflictError) continue; // another run took it, or the key changed: next run
      throw error;
    }
    const key = {
      keyId: record.keyId,
      name: record.name,
      owner: record.owner,
      type: record.type,
      environment: record.environment,
    };
    const events = fresh.map((threshold) =>
      quotaThresholdEvent(
        key,
        {
          plan: record.plan as string,
          threshold,
          used,
          limit: plan.quota?.limit ?? 0,
          period: plan.quota?.period ?? 'DAY',
          periodStart,
          resetsAt: window.end.toISOString(),
        },
        at,
      ),
    );
    try {
      await deps.events.publish(events);
      announced += events.length;
    } catch {
      failed += events.length;
      // Undone, so the next run announces it again.
      await deps.store
        .updateKey(next, { ...record, version: next.version + 1 }, audit('key.quota_threshold_undone'))
        .catch(() => undefined);
    }
  }
  return { announced, failed };
}
