import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { ServiceFunctionFactory } from './function-factory.ts';
import { leakActionEnvironment } from './leak-report.ts';
import type { LeakReportOptions } from './props.ts';
import { FAILURE_QUEUE_DEFAULTS } from './queue-defaults.ts';

/** How often the "API Key Still In Use" checks run: each fires within this long of its hour. */
export const GRACE_CHECK_RATE = Duration.minutes(5);

/**
 * POST /v1/credentials/revoke in two functions: the public one answers 202 at once and hands the
 * fingerprints (key IDs and hashes, never the strings) to the check, invoked asynchronously, so
 * neither the answer nor its timing depends on what was sent. Lambda retries a failed check
 * twice, then keeps it in a failure queue.
 */
export function createCredentialReports(
  scope: Construct,
  functions: ServiceFunctionFactory,
  options: LeakReportOptions = {},
) {
  const action = leakActionEnvironment(options);
  const check = functions.make({
    handler: 'credentials-check',
    environment: action,
    // 1,000 candidates, each a read and, for a live key, a revocation.
    timeout: Duration.minutes(2),
  });
  const failures = new Queue(scope, 'CredentialReportFailures', FAILURE_QUEUE_DEFAULTS);
  check.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(failures) });
  const revoke = functions.make({
    handler: 'credentials-revoke',
    environment: { ...action, LATCHKEY_REPORT_WORKER: check.functionName },
  });
  // This function only, not its versions (grantInvoke would add `:*`).
  revoke.addToRolePolicy(
    new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [check.functionArn] }),
  );
  return { check, revoke, failures };
}

/**
 * The "API Key Still In Use" checks: a rule every 5 minutes runs those that are due, from a
 * sparse index (usually empty: one query that reads nothing). Chosen over a one-time EventBridge
 * Scheduler schedule per rotation: the check time lives on the key, so extend-grace moves it in
 * the same write as the new end, a revoked or deleted key leaves the index with nothing to clean
 * up, no role has to be passed to Scheduler, and the local server runs the same handler on its
 * timer. It fires within 5 minutes of the hour.
 */
export function createGraceCheck(scope: Construct, functions: ServiceFunctionFactory) {
  const check = functions.make({ handler: 'grace-check', timeout: Duration.minutes(1) });
  new Rule(scope, 'GraceCheckSchedule', {
    description: 'Latchkey: warn when a rotated key is still used an hour before its grace ends.',
    schedule: Schedule.rate(GRACE_CHECK_RATE),
    targets: [new LambdaFunction(check, { retryAttempts: 2 })],
  });
  return check;
}
