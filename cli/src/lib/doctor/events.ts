import {
  DescribeRuleCommand,
  type DescribeRuleCommandOutput,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { GetTopicAttributesCommand, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { arnParts, awsProblem, type DoctorClients } from './aws.ts';
import { awsFailure, type Check, fail, type Leftover, pass, removeLeftover } from './checks.ts';
import type { Deployment, RuleRef } from './deployment.ts';

/**
 * The detail type of doctor's test event. The construct lets anyone put it on Latchkey's bus and
 * routes it to the topic by a rule of its own, which sends a fixed text and the event's ID
 * (infra/service/event-bus.ts DOCTOR_DETAIL_TYPE, held equal by test/infra/doctor-stack.test.ts).
 */
export const DOCTOR_DETAIL_TYPE = 'Latchkey Doctor Check';
/**
 * The sweep's events, one of which the reminder rule must route (functions/domain/events/
 * lifecycle-events.ts rotationDue, held equal by test/infra/doctor-stack.test.ts).
 */
export const SWEEP_DETAIL_TYPE = 'API Key Rotation Due';

/** How long a delivery may take before it counts as lost. */
const DELIVERY_SECONDS = 60;
/** Long polls of the queue, each up to 20 s (SQS's longest), and never more than this many. */
export const MAX_POLLS = 10;
const POLL_SECONDS = 20;

interface EventsRun {
  readonly clients: DoctorClients;
  readonly deployment: Deployment;
  readonly runId: string;
  readonly now: () => number;
  readonly signal: AbortSignal;
  readonly leftovers: Leftover[];
}

const redeployWithRule = (stack: string) =>
  `deploy the stack again with this version of Latchkey (npx cdk deploy ${stack}): it has the rule and bus policy doctor's test event needs`;

type Statement = {
  Effect?: string;
  Principal?: { Service?: string | string[] };
  Action?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
};

/** Whether the topic policy lets `service` publish from `sourceArn` (Allow, no other source named). */
function topicAdmits(policy: string | undefined, service: string, sourceArn: string): boolean {
  let statements: Statement[] = [];
  try {
    statements = [
      (JSON.parse(policy ?? '{}') as { Statement?: Statement | Statement[] }).Statement ?? [],
    ].flat();
  } catch {
    return false;
  }
  return statements.some((s) => {
    const services = [s.Principal?.Service ?? []].flat();
    const actions = [s.Action ?? []].flat();
    if (s.Effect !== 'Allow' || !services.includes(service)) return false;
    if (!actions.some((a) => a === 'sns:Publish' || a === 'sns:*')) return false;
    const sources = Object.values(s.Condition ?? {}).flatMap((c) => [c['aws:SourceArn'] ?? []].flat());
    return sources.length === 0 || sources.includes(sourceArn);
  });
}

/**
 * The sweep's path to the topic, read without sending anything: the reminder rule is enabled,
 * routes a rotation-due event (EventBridge's own TestEventPattern), targets the topic, and the
 * topic policy admits it. Answers what is wrong, or undefined.
 */
async function reminderRoute(run: EventsRun, rule: RuleRef, topic: string, policy: string | undefined) {
  const { eventBridge } = run.clients;
  const described = await eventBridge.send(
    new DescribeRuleCommand({ Name: rule.name, EventBusName: rule.bus }),
  );
  if (described.State !== 'ENABLED') return `the reminder rule ${rule.name} is ${described.State}`;
  const { Result } = await eventBridge.send(
    new TestEventPatternCommand({
      EventPattern: described.EventPattern,
      Event: JSON.stringify({
        version: '0',
        id: '00000000-0000-0000-0000-000000000000',
        'detail-type': SWEEP_DETAIL_TYPE,
        source: 'latchkey',
        account: run.deployment.account,
        time: new Date(run.now()).toISOString(),
        region: run.deployment.region,
        resources: [],
        detail: {},
      }),
    }),
  );
  if (!Result) return `the reminder rule ${rule.name} does not match "${SWEEP_DETAIL_TYPE}" events`;
  const targets = await eventBridge.send(
    new ListTargetsByRuleCommand({ Rule: rule.name, EventBusName: rule.bus }),
  );
  if (!(targets.Targets ?? []).some((t) => t.Arn === topic))
    return `the reminder rule ${rule.name} does not target the topic ${topic}`;
  if (!topicAdmits(policy, 'events.amazonaws.com', described.Arn ?? ''))
    return `the topic policy does not let EventBridge publish for the reminder rule ${described.Arn}`;
  return undefined;
}

/**
 * A test event put on Latchkey's bus the way the sweep puts its events (PutEvents, source
 * "latchkey") must reach the encrypted topic: a temporary SQS queue subscribed to the topic
 * receives it, or the link is broken. The queue and its subscription are removed afterwards,
 * whatever happened.
 */
export async function checkEvents(run: EventsRun): Promise<Check> {
  const { deployment } = run;
  const { topic, reminders, doctorRule } = deployment;
  if (!topic || !reminders) {
    return fail(
      'events',
      `stack ${deployment.stackName} has no ${topic ? 'reminder rule (RotationReminders)' : 'notification topic (Notifications)'} of the construct ${deployment.prefix}`,
      redeployWithRule(deployment.stackName),
    );
  }
  if (!doctorRule) {
    return fail(
      'events',
      `stack ${deployment.stackName} has no rule for doctor's test event (${deployment.prefix}DoctorChecks): it was deployed by a version of Latchkey before latchkey doctor`,
      redeployWithRule(deployment.stackName),
    );
  }
  const topicName = arnParts(topic).resource;
  let policy: string | undefined;
  let rule: DescribeRuleCommandOutput;
  try {
    const attributes = await run.clients.sns.send(new GetTopicAttributesCommand({ TopicArn: topic }));
    policy = attributes.Attributes?.Policy;
    const wrong = await reminderRoute(run, reminders, topic, policy);
    if (wrong) return fail('events', wrong, redeployWithRule(deployment.stackName));
    rule = await run.clients.eventBridge.send(
      new DescribeRuleCommand({ Name: doctorRule.name, EventBusName: doctorRule.bus }),
    );
  } catch (error) {
    return awsFailure(
      'events',
      'read the rules and the topic',
      error,
      `your identity needs events:DescribeRule, events:ListTargetsByRule, events:TestEventPattern and sns:GetTopicAttributes on ${topic}`,
    );
  }
  if (rule.State !== 'ENABLED' || !topicAdmits(policy, 'events.amazonaws.com', rule.Arn ?? ''))
    return fail(
      'events',
      `the test event's rule ${doctorRule.name} is ${rule.State}, or the topic policy does not admit it`,
      redeployWithRule(deployment.stackName),
    );
  return deliver(run, topic, topicName, doctorRule);
}

async function deliver(run: EventsRun, topic: string, topicName: string, rule: RuleRef): Promise<Check> {
  const { sqs, sns, eventBridge } = run.clients;
  const { partition, region, account } = arnParts(topic);
  const queueName = `latchkey-doctor-${run.runId}`;
  const queueArn = `arn:${partition}:sqs:${region}:${account}:${queueName}`;
  let queue: Leftover | undefined;
  let queueUrl: string | undefined;
  let subscription: Leftover | undefined;
  let subscriptionArn: string | undefined;
  const step = { now: 'create a temporary SQS queue' };
  try {
    ({ QueueUrl: queueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: queueName,
        Attributes: {
          MessageRetentionPeriod: '300',
          SqsManagedSseEnabled: 'true',
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'sns.amazonaws.com' },
                Action: 'sqs:SendMessage',
                Resource: queueArn,
                Condition: { ArnEquals: { 'aws:SourceArn': topic } },
              },
            ],
          }),
        },
      }),
    ));
    // The queue is made in the caller's account; the topic can deliver only within its own.
    const queueAccount = queueUrl ? new URL(queueUrl).pathname.split('/')[1] : undefined;
    if (queueUrl && queueAccount !== account) {
      await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
      return fail(
        'events',
        `your credentials are for account ${queueAccount}, the stack is in ${account}`,
        `run latchkey doctor with credentials of account ${account}`,
      );
    }
    if (queueUrl) {
      queue = {
        what: `queue ${queueName}`,
        removed: false,
        removeBy: `aws sqs delete-queue --queue-url ${queueUrl}`,
      };
      run.leftovers.push(queue);
    }
    step.now = `subscribe the queue to ${topicName}`;
    ({ SubscriptionArn: subscriptionArn } = await sns.send(
      new SubscribeCommand({
        TopicArn: topic,
        Protocol: 'sqs',
        Endpoint: queueArn,
        ReturnSubscriptionArn: true,
        // Only doctor's own message: alarms and reminders (key names, owners) stay out of the queue.
        Attributes: {
          RawMessageDelivery: 'true',
          FilterPolicyScope: 'MessageBody',
          FilterPolicy: JSON.stringify({ doctor: [{ exists: true }] }),
        },
      }),
    ));
    if (subscriptionArn === 'pending confirmation') {
      return fail(
        'events',
        `SNS holds the queue's subscription to ${topicName} for confirmation`,
        `run latchkey doctor with credentials of account ${account}, the topic's`,
      );
    }
    if (subscriptionArn) {
      subscription = {
        what: `subscription ${subscriptionArn}`,
        removed: false,
        removeBy: `aws sns unsubscribe --subscription-arn ${subscriptionArn}`,
      };
      run.leftovers.push(subscription);
    }
    step.now = `put the test event on the bus ${rule.bus}`;
    const sent = run.now();
    const put = await eventBridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: rule.bus,
            Source: 'latchkey',
            DetailType: DOCTOR_DETAIL_TYPE,
            Detail: JSON.stringify({ version: '1', runId: run.runId, stack: run.deployment.stackName }),
          },
        ],
      }),
    );
    const entry = put.Entries?.[0];
    if (put.FailedEntryCount || !entry?.EventId) {
      return fail(
        'events',
        `EventBridge refused the test event on ${rule.bus}: ${entry?.ErrorCode ?? 'no event ID'} ${entry?.ErrorMessage ?? ''}`.trim(),
        entry?.ErrorCode === 'AccessDeniedException'
          ? `the bus policy or your identity refuses it: your identity needs events:PutEvents on ${rule.bus}; if it has it, ${redeployWithRule(run.deployment.stackName)}`
          : 'try again; if it persists, read the bus in the EventBridge console',
      );
    }
    step.now = 'wait for the test event at the queue';
    const deadline = sent + DELIVERY_SECONDS * 1000;
    for (let poll = 0; poll < MAX_POLLS && run.now() < deadline && !run.signal.aborted; poll++) {
      const received = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          WaitTimeSeconds: Math.min(POLL_SECONDS, Math.ceil((deadline - run.now()) / 1000)),
          MaxNumberOfMessages: 10,
        }),
        { abortSignal: run.signal },
      );
      const delivered = (received.Messages ?? []).some((m) => {
        try {
          return (JSON.parse(m.Body ?? '{}') as { doctor?: unknown }).doctor === entry.EventId;
        } catch {
          return false;
        }
      });
      if (delivered) {
        const seconds = Math.round((run.now() - sent) / 100) / 10;
        return pass(
          'events',
          `event ${entry.EventId} went from the bus ${rule.bus} through the rule ${rule.name} to the encrypted topic ${topicName} and on to a temporary queue in ${seconds} s; the reminder rule routes "${SWEEP_DETAIL_TYPE}" there too`,
        );
      }
    }
    return fail(
      'events',
      `EventBridge accepted event ${entry.EventId}, but it did not reach ${topicName} within ${DELIVERY_SECONDS} s${run.signal.aborted ? ' (interrupted)' : ''}`,
      `EventBridge could not publish to the encrypted topic: the KMS key policy of the key of ${topicName} must let events.amazonaws.com use kms:GenerateDataKey* and kms:Decrypt with encryption context aws:sns:topicArn ${topic}; the rule's FailedInvocations metric (AWS/Events, RuleName ${rule.name}) counts the failures`,
    );
  } catch (error) {
    if (run.signal.aborted)
      return fail('events', `interrupted while trying to ${step.now}`, 'run doctor again');
    return awsFailure(
      'events',
      step.now,
      error,
      `your identity needs sqs:CreateQueue, sqs:SetQueueAttributes, sqs:ReceiveMessage and sqs:DeleteQueue on arn:${partition}:sqs:${region}:${account}:latchkey-doctor-*, sns:Subscribe and sns:Unsubscribe on ${topic}, and events:PutEvents on the bus ${rule.bus}`,
    );
  } finally {
    const awsText = (error: unknown) => awsProblem(error).text;
    if (subscription && subscriptionArn) {
      const unsubscribe = new UnsubscribeCommand({ SubscriptionArn: subscriptionArn });
      await removeLeftover(subscription, () => sns.send(unsubscribe), awsText);
    }
    if (queue && queueUrl) {
      const deleteQueue = new DeleteQueueCommand({ QueueUrl: queueUrl });
      await removeLeftover(queue, () => sqs.send(deleteQueue), awsText);
    }
  }
}
