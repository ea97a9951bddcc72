import { now } from '#config/clock.ts';
import { settings, tableName } from '#config/settings.ts';
import { ComplianceService } from '#domain/compliance/compliance-report.ts';
import { ownerLimitOf, parsePolicy } from '#domain/compliance/policy.ts';
import type { ImportDeps } from '#domain/keys/key-import.ts';
import { KeyService } from '#domain/keys/key-service.ts';
import { PepperService } from '#domain/pepper/pepper-service.ts';
import { QuotaService } from '#domain/plans/quota-service.ts';
import {
  announceQuotaThresholds,
  liveKeysWithPlan,
  type RepairResult,
  UsagePlanKeys,
} from '#domain/plans/usage-plan-keys.ts';
import { RoleService } from '#domain/roles/role-service.ts';
import { RotationSweep, type SweepResult } from '#domain/rotation/rotation-sweep.ts';
import type { RequestContext } from '#domain/shared/request-context.ts';
import { ClosedDayCache } from '#domain/usage/closed-day-cache.ts';
import { requestsIn } from '#domain/usage/key-usage.ts';
import { UsageOverview } from '#domain/usage/usage-overview.ts';
import { USAGE_DAYS_KEPT } from '#domain/usage/usage-window.ts';
import { dynamoDocument } from '#platform/aws/clients.ts';
import { eventPublisher } from '#platform/aws/event-publisher.ts';
import { pepperProvider } from '#platform/aws/pepper-provider.ts';
import { pepperVault } from '#platform/aws/pepper-vault.ts';
import { gatewayKeys, quotaCounter } from '#platform/aws/quota-counter.ts';
import { logger } from '#platform/observability/logger.ts';
import { DynamoAuditStore } from '#store/dynamo-audit.ts';
import { DynamoKeyStore } from '#store/dynamo-keys.ts';
import { DynamoLiveKeys } from '#store/dynamo-live-keys.ts';
import { DynamoPepperUsageStore } from '#store/dynamo-pepper.ts';
import { DynamoRequestLog } from '#store/dynamo-requests.ts';
import { DynamoRoleStore } from '#store/dynamo-roles.ts';
import { DynamoUsageStore } from '#store/dynamo-usage.ts';
import { DynamoUsageOverviewSource } from '#store/dynamo-usage-overview.ts';
import { KeyMigration } from '#store/key-migration.ts';
import { configuredPlans, usagePlanSettings } from './usage-plans.ts';

/**
 * The composition root: the adapters wired into the domain, built once per process at init so a
 * missing setting fails the cold start, not a request.
 */
let keys: KeyService | undefined;

export function keyStore() {
  return new DynamoKeyStore(
    dynamoDocument(),
    {
      keys: tableName('keys'),
      owners: tableName('owners'),
      audit: tableName('audit'),
      roles: tableName('roles'),
    },
    {
      keyRetentionDays: settings().LATCHKEY_KEY_RETENTION_DAYS,
      auditRetentionDays: auditRetentionDays(),
    },
  );
}

export function keyService(): KeyService {
  if (keys) return keys;
  const store = keyStore();
  // Made at the first rotation with grace, then kept: a function that never rotates needs no usage table.
  let usage: DynamoUsageStore | undefined;
  keys = new KeyService({
    store,
    itemOf: (record) => store.toItem(record),
    peppers: pepperProvider(),
    roles: roleStore(),
    now,
    ownerLimit: ownerLimit(),
    policy: policy(),
    events: eventPublisher(),
    onEventError: (error) => logger.error('event not published', { errorName: (error as Error)?.name }),
    plans: configuredPlans(),
    usageKeys: usagePlanKeys(),
    requestsOnDay: async (keyId, day) => {
      usage ??= usageStore();
      return requestsIn((await usage.days(keyId, day)).filter((d) => d.date === day));
    },
  });
  return keys;
}

/** The compliance policy (LATCHKEY_POLICY), parsed and checked at init: a bad one fails the start. */
export const policy = () => parsePolicy(settings().LATCHKEY_POLICY);

