import { randomUUID } from 'node:crypto';
import { APIGatewayClient, GetUsageCommand, GetUsagePlanCommand } from '@aws-sdk/client-api-gateway';
import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type Stack,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import {
  DescribeRuleCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  GetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { DOCTOR_DETAIL_TYPE } from '../../cli/src/lib/doctor/events.ts';
import { DETAIL_TYPES } from '../../functions/domain/events/lifecycle-events.ts';
import type { TestService } from './service.ts';
import { type SignedApi, useSignedApi } from './signed-api.ts';

/**
 * Stand-ins for what `latchkey doctor` reads in AWS: a management API that checks SigV4 and
 * hands the request to the local service (the real handlers, on DynamoDB Local), and recording
 * stand-ins of each AWS client (aws-sdk-client-mock) that behave as one small deployment. The
 * authorizer's Invoke runs the real authorizer handler on the local service's tables and pepper.
 * Each scenario breaks one link by changing `world` before the run.
 */
export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';
export const STACK = 'Latchkey-latchkey';
const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
export const AUTHORIZER = 'Latchkey-latchkey-ApiKeysAuthorizer09824FE0-AbCdEf';
export const AUTHORIZER_ROLE = `arn:aws:iam::${ACCOUNT}:role/Latchkey-latchkey-ApiKeysAuthorizerServiceRole-XyZ`;
export const PEPPER = arn('secretsmanager', 'secret:ApiKeysPepperD76C9DBB-aBcDeF');
export const TOPIC = arn('sns', 'latchkey-notifications');
export const BUS = 'latchkey-events';
export const REMINDERS = 'Latchkey-latchkey-ApiKeysRotationReminders-1A2B3C';
export const DOCTOR_RULE = 'Latchkey-latchkey-ApiKeysDoctorChecks-4D5E6F';
export const ruleArn = (name: string) => arn('events', `rule/${BUS}/${name}`);
export const ALARMS = ['latchkey-AuthorizerErrors', 'latchkey-SweepFailed', 'latchkey-KeysTableThrottled'];
export const PLAN = 'plan01';

/** What the stand-ins answer: one healthy deployment until a test changes it. */
export interface World {
  /** The stack's outputs name this endpoint (so doctor finds it without --stack). */
  endpoint: string;
  stackStatus: string;
  resources: StackResourceSummary[];
  authorizerVariables: Record<string, string>;
  /** Replaces the real authorizer handler for Invoke (event in, Lambda's answer out). */
  invoke?: (event: unknown, real: (event: unknown) => Promise<Invoked>) => Promise<Invoked>;
  reminderState: string;
  topicPolicySources: string[];
  /** PutEvents' answer for doctor's event; `delivered` sends it on to the subscribed queues. */
  putEvents: 'delivered' | 'lost' | 'denied';
  simulation: string;
  alarms: MetricAlarm[];
  plan: { apiStages: { apiId: string; stage: string }[]; quota?: { limit: number; period: string } };
  usageFails?: Error;
  deleteQueueFails?: Error;
  /** The account of the caller's credentials, where CreateQueue makes its queue. */
  callerAccount?: string;
  /** Told of each ReceiveMessage, before it answers. */
  onReceive?: () => void;
  /** Every AWS call fails as a network failure would (no answer). */
  offline?: boolean;
  /** The management API's answer instead of the service's, for every request. */
  apiAnswer?: [number, unknown];
  // What doctor made and has not removed.
  queues: Map<string, { arn: string; messages: string[] }>;
  subscriptions: Map<string, string>;
}

export interface Invoked {
  FunctionError?: string;
  payload: unknown;
}

const resource = (type: string, logicalId: string, physicalId: string): StackResourceSummary => ({
  ResourceType: type,
  LogicalResourceId: logicalId,
  PhysicalResourceId: physicalId,
  ResourceStatus: 'UPDATE_COMPLETE',
  LastUpdatedTimestamp: new Date(0),
});

export function healthyWorld(endpoint: string): World {
  return {
    endpoint,
    stackStatus: 'UPDATE_COMPLETE',
    resources: [
      resource('AWS::ApiGateway::RestApi', 'ApiKeysManagementApi256727BF', 'abc123defg'),
      resource(
        'AWS::Lambda::Function',
        'ApiKeysKeysCreate74649374',
        'Latchkey-latchkey-ApiKeysKeysCreate-Q1',
      ),
      resource('AWS::Lambda::Function', 'ApiKeysAuthorizer09824FE0', AUTHORIZER),
      resource(
        'AWS::IAM::Role',
        'ApiKeysAuthorizerServiceRole09437728',
        'Latchkey-latchkey-ApiKeysAuthorizerServiceRole-XyZ',
      ),
      resource('AWS::SecretsManager::Secret', 'ApiKeysPepperD76C9DBB', PEPPER),
      resource(
        'AWS::SecretsManager::Secret',
        'ApiKeysUsagePlanKeyValueFreeBAC9E320',
        arn('secretsmanager', 'secret:free-Zz'),
      ),
      resource('AWS::Events::EventBus', 'ApiKeysEventsAAD47096', BUS),
      resource(
        'AWS::Events::Rule',
        'ApiKeysSweepScheduleA7602E13',
        'Latchkey-latchkey-ApiKeysSweepSchedule-9',
      ),
      resource('AWS::Events::Rule', 'ApiKeysRotationReminders7E87C09C', `${BUS}|${REMINDERS}`),
      resource('AWS::Events::Rule', 'ApiKeysDoctorChecks1C2D3E4F', `${BUS}|${DOCTOR_RULE}`),
      resource('AWS::SNS::Topic', 'ApiKeysNotifications43B8E3B1', TOPIC),
      resource('AWS::CloudWatch::Alarm', 'ApiKeysAuthorizerErrors712249C2', 'latchkey-AuthorizerErrors'),
      resource('AWS::CloudWatch::Alarm', 'ApiKeysSweepFailedE95BF298', 'latchkey-SweepFailed'),
      resource('AWS::CloudWatch::Alarm', 'ApiKeysKeysTableThrottled18159305', 'latchkey-KeysTableThrottled'),
      resource('AWS::ApiGateway::UsagePlan', 'ApiKeysUsagePlanFree4EC152EF', PLAN),
    ],
    authorizerVariables: {
      LATCHKEY_PEPPER_SECRET_ARN: PEPPER,
      LATCHKEY_ROUTE_PERMISSIONS: '{}',
      LATCHKEY_USAGE_SOURCE: 'logs',
    },
    reminderState: 'ENABLED',
    topicPolicySources: [ruleArn(REMINDERS), ruleArn(DOCTOR_RULE)],
    putEvents: 'delivered',
    simulation: 'allowed',
    alarms: ALARMS.map((name) => ({
      AlarmName: name,
      StateValue: name === 'latchkey-SweepFailed' ? 'INSUFFICIENT_DATA' : 'OK',
      ActionsEnabled: true,
      AlarmActions: [TOPIC],
    })),
    plan: { apiStages: [{ apiId: 'orders1', stage: 'prod' }], quota: { limit: 1000, period: 'DAY' } },
    queues: new Map(),
    subscriptions: new Map(),
  };
}

/** What every client stand-in shares, whatever its commands. */
interface AnyStub {
  reset(): void;
  calls(): { args: unknown[] }[];
  onAnyCommand(): { rejects(error: Error): unknown };
}

export const CLIENTS = {
  cloudFormation: mockClient(CloudFormationClient),
  lambda: mockClient(LambdaClient),
  eventBridge: mockClient(EventBridgeClient),
  sns: mockClient(SNSClient),
  sqs: mockClient(SQSClient),
  iam: mockClient(IAMClient),
  cloudWatch: mockClient(CloudWatchClient),
  apiGateway: mockClient(APIGatewayClient),
};

/** Every call doctor made, as `Client.Command`, in order within each client. */
export function calls(): string[] {
  return Object.entries(CLIENTS).flatMap(([client, stub]) =>
    (stub as unknown as AnyStub).calls().map((c) => `${client}.${(c.args[0] as object).constructor.name}`),
  );
}

/** What the SDK throws when AWS answered with a refusal. */
export function awsError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

/** The real authorizer, answering as Lambda's Invoke does: a result, or the thrown error as FunctionError. */
async function realAuthorizer(event: unknown): Promise<Invoked> {
  const { handler } = await import('../../functions/handlers/authorizer.ts');
  try {
    return { payload: await handler(event as never) };
  } catch (error) {
    return {
      FunctionError: 'Unhandled',
      payload: { errorType: 'Error', errorMessage: (error as Error).message },
    };
  }
}

/** A simple EventBridge pattern: each field's list of exact values. */
function matches(pattern: string | undefined, event: Record<string, unknown>) {
  const fields = JSON.parse(pattern ?? '{}') as Record<string, string[]>;
  return Object.entries(fields).every(([field, values]) => values.includes(event[field] as string));
}

/** Makes the stand-ins answer from `world` (read at each call, so a test may change it first). */
export function standIn(world: World): void {
  for (const stub of Object.values(CLIENTS)) {
    (stub as unknown as AnyStub).reset();
    // Any call not answered below is a defect of doctor (an API it should not need).
    (stub as unknown as AnyStub).onAnyCommand().rejects(new Error('a call the stand-ins do not answer'));
  }
  const offline = () =>
    Object.assign(new Error('getaddrinfo ENOTFOUND'), { name: 'Error', code: 'ENOTFOUND' });
  const guard =
    <I, O>(answer: (input: I) => O | Promise<O>) =>
    async (input: I) => {
      if (world.offline) throw offline();
      return answer(input);
    };
  const stack = (): Stack => ({
    StackName: STACK,
    StackId: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${STACK}/5f1e`,
    StackStatus: world.stackStatus as Stack['StackStatus'],
    CreationTime: new Date(0),
    Outputs: [{ OutputKey: 'ApiKeysManagementApiEndpoint22429C60', OutputValue: `${world.endpoint}/` }],
  });
  const other: Stack = {
    StackName: 'Orders',
    StackId: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/Orders/77aa`,
    StackStatus: 'CREATE_COMPLETE',
    CreationTime: new Date(0),
    Outputs: [
      {
        OutputKey: 'OrdersEndpoint',
        OutputValue: 'https://orders1.execute-api.eu-west-1.amazonaws.com/prod/',
      },
    ],
  };
  CLIENTS.cloudFormation.on(DescribeStacksCommand).callsFake(
    guard((input: { StackName?: string }) => {
      if (!input.StackName) return { Stacks: [other, stack()] };
      if (input.StackName === STACK) return { Stacks: [stack()] };
      throw awsError('ValidationError', `Stack with id ${input.StackName} does not exist`);
    }),
  );
  CLIENTS.cloudFormation
    .on(ListStackResourcesCommand)
    .callsFake(guard(() => ({ StackResourceSummaries: world.resources })));

  CLIENTS.lambda.on(GetFunctionConfigurationCommand).callsFake(
    guard((input: { FunctionName: string }) => {
      if (input.FunctionName !== AUTHORIZER)
        throw awsError('ResourceNotFoundException', 'Function not found', 404);
      return {
        FunctionName: AUTHORIZER,
        FunctionArn: arn('lambda', `function:${AUTHORIZER}`),
        Role: AUTHORIZER_ROLE,
        Environment: { Variables: world.authorizerVariables },
      };
    }),
  );
  CLIENTS.lambda.on(InvokeCommand).callsFake(
    guard(async (input: { FunctionName: string; Payload: Uint8Array }) => {
      const event = JSON.parse(new TextDecoder().decode(input.Payload));
      const out = world.invoke ? await world.invoke(event, realAuthorizer) : await realAuthorizer(event);
      return {
        StatusCode: 200,
        ...(out.FunctionError ? { FunctionError: out.FunctionError } : {}),
        Payload: new TextEncoder().encode(JSON.stringify(out.payload)),
      };
    }),
  );

  const rules: Record<string, { pattern: object; state: () => string }> = {
    [REMINDERS]: {
      pattern: { source: ['latchkey'], 'detail-type': [DETAIL_TYPES.rotationDue, DETAIL_TYPES.expiring] },
      state: () => world.reminderState,
    },
    [DOCTOR_RULE]: {
      pattern: { source: ['latchkey'], 'detail-type': [DOCTOR_DETAIL_TYPE] },
      state: () => 'ENABLED',
    },
  };
  CLIENTS.eventBridge.on(DescribeRuleCommand).callsFake(
    guard((input: { Name: string; EventBusName: string }) => {
      const rule = rules[input.Name];
      if (!rule || input.EventBusName !== BUS)
        throw awsError('ResourceNotFoundException', 'Rule does not exist');
      return {
        Name: input.Name,
        Arn: ruleArn(input.Name),
        EventBusName: BUS,
        State: rule.state(),
        EventPattern: JSON.stringify(rule.pattern),
      };
    }),
  );
  CLIENTS.eventBridge.on(TestEventPatternCommand).callsFake(
    guard((input: { EventPattern: string; Event: string }) => ({
      Result: matches(input.EventPattern, JSON.parse(input.Event)),
    })),
  );
  CLIENTS.eventBridge
    .on(ListTargetsByRuleCommand)
    .callsFake(guard(() => ({ Targets: [{ Id: 'Target0', Arn: TOPIC }] })));
  CLIENTS.eventBridge.on(PutEventsCommand).callsFake(
    guard((input: { Entries: { EventBusName: string; Source: string; DetailType: string }[] }) => {
      const [entry] = input.Entries;
      if (world.putEvents === 'denied' || entry?.EventBusName !== BUS) {
        return {
          FailedEntryCount: 1,
          Entries: [
            { ErrorCode: 'AccessDeniedException', ErrorMessage: 'explicit deny in a resource-based policy' },
          ],
        };
      }
      const eventId = randomUUID();
      const event = { source: entry.Source, 'detail-type': entry.DetailType };
      if (world.putEvents === 'delivered' && matches(JSON.stringify(rules[DOCTOR_RULE]?.pattern), event)) {
        // The rule's fixed text, to the topic, to every subscribed queue (raw delivery).
        const body = JSON.stringify({
          doctor: eventId,
          time: new Date().toISOString(),
          message: 'latchkey doctor',
        });
        for (const queueArn of world.subscriptions.values())
          for (const queue of world.queues.values()) if (queue.arn === queueArn) queue.messages.push(body);
      }
      return { FailedEntryCount: 0, Entries: [{ EventId: eventId }] };
    }),
  );

  CLIENTS.sns.on(GetTopicAttributesCommand).callsFake(
    guard(() => ({
      Attributes: {
        TopicArn: TOPIC,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: TOPIC,
              Condition: {
                StringEquals: { 'aws:SourceAccount': ACCOUNT },
                ArnEquals: { 'aws:SourceArn': world.topicPolicySources },
              },
            },
          ],
        }),
      },
    })),
  );
  CLIENTS.sns.on(SubscribeCommand).callsFake(
    guard((input: { Endpoint: string; Protocol: string }) => {
      const subscriptionArn = `${TOPIC}:${randomUUID()}`;
      world.subscriptions.set(subscriptionArn, input.Endpoint);
      return { SubscriptionArn: subscriptionArn };
    }),
  );
  CLIENTS.sns.on(UnsubscribeCommand).callsFake(
    guard((input: { SubscriptionArn: string }) => {
      world.subscriptions.delete(input.SubscriptionArn);
      return {};
    }),
  );

  CLIENTS.sqs.on(CreateQueueCommand).callsFake(
    guard((input: { QueueName: string }) => {
      const account = world.callerAccount ?? ACCOUNT;
      const url = `https://sqs.${REGION}.amazonaws.com/${account}/${input.QueueName}`;
      world.queues.set(url, { arn: `arn:aws:sqs:${REGION}:${account}:${input.QueueName}`, messages: [] });
      return { QueueUrl: url };
    }),
  );
  CLIENTS.sqs.on(ReceiveMessageCommand).callsFake(
    guard((input: { QueueUrl: string }) => {
      world.onReceive?.();
      const queue = world.queues.get(input.QueueUrl);
      const messages = (queue?.messages.splice(0) ?? []).map((Body) => ({ Body, MessageId: randomUUID() }));
      return { Messages: messages };
    }),
  );
  CLIENTS.sqs.on(DeleteQueueCommand).callsFake(
    guard((input: { QueueUrl: string }) => {
      if (world.deleteQueueFails) throw world.deleteQueueFails;
      world.queues.delete(input.QueueUrl);
      return {};
    }),
  );

  CLIENTS.iam.on(SimulatePrincipalPolicyCommand).callsFake(
    guard((input: { PolicySourceArn: string; ResourceArns: string[]; ActionNames: string[] }) => {
      const granted =
        input.PolicySourceArn === AUTHORIZER_ROLE &&
        input.ResourceArns?.[0] === PEPPER &&
        input.ActionNames[0] === 'secretsmanager:GetSecretValue';
      return {
        EvaluationResults: [
          {
            EvalActionName: input.ActionNames[0],
            EvalResourceName: input.ResourceArns?.[0],
            EvalDecision: granted ? world.simulation : 'implicitDeny',
          },
        ],
      };
    }),
  );

  CLIENTS.cloudWatch.on(DescribeAlarmsCommand).callsFake(
    guard((input: { AlarmNames: string[] }) => ({
      MetricAlarms: world.alarms.filter((a) => input.AlarmNames.includes(a.AlarmName as string)),
    })),
  );

  CLIENTS.apiGateway.on(GetUsagePlanCommand).callsFake(
    guard((input: { usagePlanId: string }) => {
      if (input.usagePlanId !== PLAN)
        throw awsError('NotFoundException', 'Invalid Usage Plan ID specified', 404);
      return { id: PLAN, name: 'latchkey-free', ...world.plan };
    }),
  );
  CLIENTS.apiGateway.on(GetUsageCommand).callsFake(
    guard((input: { usagePlanId: string }) => {
      if (world.usageFails) throw world.usageFails;
      return { usagePlanId: input.usagePlanId, items: { gwkey1: [[12, 988]] } };
    }),
  );
}

/**
 * The deployed management API as doctor meets it: `/v1/…` under the stage `/stage`, IAM (SigV4)
 * auth, and behind it the local service with its admin token. An unsigned or wrongly signed request
 * is refused as API Gateway refuses it; `apiAnswer` in the world replaces every answer.
 */
export function useDoctorApi(service: TestService, world: () => World): SignedApi {
  return useSignedApi(async (request, valid) => {
    const forced = world().apiAnswer;
    if (forced) return forced;
    if (!valid)
      return [
        403,
        { message: 'The request signature we calculated does not match the signature you provided.' },
      ];
    const path = request.url.replace(/^\/stage/, '');
    const answer = await service.api(
      request.method,
      path,
      request.body ? JSON.parse(request.body) : undefined,
    );
    return [answer.status, answer.body];
  }, 'stage');
}
