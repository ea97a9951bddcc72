import type { Duration } from 'aws-cdk-lib';
import type { IEventBus, Schedule } from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';

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
   * Days between automatic pepper rotations (Secrets Manager's schedule and Latchkey's rotation
   * function, which adds a version and keeps the old ones; retire old versions with
   * `latchkey pepper retire`).
   * @default 90
   */
  readonly pepperRotationDays?: number;
  /**
   * Days until a key imported through `POST /v1/keys/import` is due for rotation (0: at once).
   * @default 0
   */
  readonly importRotationDays?: number;
}
