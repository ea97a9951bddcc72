import type { Duration } from 'aws-cdk-lib';
import type { IRestApi, Stage } from 'aws-cdk-lib/aws-apigateway';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { IEventBus, Schedule } from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Policy } from '../../functions/domain/compliance/policy.ts';
import type { Plan } from '../../functions/domain/plans/plans.ts';

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
   * Seconds the authorizer keeps a key record (or a "not found") in its per-instance hot-key
   * cache (`LATCHKEY_KEY_CACHE_SECONDS`; LRU, 10,000 entries, concurrent reads of one key
   * coalesced), from 0 to 10. With it, one hot key costs each instance one read per this many
   * seconds instead of one per check.
   *
   * **Revocation bound**: a revoked, disabled or changed key then takes effect within
   * `keyCacheSeconds + authorizerResultsCacheTtl` seconds (this cache, then API Gateway's), not
   * on the next request. The authorizer logs that bound at each cold start, and
   * `maxRevocationSeconds` refuses a combination over it.
   * @default 0 (off: every check reads the key, strongly consistent)
   */
  readonly keyCacheSeconds?: number;
  /**
   * The longest revocation bound (`keyCacheSeconds + authorizerResultsCacheTtl`, in seconds) this
   * deployment accepts; a combination over it fails synthesis.
   * @default undefined (no maximum beyond each setting's own range)
   */
  readonly maxRevocationSeconds?: number;
  /**
   * The header clients send the key in, used where API Gateway needs an identity source: TOKEN
   * authorizers and cached results. Uncached REQUEST and HTTP authorizers take either
   * `Authorization: Bearer` or `x-api-key`.
   * @default 'Authorization'
   */
  readonly keyHeader?: 'Authorization' | 'x-api-key';
  /**
   * Maximum keys an owner may hold (active or disabled). `policy.maxKeysPerOwner` sets the same
   * limit; give one of the two (both, with different values, is refused).
   * @default 100
   */
  readonly maxActiveKeysPerOwner?: number;
  /**
   * The compliance policy every create, update and rotate is held to (a request that breaks it
   * answers 422 `POLICY_VIOLATION`), passed to the functions as `LATCHKEY_POLICY`.
   * @default {} (no rule beyond the owner limit)
   */
  readonly policy?: Policy;
  /**
   * Days without use (since the last use, or creation if never used) before the sweep publishes
   * "API Key Unused", and the compliance report's default threshold.
   * @default 90
   */
  readonly unusedDays?: number;
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
   * Days before expiry of the first "API Key Expiring" event (the second goes out 3 days before).
   * @default 14
   */
  readonly expiringSoonDays?: number;
  /**
   * When a key's requests on its latest day count as unusual (usage overview and the sweep's
   * "API Key Unusual Activity" event): at least `factor` × the median of its earlier days and at
   * least `minRequests`. Keys younger than 7 days are never flagged.
   * @default { factor: 5, minRequests: 100 }
   */
  readonly unusualActivity?: { readonly factor?: number; readonly minRequests?: number };
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
   * Event bus for lifecycle events. Latchkey's own bus denies `events:PutEvents` to every principal
   * but its publishing functions' roles; on a bus of yours in the same stack it denies only events
   * with source "latchkey" to others; an imported bus cannot be guarded (synth warns), so anyone
   * allowed PutEvents on it can forge Latchkey's events and the mail they trigger.
   * @default a bus of Latchkey's own, `<environmentName>-events`
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
   * How long function logs are kept.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * How long the management API's access logs (who called what, from where) are kept.
   * @default the shortest CloudWatch Logs retention that covers `auditRetentionDays` (400 days by default), so the access log lasts as long as the audit trail
   */
  readonly accessLogRetention?: RetentionDays;
  /**
   * The AWS WAF web ACL on the management API stage: a per-IP rate-based rule for each public
   * method (the route table's public routes, `POST /v1/leaks/github` today, and `GET /healthz`).
   * WAF bills the web ACL, each rule and every request to the stage (see the README).
   * @default { enabled: true, requestsPerIp: 300, windowSeconds: 300, action: 'block' }
   */
  readonly waf?: WafOptions;
  /**
   * The leak report endpoint (`POST /v1/leaks/github`, GitHub secret scanning): what a leaked
   * key gets, where the signing keys come from, and the public method's throttling.
   * @default { action: 'revoke', keysUrl: GitHub's, throttling: { rateLimit: 5, burstLimit: 10 } }
   */
  readonly leakReport?: LeakReportOptions;
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
  /**
   * The self-service portal: the built web app in S3 behind a CloudFront distribution, and the
   * portal's routes (`/portal/api/*`, `/portal/enter`) on a REST API of their own behind the same
   * distribution. `POST /v1/portal/sessions` makes links to it (`https://<domainName or the
   * distribution's name>/portal/enter?code=…`). CloudFront bills requests and data out; see the README.
   * @default { enabled: true, assets: the repository's web/dist } on the distribution's own name
   */
  readonly portal?: PortalOptions;
}

