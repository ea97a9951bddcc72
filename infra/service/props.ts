import type { Duration } from 'aws-cdk-lib';
import type { IEventBus, Schedule } from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Plan } from '../../functions/domain/plans.ts';
import type { UsagePlanStage } from './usage-plans.ts';

/** Where a protected API's workspace comes from (see the README's authorizer settings). */
export type WorkspaceSource = `fixed:${string}` | `header:${string}` | `path:${string}`;

export interface ApiKeyServiceProps {
  /**
   * Name of this deployment (`prod`, `dev`, …), used in resource names and the dashboard.
   * @default 'latchkey'
   */
  readonly environmentName?: string;
  /**
   * Route map of the protected APIs: `{ "GET /orders/*": "orders:read" }`.
   * @default {} (every route needs its method's default permission)
   */
  readonly routePermissions?: Readonly<Record<string, string>>;
  /**
   * Where the workspace of a protected request comes from.
   * @default undefined (no workspace check)
   */
  readonly workspaceSource?: WorkspaceSource;
  /**
   * How long API Gateway may cache an authorizer result. Revocation then takes up to this long.
   * @default Duration.seconds(0) (no caching: revocation takes effect on the next request)
   */
  readonly authorizerResultsCacheTtl?: Duration;
  /**
   * The header clients send the key in, used where API Gateway needs an identity source: TOKEN
   * authorizers and cached results. Uncached REQUEST and HTTP authorizers take either
   * `Authorization: Bearer` or `x-api-key`.
   * @default 'Authorization'
   */
  readonly keyHeader?: 'Authorization' | 'x-api-key';
  /**
   * Maximum keys an owner may hold (active or disabled).
   * @default 100
   */
  readonly maxActiveKeysPerOwner?: number;
  /**
   * When the rotation sweep runs.
   * @default Schedule.rate(Duration.days(1))
   */
  readonly sweepSchedule?: Schedule;
  /**
   * Days between reminders for a key that stays due for rotation.
   * @default 7
   */
  readonly reminderIntervalDays?: number;
  /**
   * Days before expiry that the "expiring soon" event goes out.
   * @default 7
   */
  readonly expiringSoonDays?: number;
  /**
   * E-mail address that receives alarms and rotation reminders (through SNS).
   * @default undefined (no e-mail)
   */
  readonly alarmEmail?: string;
  /**
   * Refused checks per 5 minutes that raise the failed-auth alarm.
   * @default 100
   */
  readonly failedAuthAlarmThreshold?: number;
  /**
   * Event bus for lifecycle events.
   * @default the account's default bus
   */
  readonly eventBus?: IEventBus;
  /**
   * Days audit records are kept.
   * @default 400
   */
  readonly auditRetentionDays?: number;
  /**
   * Management API stage throttling (requests per second, and burst).
   * @default { rateLimit: 50, burstLimit: 100 }
   */
  readonly managementThrottling?: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * How long function and access logs are kept.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * Usage plans by name: a throttle (`rateLimit` requests per second, `burstLimit`) and an optional
   * quota (`{ limit, period: 'DAY' | 'WEEK' | 'MONTH' }`), the shape of `LATCHKEY_PLANS`. Each
   * becomes an API Gateway usage plan on `usagePlanStages`; a key's `plan` must name one.
   * Bad plans are reported, each field named, with the other bad props.
   * @default {} (no plans: keys carry no plan)
   */
  readonly plans?: Readonly<Record<string, Plan>>;
  /**
   * How keys reach their plan's usage plan. `shared`: one API Gateway key per plan, so all keys of
   * a plan share one throttle bucket and one quota (no limit on the number of keys). `perKey`: one
   * API Gateway key per Latchkey key, made and deleted by the management functions, so each key
   * has its own bucket and quota, up to API Gateway's 10,000 API keys per account and region.
   * @default 'shared'
   */
  readonly usagePlanMode?: 'shared' | 'perKey';
  /**
   * The protected REST API stages the usage plans apply to (the API's `apiKeySourceType` must be
   * `AUTHORIZER` and its methods `apiKeyRequired`: `restAuthorizer()` and `protectedMethod()` set
   * both). Stages made later: `service.addUsagePlanStage(api, stage)`.
   * @default [] (none)
   */
  readonly usagePlanStages?: readonly UsagePlanStage[];
}
