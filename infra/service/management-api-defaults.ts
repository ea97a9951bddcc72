import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  EndpointType,
  MethodLoggingLevel,
  type RestApiProps,
  type StageOptions,
} from 'aws-cdk-lib/aws-apigateway';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/** Management API stage throttling unless `managementThrottling` says otherwise. */
export const MANAGEMENT_THROTTLING = { rateLimit: 50, burstLimit: 100 } as const;

/** A regional endpoint; the CloudWatch role API Gateway logs with outlives the stack. */
export const MANAGEMENT_API_DEFAULTS: Pick<
  RestApiProps,
  'endpointConfiguration' | 'cloudWatchRole' | 'cloudWatchRoleRemovalPolicy'
> = {
  endpointConfiguration: { types: [EndpointType.REGIONAL] },
  cloudWatchRole: true,
  cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
};

/**
 * The stage: JSON access logs, error-level execution logs without request or response bodies
 * (they carry secrets), X-Ray tracing and metrics.
 */
export const MANAGEMENT_STAGE_DEFAULTS = {
  stageName: 'v1',
  accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
  loggingLevel: MethodLoggingLevel.ERROR,
  dataTraceEnabled: false,
  tracingEnabled: true,
  metricsEnabled: true,
} as const satisfies StageOptions;

/** Seconds an instance keeps its readiness answer: a caller of the public probe reaches DynamoDB at most this often. */
export const READINESS_CACHE_SECONDS = 5;

/** The retention periods CloudWatch Logs offers, shortest first (`INFINITE` last). */
export const LOG_RETENTIONS = (
  Object.values(RetentionDays).filter((v) => typeof v === 'number') as number[]
).sort((a, b) => a - b) as RetentionDays[];

/** The shortest retention CloudWatch Logs offers that keeps logs at least `days`. */
export function retentionCovering(days: number): RetentionDays {
  return LOG_RETENTIONS.find((r) => r >= days) ?? RetentionDays.INFINITE;
}

/** Headers on every answer API Gateway makes itself (its refusals), as on every answer of the functions. */
export const GATEWAY_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': "'nosniff'",
  'Cache-Control': "'no-store'",
};

/**
 * Each method's function is invoked by its stage only, not also by the console's "Test" button
 * (a second Lambda permission per method): the stack stays under CloudFormation's 500 resources
 * with the protected API and its usage plans beside it.
 */
export const NO_TEST_INVOKE = { allowTestInvoke: false } as const;

/**
 * The route functions that need more than the defaults, the management API's and the portal's
 * alike: memory (which brings CPU with it) and time.
 */
export const FUNCTION_SIZING: Readonly<
  Record<string, { readonly memorySize?: number; readonly timeout?: Duration }>
> = {
  // Rotation hashes a new secret and runs a transaction: more CPU.
  'keys-rotate': { memorySize: 512 },
  'portal-keys-rotate': { memorySize: 512 },
  // The compliance report reads every live key: more time and memory (API Gateway waits 29 s at most).
  'reports-compliance': { memorySize: 1024, timeout: Duration.seconds(29) },
  // The kill switch works LATCHKEY_BULK_BUDGET_SECONDS (20) a call, then answers done: false.
  'keys-bulk': { memorySize: 1024, timeout: Duration.seconds(29) },
};