/**
 * The leak report endpoint in AWS: `POST /v1/leaks/github` is a public method (GitHub signs its
 * reports; it has no AWS identity) with its own low throttling, its function gets the key list URL
 * and the action, and every leak found is a metric with an alarm.
 */
export interface LeakReportOptions {
  /**
   * What a key whose secret is reported leaked gets.
   * @default 'revoke'
   */
  readonly action?: 'revoke' | 'disable';
  /**
   * Where the secret scanning signing keys are fetched from.
   * @default 'https://api.github.com/meta/public_keys/secret_scanning'
   */
  readonly keysUrl?: string;
  /**
   * Throttling of the public report method (requests per second, and burst), apart from the
   * management API's.
   * @default { rateLimit: 5, burstLimit: 10 }
   */
  readonly throttling?: { readonly rateLimit: number; readonly burstLimit: number };
}

/** A protected REST API stage the usage plans apply to. */
export interface UsagePlanStage {
  readonly api: IRestApi;
  readonly stage: Stage;
}

/**
 * The AWS WAF web ACL on the management API stage (and the portal API's): a per-IP rate-based rule
 * for each method API Gateway serves without IAM and without a session (the route table's public
 * routes, `GET /healthz` and the portal link's landing), so one noisy caller is stopped at WAF
 * instead of using up the method's throttling for everyone else.
 */
export interface WafOptions {
  /**
   * Whether to make the web ACL. Without it, a public route has only its API Gateway throttling,
   * one bucket that any single caller can drain.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Requests one IP address may send to one public route within `windowSeconds`; past it, WAF
   * answers that address 429 on that route until its rate falls back under the limit
   * (WAF accepts 10 to 2,000,000,000).
   * @default 300
   */
  readonly requestsPerIp?: number;
  /**
   * The limit for some routes, by `"METHOD /path"` as the route table writes them:
   * `{ "POST /v1/leaks/github": 100, "GET /healthz": 60 }`. Others take `requestsPerIp`.
   * @default {}
   */
  readonly routes?: Readonly<Record<string, number>>;
  /**
   * The window WAF counts each address's requests over, in seconds: 60, 120, 300 or 600.
   * @default 300
   */
  readonly windowSeconds?: 60 | 120 | 300 | 600;
  /**
   * `block` answers a limited address 429; `count` only counts it in WAF's metrics (to try a limit
   * on real traffic before enforcing it).
   * @default 'block'
   */
  readonly action?: 'block' | 'count';
}

export interface PortalOptions {
  /**
   * Whether to deploy the portal (the distribution, its bucket, the portal API and its functions,
   * and `POST`/`DELETE /v1/portal/sessions`).
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * The host name the portal is served on (`keys.example.com`); you point it at the distribution
   * (a DNS alias or CNAME). Portal links are made for it.
   * @default undefined (the distribution's own `*.cloudfront.net` name)
   */
  readonly domainName?: string;
  /**
   * The ACM certificate for `domainName`. CloudFront takes certificates from us-east-1 only,
   * whatever the stack's Region: make it there (a stack of its own, or the console).
   * @default undefined (required with `domainName`)
   */
  readonly certificate?: ICertificate;
  /**
   * The built web app (`index.html` and `assets/`), uploaded to the portal's bucket at deploy.
   * `infra/app.ts` builds it before synth (`node --import tsx web/build.ts` does the same).
   * @default the repository's web/dist
   */
  readonly assets?: string;
}
