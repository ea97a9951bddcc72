import type { RequestContext } from '#domain/keys-service.ts';
import { KeyService } from '#domain/keys-service.ts';
import { QuotaService } from '#domain/quota.ts';
import { RoleService } from '#domain/roles-service.ts';
import { RotationSweep, type SweepResult } from '#domain/sweep.ts';
import {
  announceQuotaThresholds,
  liveKeysWithPlan,
  type RepairResult,
  UsagePlanKeys,
} from '#domain/usage-plan-keys.ts';
import { DynamoAuditStore } from '#store/dynamo-audit.ts';
import { DynamoKeyStore } from '#store/dynamo-keys.ts';
import { DynamoRoleStore } from '#store/dynamo-roles.ts';
import { DynamoUsageStore } from '#store/dynamo-usage.ts';
import { dynamoDocument } from './aws.ts';
import { intEnv, tableName } from './config.ts';
import { eventPublisher } from './events.ts';
import { logger } from './logger.ts';
import { pepperProvider } from './pepper.ts';
import { gatewayKeys, quotaCounter } from './quota-counter.ts';
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
      keyRetentionDays: intEnv('LATCHKEY_KEY_RETENTION_DAYS', 30, 1, 3650),
      auditRetentionDays: auditRetentionDays(),
    },
  );
}

export function keyService(): KeyService {
  keys ??= new KeyService({
    store: keyStore(),
    peppers: pepperProvider(),
    roles: roleStore(),
    now: () => new Date(),
    ownerLimit: intEnv('LATCHKEY_MAX_ACTIVE_KEYS_PER_OWNER', 100, 1, 1_000_000),
    events: eventPublisher(),
    onEventError: (error) => logger.error('event not published', { errorName: (error as Error)?.name }),
    plans: configuredPlans(),
    usageKeys: usagePlanKeys(),
  });
  return keys;
}

const auditRetentionDays = () => intEnv('LATCHKEY_AUDIT_RETENTION_DAYS', 400, 1, 3650);

export function roleStore() {
  return new DynamoRoleStore(
    dynamoDocument(),
    { roles: tableName('roles'), audit: tableName('audit') },
    auditRetentionDays(),
  );
}

export const roleService = () => new RoleService(roleStore(), () => new Date());

export const auditStore = () => new DynamoAuditStore(dynamoDocument(), tableName('audit'));

export const usageStore = () =>
  new DynamoUsageStore(dynamoDocument(), { usage: tableName('usage'), keys: tableName('keys') });

export const rotationSweep = () => withUsagePlanRepair(plainRotationSweep(), usagePlanKeys());

const plainRotationSweep = () =>
  new RotationSweep({
    store: keyStore(),
    events: eventPublisher(),
    now: () => new Date(),
    reminderIntervalDays: intEnv('LATCHKEY_REMINDER_INTERVAL_DAYS', 7, 1, 365),
    expiringSoonDays: intEnv('LATCHKEY_EXPIRING_SOON_DAYS', 7, 0, 365),
    onError: (error) =>
      logger.error('sweep: event not published; undone for the next run', {
        errorName: (error as Error)?.name,
      }),
  });

/** Usage plan mode `perKey` only: the API Gateway key of each Latchkey key. */
export function usagePlanKeys(): UsagePlanKeys | undefined {
  const gateway = gatewayKeys();
  if (usagePlanSettings()?.mode !== 'perKey' || !gateway) return undefined;
  return new UsagePlanKeys({
    store: keyStore(),
    gateway,
    now: () => new Date(),
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
    now: () => new Date(),
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
      const usagePlanKeys = keys ? await keys.repair(liveKeysWithPlan(keyStore(), new Date())) : undefined;
      if (usagePlanKeys?.attached.length || usagePlanKeys?.removed.length || usagePlanKeys?.failed)
        logger.info('usage plan keys repaired', { ...usagePlanKeys });
      const quotaThresholds = await announceQuotaThresholds(liveKeysWithPlan(keyStore(), new Date()), {
        store: keyStore(),
        plans: configuredPlans(),
        counter: quotaCounter(),
        events: eventPublisher(),
        now: () => new Date(),
      });
      return { ...result, ...(usagePlanKeys ? { usagePlanKeys } : {}), quotaThresholds };
    },
  };
}
