import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { EventField, type IEventBus, type IRuleTarget, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { LatchkeyFunction } from '../latchkey-function.ts';
import { createDashboard } from './dashboard.ts';
import { DOCTOR_DETAIL_TYPE, EVENT_SOURCE } from './event-bus.ts';
import { leaksFound } from './leak-report.ts';
import {
  authorizerFaults,
  canaryTriggered,
  leakKeysFetchFailed,
  refusedChecks,
  sumOf,
  tableThrottles,
} from './metrics.ts';
import type { DeployedTableId, ServiceTables } from './tables.ts';

export interface OperationsSettings {
  readonly name: string;
  readonly bus: IEventBus;
  readonly alarmEmail?: string;
  /** @default 100 */
  readonly failedAuthAlarmThreshold?: number;
  readonly api: RestApi;
  /** @default undefined (no portal) */
  readonly portalApi?: RestApi;
  readonly authorizer: LatchkeyFunction;
  readonly sweep: LatchkeyFunction;
  readonly sweepFailures: Queue;
  readonly usageFailures: Queue;
  /** The functions behind `POST /v1/leaks/github` and `POST /v1/leaks`. */
  readonly leakFunctions: Readonly<Record<string, LatchkeyFunction>>;
  readonly pepperRotation: LatchkeyFunction;
  readonly tables: ServiceTables;
}

/** The notification topic with its KMS key, the rotation reminders, the alarms and the dashboard. */
export function createOperations(scope: Construct, s: OperationsSettings) {
  // Alarms and rotation reminders go to one SNS topic (and e-mail). EventBridge and CloudWatch
  // publish to it as themselves, so its key must be customer managed (alias/aws/sns cannot
  // grant them): they may use it for this topic only, from this account, from these sources.
  const stack = Stack.of(scope);
  const topicName = `${s.name}-notifications`;
  const alarmName = (id: string) => `${s.name}-${id}`;
  const topicArn = stack.formatArn({ service: 'sns', resource: topicName });
  const notificationsKey = new Key(scope, 'NotificationsKey', {
    description: `${s.name}: encrypts the alarm and rotation reminder topic`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const alarmTopic = new Topic(scope, 'Notifications', {
    topicName,
    displayName: `${s.name} alarms and rotation reminders`,
    masterKey: notificationsKey,
    enforceSSL: true,
  });
  if (s.alarmEmail) alarmTopic.addSubscription(new EmailSubscription(s.alarmEmail));
  // Published to by EventBridge as itself, admitted by the topic policy below (no unconditioned grant).
  const toTopic: IRuleTarget = { bind: () => ({ arn: alarmTopic.topicArn }) };
  const reminders = new Rule(scope, 'RotationReminders', {
    description:
      'Latchkey: rotation-due, expiring, unused, unusual-activity and leaked-key events to the notification topic.',
    eventBus: s.bus,
    eventPattern: {
      source: [EVENT_SOURCE],
      detailType: [
        'API Key Rotation Due',
        'API Key Expiring',
        'API Key Unused',
        'API Key Unusual Activity',
        'API Key Leaked',
      ],
    },
    targets: [toTopic],
  });
  // `latchkey doctor` proves EventBridge reaches the encrypted topic with an event of its own. The
  // bus lets anyone put that detail type (event-bus.ts), so the topic gets a fixed text and the
  // event's ID, never the event's own words.
  const doctorChecks = new Rule(scope, 'DoctorChecks', {
    description: "Latchkey: latchkey doctor's test event to the notification topic, as a fixed text.",
    eventBus: s.bus,
    eventPattern: { source: [EVENT_SOURCE], detailType: [DOCTOR_DETAIL_TYPE] },
    targets: [
      {
        bind: () => ({
          arn: alarmTopic.topicArn,
          input: RuleTargetInput.fromObject({
            doctor: EventField.eventId,
            time: EventField.time,
            message: 'latchkey doctor: a test event that EventBridge delivered to this topic. Nothing to do.',
          }),
        }),
      },
    ],
  });

  const refused = refusedChecks();
  const faults = authorizerFaults();
  // Every alarm fires at or above its threshold in one period, stays quiet without data, and notifies the topic.
  const alarm = (id: string, description: string, metric: IMetric, threshold = 1) =>
    new Alarm(scope, id, {
      alarmName: alarmName(id),
      alarmDescription: description,
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  const alarms = [
    alarm(
      'AuthorizerErrors',
      'The authorizer failed (DynamoDB or Secrets Manager faults; it fails closed: callers got 500s).',
      faults,
    ),
    alarm(
      'AuthorizerThrottles',
      'The authorizer was throttled: requests to protected APIs failed.',
      s.authorizer.metricThrottles({ period: Duration.minutes(1) }),
    ),
    alarm(
      'FailedAuthSpike',
      'Many refused API keys: a leaked, revoked or guessed key may be in use.',
      refused,
      s.failedAuthAlarmThreshold ?? 100,
    ),
    alarm(
      'CanaryTriggered',
      'A canary (honeytoken) key was presented: someone found it where it was planted. See the "API Key Canary Triggered" event for the source IP and route.',
      canaryTriggered(),
    ),
    alarm(
      'SweepFailed',
      'The rotation sweep failed or could not publish its events.',
      sumOf(
        {
          errors: s.sweep.metricErrors({ period: Duration.hours(1) }),
          dlq: s.sweepFailures.metricApproximateNumberOfMessagesVisible({ period: Duration.hours(1) }),
        },
        Duration.hours(1),
        'sweep failures',
      ),
    ),
    alarm(
      'UsageIngestFailed',
      'Usage counting failed: batches went to the usage failure queue.',
      s.usageFailures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(15) }),
    ),
    alarm(
      'LeakReported',
      'A leaked API key was reported (GitHub secret scanning or an operator) and revoked or disabled: tell its owner.',
      leaksFound(),
    ),
    alarm(
      'ManagementApi5XX',
      'The management API answered 5XX: a function failed or timed out, or DynamoDB, Secrets Manager or the leak signing keys were out of reach. See the access log and the function logs.',
      s.api.metricServerError({ statistic: 'Sum', period: Duration.minutes(5) }),
    ),
    ...(s.portalApi
      ? [
          alarm(
            'PortalApi5XX',
            "The portal API answered 5XX: a portal user's page failed (a function failed or timed out, or DynamoDB was out of reach). See the portal API's access log and the portal functions' logs.",
            s.portalApi.metricServerError({ statistic: 'Sum', period: Duration.minutes(5) }),
          ),
        ]
      : []),
    alarm(
      'LeakReportFailed',
      "A leak report could not be handled: a leak function failed, or GitHub's signing keys could not be fetched (reports answer 503 until they can). A leaked key may still work.",
      sumOf(
        {
          keysFetchFailed: leakKeysFetchFailed(),
          ...Object.fromEntries(
            Object.entries(s.leakFunctions).map(([handler, fn]) => [
              `${handler.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())}Errors`,
              fn.metricErrors({ period: Duration.minutes(5) }),
            ]),
          ),
        },
        Duration.minutes(5),
        'leak report failures',
      ),
    ),
    alarm(
      'PepperRotationFailed',
      'The scheduled pepper rotation failed: Secrets Manager retries it, and the pepper stays as it was until a rotation succeeds.',
      s.pepperRotation.metricErrors({ period: Duration.minutes(5) }),
    ),
    ...Object.entries(s.tables).map(([id, table]) =>
      alarm(
        `${id[0]?.toUpperCase()}${id.slice(1)}TableThrottled`,
        `DynamoDB throttled requests to the ${id} table: checks, management calls or the sweep may have failed.`,
        tableThrottles(table, id as DeployedTableId),
      ),
    ),
  ];
  for (const alarm of alarms) alarm.addAlarmAction(new SnsAction(alarmTopic));

  const fromAccount = { StringEquals: { 'aws:SourceAccount': stack.account } };
  const publishers = [
    {
      service: 'events.amazonaws.com',
      // The KMS requests of EventBridge's delivery to SNS carry no aws:SourceAccount or
      // aws:SourceArn (AWS documents them as unsupported there: a condition on them would drop
      // every reminder), so its key statement is bound to this topic only; the topic policy
      // checks the source.
      names: undefined,
      arns: [reminders.ruleArn, doctorChecks.ruleArn],
    },
    {
      service: 'cloudwatch.amazonaws.com',
      names: alarms.map((a) =>
        stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: alarmName(a.node.id),
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ),
      arns: alarms.map((a) => a.alarmArn),
    },
  ];
  const one = (values: string[]) => (values.length === 1 ? values[0] : values);
  for (const publisher of publishers) {
    // The key policy names the alarms by ARN text (not references), so the key, the topic and
    // its publishers form no dependency cycle.
    notificationsKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(publisher.service)],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: publisher.names
          ? {
              StringEquals: {
                'aws:SourceAccount': stack.account,
                'kms:EncryptionContext:aws:sns:topicArn': topicArn,
              },
              ArnEquals: { 'aws:SourceArn': one(publisher.names) },
            }
          : { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': topicArn } },
      }),
    );
    alarmTopic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(publisher.service)],
        actions: ['sns:Publish'],
        resources: [alarmTopic.topicArn],
        conditions: { ...fromAccount, ArnEquals: { 'aws:SourceArn': one(publisher.arns) } },
      }),
    );
  }

  const dashboard = createDashboard(scope, { ...s, refused, faults });
  return { alarmTopic, dashboard };
}