/** The owner limit: the policy's maxKeysPerOwner, else LATCHKEY_MAX_ACTIVE_KEYS_PER_OWNER, else 100. */
function ownerLimit() {
  const name = 'LATCHKEY_MAX_ACTIVE_KEYS_PER_OWNER';
  const legacy = settings()[name];
  return ownerLimitOf(policy(), legacy, name);
}

/** POST /v1/keys/import: what a create needs, and LATCHKEY_IMPORT_ROTATION_DAYS (default 0: due at once). */
export const importDeps = (): ImportDeps => {
  const store = keyStore();
  return {
    store,
    itemOf: (record) => store.toItem(record),
    policy: policy(),
    peppers: pepperProvider(),
    roles: roleStore(),
    now,
    ownerLimit: ownerLimit(),
    events: eventPublisher(),
    onEventError: (error) => logger.error('event not published', { errorName: (error as Error)?.name }),
    importRotationDays: settings().LATCHKEY_IMPORT_ROTATION_DAYS,
  };
};

export const auditRetentionDays = () => settings().LATCHKEY_AUDIT_RETENTION_DAYS;

export function roleStore() {
  return new DynamoRoleStore(
    dynamoDocument(),
    { roles: tableName('roles'), audit: tableName('audit') },
    auditRetentionDays(),
  );
}

export const roleService = () => new RoleService(roleStore(), now);

export const auditStore = () => new DynamoAuditStore(dynamoDocument(), tableName('audit'));

export const usageStore = () =>
  new DynamoUsageStore(dynamoDocument(), { usage: tableName('usage'), keys: tableName('keys') });

export const requestLog = () => new DynamoRequestLog(dynamoDocument(), tableName('requests'));

/**
 * The overview, with closed days kept in memory for LATCHKEY_USAGE_OVERVIEW_CACHE_SECONDS; "far
 * above its baseline" is LATCHKEY_UNUSUAL_FACTOR × the median day and LATCHKEY_UNUSUAL_MIN_REQUESTS.
 */
export const usageOverview = () =>
  new UsageOverview({
    source: new ClosedDayCache(
      new DynamoUsageOverviewSource(dynamoDocument(), { usage: tableName('usage'), keys: tableName('keys') }),
      {
        ttlMs: settings().LATCHKEY_USAGE_OVERVIEW_CACHE_SECONDS * 1000,
        // A 30-day window and the sweep's two windows ending yesterday and today: 31 days.
        maxDays: USAGE_DAYS_KEPT + 1,
        maxRows: 1_000_000,
        now,
      },
    ),
    now,
    thresholds: {
      factor: settings().LATCHKEY_UNUSUAL_FACTOR,
      minRequests: settings().LATCHKEY_UNUSUAL_MIN_REQUESTS,
    },
  });

export const rotationSweep = () => withUsagePlanRepair(plainRotationSweep(), usagePlanKeys());

/** Key items brought in line with what this version derives (see store/key-migration.ts). */
export const keyMigration = () =>
  new KeyMigration(dynamoDocument(), keyStore(), { keys: tableName('keys'), owners: tableName('owners') });

/**
 * The scheduled sweep: before its run, a minute at most of bringing older key items in line with
 * this version (a new index's attribute, say), carried on by the next run until done.
 */
export function scheduledSweep() {
  const sweep = rotationSweep();
  const migration = keyMigration();
  return {
    async run(...args: Parameters<typeof sweep.run>) {
      // The sweep's own work comes first in importance: a migration that fails is retried next run.
      try {
        const migrated = await migration.step({ budgetMs: 60_000 });
        if (migrated.updated > 0 || !migrated.done) logger.info('key items brought in line', { ...migrated });
      } catch (error) {
        logger.error('key items not brought in line; the next sweep carries on', { error: error as Error });
      }
      return sweep.run(...args);
    },
  };
}

