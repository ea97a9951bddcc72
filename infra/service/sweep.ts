import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { ServiceFunctionFactory } from './function-factory.ts';
import { FAILURE_QUEUE_DEFAULTS } from './queue-defaults.ts';

/** The rotation sweep on a schedule (daily by default); failed runs go to a queue and raise an alarm. */
export function createSweep(scope: Construct, functions: ServiceFunctionFactory, schedule?: Schedule) {
  const sweep = functions.make({ handler: 'sweep-scheduled', memorySize: 512, timeout: Duration.minutes(5) });
  const failures = new Queue(scope, 'SweepFailures', FAILURE_QUEUE_DEFAULTS);
  sweep.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(failures) });
  new Rule(scope, 'SweepSchedule', {
    description: 'Latchkey: flag keys due for rotation and remind their owners.',
    schedule: schedule ?? Schedule.rate(Duration.days(1)),
    targets: [new LambdaFunction(sweep, { retryAttempts: 2, deadLetterQueue: failures })],
  });
  return { sweep, failures };
}
