import { Duration } from 'aws-cdk-lib';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { FilterPattern, SubscriptionFilter } from 'aws-cdk-lib/aws-logs';
import { LambdaDestination } from 'aws-cdk-lib/aws-logs-destinations';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  AUTHORIZER_CHECK_DEADLINE_MS,
  AUTHORIZER_CLIENT_BOUNDS,
} from '../../functions/config/authorizer-bounds.ts';
import type { LatchkeyFunction } from '../latchkey-function.ts';
import type { ServiceFunctionFactory } from './function-factory.ts';
import type { ApiKeyServiceProps } from './props.ts';
import { FAILURE_QUEUE_DEFAULTS } from './queue-defaults.ts';
import { keyCacheEnvironment } from './revocation.ts';
import type { VerificationLog } from './verification-log.ts';

/** The authorizer your APIs call on every request. */
export function createAuthorizerFunction(functions: ServiceFunctionFactory, props: ApiKeyServiceProps) {
  return functions.make({
    handler: 'authorizer',
    environment: {
      LATCHKEY_ROUTE_PERMISSIONS: JSON.stringify(props.routePermissions ?? {}),
      LATCHKEY_USAGE_SOURCE: 'logs',
      // Every DynamoDB and Secrets Manager call fails well inside the 5 s timeout, so a fault is logged and counted.
      LATCHKEY_AWS_CONNECTION_TIMEOUT_MS: String(AUTHORIZER_CLIENT_BOUNDS.connectionTimeoutMs),
      LATCHKEY_DYNAMODB_TIMEOUT_MS: String(AUTHORIZER_CLIENT_BOUNDS.requestTimeoutMs),
      LATCHKEY_DYNAMODB_MAX_ATTEMPTS: String(AUTHORIZER_CLIENT_BOUNDS.maxAttempts),
      LATCHKEY_CHECK_DEADLINE_MS: String(AUTHORIZER_CHECK_DEADLINE_MS),
      ...(props.workspaceSource ? { LATCHKEY_WORKSPACE_SOURCE: props.workspaceSource } : {}),
      ...(props.keyHeader ? { LATCHKEY_KEY_HEADER: props.keyHeader } : {}),
      ...keyCacheEnvironment(props, props.authorizerResultsCacheTtl?.toSeconds() ?? 0),
    },
    memorySize: 512,
    timeout: Duration.seconds(5),
  });
}

/**
 * Usage from the per-check EMF lines of the authorizer and of POST /v1/verify, through log
 * subscriptions: neither writes usage, and counts outlive the instance that made them; and the
 * canary trips of the public report's check (`credentialsCheck`), which reach the key as the
 * authorizer's do. Batches that keep failing go to a queue (and raise an alarm). With the
 * verification log, every check's line of the authorizer reaches usage-ingest (`$.code`: a
 * refusal that named no key too), which sends each to the Firehose stream; without it, only the
 * lines that count against a key (`$.usage`).
 */
export function createUsageIngest(
  scope: Construct,
  functions: ServiceFunctionFactory,
  sources: { readonly authorizer: LatchkeyFunction; readonly credentialsCheck: LatchkeyFunction },
  verificationLog?: VerificationLog,
) {
  const ingest = functions.make({
    handler: 'usage-ingest',
    memorySize: 256,
    timeout: Duration.seconds(30),
    environment: verificationLog ? { LATCHKEY_VERIFICATION_STREAM: verificationLog.deliveryStreamName } : {},
  });
  verificationLog?.grantPutRecordBatch(ingest);
  const failures = new Queue(scope, 'UsageFailures', FAILURE_QUEUE_DEFAULTS);
  ingest.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(failures) });
  const subscribe = (id: string, fn: LatchkeyFunction, field: string) =>
    new SubscriptionFilter(scope, id, {
      logGroup: fn.logGroupRef,
      destination: new LambdaDestination(ingest),
      filterPattern: FilterPattern.exists(field),
    });
  subscribe('UsageFromAuthorizerLog', sources.authorizer, verificationLog ? '$.code' : '$.usage');
  const verify = functions.functions.verify;
  if (!verify) throw new Error('ApiKeyService: the verify route is missing');
  subscribe('UsageFromVerifyLog', verify, '$.usage');
  subscribe('UsageFromCredentialsCheckLog', sources.credentialsCheck, '$.usage');
  return { failures };
}
