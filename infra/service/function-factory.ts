import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { SettingValues } from '../../functions/config/settings.ts';
import { ownerLimitOf } from '../../functions/domain/compliance/policy.ts';
import { tableEnvVar } from '../../functions/store/tables.ts';
import { LatchkeyFunction, type LatchkeyFunctionProps } from '../latchkey-function.ts';
import { type AccessTargets, grantFunctionAccess } from './function-access.ts';
import type { ApiKeyServiceProps } from './props.ts';
import type { ServiceTables } from './tables.ts';

/** One function of the service: its handler module, and what it needs beyond the defaults. */
export type ServiceFunctionOptions = Omit<LatchkeyFunctionProps, 'logRetention'>;

/**
 * Makes every function of the service one way: the shared environment (table names, pepper,
 * bus, limits) plus its own, the service's log retention, and exactly its `FUNCTION_ACCESS` grants.
 */
export class ServiceFunctionFactory {
  /** Every function made so far, by handler, in the order they were made. */
  readonly functions: Record<string, LatchkeyFunction> = {};
  private readonly environment: SettingValues;
  private readonly logRetention: RetentionDays;

  constructor(
    private readonly scope: Construct,
    private readonly targets: AccessTargets,
    props: ApiKeyServiceProps & { readonly logRetention: RetentionDays },
  ) {
    this.environment = serviceEnvironment(props, targets);
    this.logRetention = props.logRetention;
  }

  make(options: ServiceFunctionOptions): LatchkeyFunction {
    const { handler } = options;
    const fn = new LatchkeyFunction(this.scope, toId(handler), {
      ...options,
      environment: { ...this.environment, ...options.environment },
      logRetention: this.logRetention,
    });
    grantFunctionAccess(fn, handler, this.targets);
    this.functions[handler] = fn;
    return fn;
  }

  /** The function for `handler`, made on first use (several routes may share one handler). */
  forHandler(options: ServiceFunctionOptions): LatchkeyFunction {
    return this.functions[options.handler] ?? this.make(options);
  }
}

/** What every function reads at init: table names, the pepper, the bus and the service limits. */
function serviceEnvironment(props: ApiKeyServiceProps, targets: AccessTargets): SettingValues {
  const environment: SettingValues = {
    LATCHKEY_PEPPER_SECRET_ARN: targets.pepper.secretArn,
    LATCHKEY_EVENT_BUS_NAME: targets.bus.eventBusName,
    // One owner limit, whichever prop set it (validate() refused two that disagree).
    LATCHKEY_MAX_ACTIVE_KEYS_PER_OWNER: String(
      ownerLimitOf(props.policy ?? {}, props.maxActiveKeysPerOwner, 'maxActiveKeysPerOwner'),
    ),
    LATCHKEY_POLICY: JSON.stringify(props.policy ?? {}),
    LATCHKEY_UNUSED_DAYS: String(props.unusedDays ?? 90),
    LATCHKEY_REMINDER_INTERVAL_DAYS: String(props.reminderIntervalDays ?? 7),
    LATCHKEY_EXPIRING_SOON_DAYS: String(props.expiringSoonDays ?? 14),
    LATCHKEY_AUDIT_RETENTION_DAYS: String(props.auditRetentionDays ?? 400),
    LATCHKEY_UNUSUAL_FACTOR: String(props.unusualActivity?.factor ?? 5),
    LATCHKEY_UNUSUAL_MIN_REQUESTS: String(props.unusualActivity?.minRequests ?? 100),
    LATCHKEY_IMPORT_ROTATION_DAYS: String(props.importRotationDays ?? 0),
  };
  for (const [tableId, table] of Object.entries(targets.tables))
    environment[tableEnvVar(tableId as keyof ServiceTables)] = table.tableName;
  return environment;
}

/** `keys-create` → `KeysCreate`: the construct ID, kept stable so logical IDs never move. */
function toId(handler: string) {
  return handler
    .split('-')
    .map((part) => `${part[0]?.toUpperCase()}${part.slice(1)}`)
    .join('');
}