const plainRotationSweep = () => {
  const store = keyStore();
  return new RotationSweep({
    store,
    unused: store,
    unusedDays: unusedDays(),
    disableUnusedAfterDays: policy().disableUnusedAfterDays,
    usage: usageOverview(),
    events: eventPublisher(),
    now,
    reminderIntervalDays: settings().LATCHKEY_REMINDER_INTERVAL_DAYS,
    expiringSoonDays: settings().LATCHKEY_EXPIRING_SOON_DAYS,
    onError: (error) =>
      logger.error('sweep: event not published; undone for the next run', {
        errorName: (error as Error)?.name,
      }),
  });
};

/** Days without use after which a key is "unused": the report's default and the sweep's notice. */
export const unusedDays = () => settings().LATCHKEY_UNUSED_DAYS;

export const complianceService = () =>
  new ComplianceService({
    keys: new DynamoLiveKeys(dynamoDocument(), tableName('keys')),
    peppers: pepperProvider(),
    now,
    unusedDays: unusedDays(),
    disableUnusedAfterDays: policy().disableUnusedAfterDays,
  });

/** Usage plan mode `perKey` only: the API Gateway key of each Latchkey key. */
export function usagePlanKeys(): UsagePlanKeys | undefined {
  const gateway = gatewayKeys();
  if (usagePlanSettings()?.mode !== 'perKey' || !gateway) return undefined;
  return new UsagePlanKeys({
    store: keyStore(),
    gateway,
    now,
    onError: (error, keyId) =>
      logger.error('usage plan key not in line; the next sweep repairs it', {
        keyId,
        errorName: (error as Error)?.name,
      }),
  });
}

export const quotaService = () =>
  new QuotaService({
    store: keyStore(),
    plans: configuredPlans(),
    counter: quotaCounter(),
    now,
  });

/**
 * With usage plans deployed, every sweep run that writes also repairs the API Gateway keys (perKey:
 * makes the missing ones, deletes the orphans; a step that fails is logged and left to the next
 * run) and announces the quota thresholds keys reached (from GetUsage).
 */
export function withUsagePlanRepair(sweep: RotationSweep, keys: UsagePlanKeys | undefined) {
  return {
    async run(
      options: { asOf?: Date; dryRun?: boolean },
      ctx: RequestContext,
    ): Promise<
      SweepResult & { usagePlanKeys?: RepairResult; quotaThresholds?: { announced: number; failed: number } }
    > {
      const result = await sweep.run(options, ctx);
      if (!usagePlanSettings() || result.dryRun) return result;
      const usagePlanKeys = keys ? await keys.repair(liveKeysWithPlan(keyStore(), now())) : undefined;
      if (usagePlanKeys?.attached.length || usagePlanKeys?.removed.length || usagePlanKeys?.failed)
        logger.info('usage plan keys repaired', { ...usagePlanKeys });
      const quotaThresholds = await announceQuotaThresholds(liveKeysWithPlan(keyStore(), now()), {
        store: keyStore(),
        plans: configuredPlans(),
        counter: quotaCounter(),
        events: eventPublisher(),
        now,
      });
      return { ...result, ...(usagePlanKeys ? { usagePlanKeys } : {}), quotaThresholds };
    },
  };
}

/** Pepper rotation, retirement and per-version counts (LATCHKEY_PEPPER_RETIRE_GRACE_SECONDS: see pepper-rotation.ts). */
export const pepperService = () =>
  new PepperService({
    vault: pepperVault(),
    store: new DynamoPepperUsageStore(
      dynamoDocument(),
      { keys: tableName('keys'), owners: tableName('owners'), audit: tableName('audit') },
      auditRetentionDays(),
    ),
    now,
    // Locally this process is the only pepper reader and is told of changes at once.
    retireGraceSeconds:
      settings().LATCHKEY_PEPPER_RETIRE_GRACE_SECONDS ??
      (settings().LATCHKEY_PEPPER_FILE ? 0 : settings().LATCHKEY_PEPPER_MAX_AGE_SECONDS),
  });
