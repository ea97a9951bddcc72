import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_POLLS } from '../../cli/src/lib/doctor/events.ts';
import { cli } from '../support/cli.ts';
import {
  ALARMS,
  awsError,
  CLIENTS,
  calls,
  healthyWorld,
  type Invoked,
  REGION,
  REMINDERS,
  ruleArn,
  STACK,
  standIn,
  useDoctorApi,
  type World,
} from '../support/doctor-stand-ins.ts';
import { useTestService } from '../support/service.ts';
import { useCredentialEnv } from '../support/signed-api.ts';

/**
 * `latchkey doctor --endpoint URL` against one small deployment made of stand-ins: a SigV4
 * management API in front of the local service, the real authorizer handler behind Lambda's
 * Invoke, and recording stand-ins of every other AWS client. One scenario per broken link: doctor
 * names it, prints its fix and exits 1; and whatever breaks, the test key, the temporary queue and
 * its subscription are gone afterwards.
 */
const service = useTestService();
let world: World;
const api = useDoctorApi(service, () => world);
// The credential chain reads process.env, as it does for an operator.
useCredentialEnv();

beforeEach(() => {
  world = healthyWorld(api.endpoint);
  standIn(world);
  api.received.length = 0;
});

interface Report {
  ok: boolean;
  stack: string | null;
  checks: { id: string; title: string; status: string; detail: string; fix?: string }[];
}

async function doctor(args: string[] = [], options: Parameters<typeof cli>[1] = {}) {
  return cli(['doctor', '--endpoint', api.endpoint, ...args], { env: { AWS_REGION: REGION }, ...options });
}

async function doctorJson(args: string[] = [], options: Parameters<typeof cli>[1] = {}) {
  const result = await doctor(['--json', ...args], options);
  return { ...result, report: JSON.parse(result.stdout) as Report };
}

const statuses = (report: Report) => Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
const check = (report: Report, id: string) =>
  report.checks.find((c) => c.id === id) as Report['checks'][number];

/** The test keys doctor made, by the requests it sent about them. */
const testKeys = () => [
  ...new Set(api.received.flatMap((r) => /\/v1\/keys\/(key_\w+)/.exec(r.url)?.[1] ?? [])),
];

/** Nothing doctor made is left: no test key in the service, no queue, no subscription. */
async function expectCleanedUp() {
  expect(world.queues.size).toBe(0);
  expect(world.subscriptions.size).toBe(0);
  for (const keyId of testKeys()) expect((await service.api('GET', `/v1/keys/${keyId}`)).status).toBe(404);
  const listed = await service.api('GET', '/v1/keys?search=latchkey-doctor');
  expect(listed.body.items).toEqual([]);
}

/** A clock doctor reads and a sleep that moves it on, recording each wait instead of waiting. */
function fakeClock() {
  let clock = Date.now();
  const slept: number[] = [];
  return {
    now: () => clock,
    sleep: async (ms: number) => {
      slept.push(ms);
      clock += ms;
    },
    slept,
  };
}

/** An authorizer that answers every request as the real one answered the first: a cached allow. */
function cachedFirstAnswer(): NonNullable<World['invoke']> {
  let first: Invoked | undefined;
  return async (event, real) => {
    first ??= await real(event);
    return first;
  };
}

/** The secrets the authorizer was asked about, recorded on the way to the real handler. */
function recordSecrets(): string[] {
  const secrets: string[] = [];
  world.invoke = (event, real) => {
    const header = (event as { headers: Record<string, string> }).headers.authorization ?? '';
    secrets.push(header.replace(/^Bearer /, ''));
    return real(event);
  };
  return secrets;
}

const ALL = [
  'api',
  'stack',
  'authorizer-allows',
  'authorizer-refuses-revoked',
  'events',
  'pepper',
  'alarms',
  'usage-plans',
  'cleanup',
];

describe('a healthy deployment', () => {
  it('passes every check, says what it saw, and leaves nothing behind (exit 0)', async () => {
    const secrets = recordSecrets();
    const result = await doctor();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Checking ${api.endpoint} (${REGION})`);
    expect(result.stdout.match(/^✓ /gm)).toHaveLength(9);
    expect(result.stdout).not.toMatch(/^[✗-] /m);
    expect(result.stdout).toContain('All 9 checks passed.');
    expect(result.stdout).toMatch(/GET \/v1\/whoami answered, signed with SigV4, as /);
    expect(result.stdout).toMatch(
      /allowed key_\w+ on GET \/latchkey-doctor \(a REST REQUEST event, code VALID\)/,
    );
    expect(result.stdout).toMatch(
      /refused it as not authenticated \(API Gateway answers 401\) at the first request after the revoke/,
    );
    expect(result.stdout).toContain(
      'through the rule Latchkey-latchkey-ApiKeysDoctorChecks-4D5E6F to the encrypted topic',
    );
    expect(result.stdout).toContain(
      '3 alarms exist and notify the topic, none in ALARM (1 without data yet)',
    );
    expect(result.stdout).toContain(
      'latchkey-free (1 stage(s), quota 1000/DAY, GetUsage answered for 1 key(s) today)',
    );
    // The real authorizer saw a fresh secret twice (allowed, then refused); no output ever carries it.
    expect(secrets).toHaveLength(2);
    expect(secrets[0]).toMatch(/^lk_test_/);
    expect(secrets[1]).toBe(secrets[0]);
    expect(result.stdout).not.toContain(secrets[0]);
    await expectCleanedUp();
    // Every management call was signed; the key was created, revoked and deleted.
    const keyId = testKeys()[0];
    expect(api.received.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining([
        'GET /stage/v1/whoami',
        'POST /stage/v1/keys',
        `POST /stage/v1/keys/${keyId}/revoke`,
        `DELETE /stage/v1/keys/${keyId}`,
      ]),
    );
    // The stack was found by its output, and each resource through the stack, not by name.
    expect(calls()).toEqual(
      expect.arrayContaining([
        'cloudFormation.DescribeStacksCommand',
        'cloudFormation.ListStackResourcesCommand',
        'lambda.InvokeCommand',
        'eventBridge.PutEventsCommand',
        'sqs.DeleteQueueCommand',
        'sns.UnsubscribeCommand',
        'iam.SimulatePrincipalPolicyCommand',
        'cloudWatch.DescribeAlarmsCommand',
        'apiGateway.GetUsageCommand',
      ]),
    );
  });

  it('--json prints the checklist as data and nothing else', async () => {
    const { code, report, stderr } = await doctorJson();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.stack).toBe(STACK);
    expect(report.checks.map((c) => c.id)).toEqual(ALL);
    for (const c of report.checks) {
      expect(c.status, c.id).toBe('pass');
      expect(c.fix).toBeUndefined();
      expect(Object.keys(c)).toEqual(['id', 'title', 'status', 'detail']);
    }
    await expectCleanedUp();
  });

  it('puts the test event on Latchkey’s bus as the sweep does, and reads the temporary queue only for it', async () => {
    await doctor();
    const [put] = CLIENTS.eventBridge.commandCalls(
      (await import('@aws-sdk/client-eventbridge')).PutEventsCommand,
    );
    const entry = put?.args[0].input.Entries?.[0];
    expect(entry).toMatchObject({
      EventBusName: 'latchkey-events',
      Source: 'latchkey',
      DetailType: 'Latchkey Doctor Check',
    });
    const { SubscribeCommand } = await import('@aws-sdk/client-sns');
    const [subscribe] = CLIENTS.sns.commandCalls(SubscribeCommand);
    expect(subscribe?.args[0].input.Attributes).toEqual({
      RawMessageDelivery: 'true',
      FilterPolicyScope: 'MessageBody',
      FilterPolicy: JSON.stringify({ doctor: [{ exists: true }] }),
    });
    const { CreateQueueCommand } = await import('@aws-sdk/client-sqs');
    const [create] = CLIENTS.sqs.commandCalls(CreateQueueCommand);
    const policy = JSON.parse(create?.args[0].input.Attributes?.Policy ?? '{}');
    // Only the topic may send to it.
    expect(policy.Statement[0].Condition.ArnEquals['aws:SourceArn']).toMatch(
      /:sns:eu-west-1:123456789012:latchkey-notifications$/,
    );
  });

  it('--stack names the stack instead of finding it by the endpoint', async () => {
    const { code, report } = await doctorJson(['--stack', STACK]);
    expect(code).toBe(0);
    const { DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
    expect(CLIENTS.cloudFormation.commandCalls(DescribeStacksCommand).map((c) => c.args[0].input)).toEqual([
      { StackName: STACK },
    ]);
    expect(report.stack).toBe(STACK);
  });

  it('with no usage plans in the stack, the usage plan check passes with a note', async () => {
    world.resources = world.resources.filter((r) => r.ResourceType !== 'AWS::ApiGateway::UsagePlan');
    const { code, report } = await doctorJson();
    expect(code).toBe(0);
    expect(check(report, 'usage-plans').detail).toBe('not configured (the construct has no plans)');
  });
});

describe('each broken link is named, with its fix, and doctor exits 1', () => {
  async function broken(id: string) {
    const result = await doctorJson();
    expect(result.code).toBe(1);
    expect(result.report.ok).toBe(false);
    const failed = check(result.report, id);
    expect(failed.status).toBe('fail');
    expect(failed.fix).toBeTruthy();
    expect(result.stderr).toMatch(new RegExp(`checks failed: .*\\b${id}\\b`));
    await expectCleanedUp();
    return { ...result, failed };
  }

  it('the management API refuses the signed request', async () => {
    world.apiAnswer = [
      403,
      {
        Message: 'User: arn:aws:iam::123456789012:user/ops is not authorized to perform: execute-api:Invoke',
      },
    ];
    const { report, failed } = await broken('api');
    expect(failed.detail).toMatch(/HTTP 403: User: .* is not authorized/);
    expect(failed.fix).toMatch(/management API grant/);
    // No key can be made, so the authorizer is not asked; the AWS checks still run.
    expect(statuses(report)).toMatchObject({
      'authorizer-allows': 'skip',
      'authorizer-refuses-revoked': 'skip',
      events: 'pass',
      alarms: 'pass',
      cleanup: 'pass',
    });
    expect(calls()).not.toContain('lambda.InvokeCommand');
  });

  it('no stack names the endpoint', async () => {
    world.endpoint = 'https://elsewhere.execute-api.eu-west-1.amazonaws.com/v1';
    const { report, failed } = await broken('stack');
    expect(failed.detail).toBe(`no stack in ${REGION} names ${api.endpoint} among its outputs`);
    expect(failed.fix).toMatch(/pass --stack NAME/);
    expect(statuses(report)).toMatchObject({
      api: 'pass',
      'authorizer-allows': 'skip',
      events: 'skip',
      pepper: 'skip',
      alarms: 'skip',
      'usage-plans': 'skip',
    });
  });

  it('--stack names a stack that does not exist', async () => {
    const result = await doctorJson(['--stack', 'Latchkey-nope']);
    expect(result.code).toBe(1);
    expect(check(result.report, 'stack')).toMatchObject({
      status: 'fail',
      detail: `no stack Latchkey-nope in ${REGION}`,
    });
  });

  it('the authorizer refuses the fresh key (it reads another pepper or table)', async () => {
    // As an authorizer on the wrong pepper would: the key's secret does not verify.
    world.invoke = (event, real) => {
      const e = event as { headers: Record<string, string> };
      e.headers.authorization = `${e.headers.authorization?.slice(0, -3)}zzz`;
      return real(e);
    };
    const { failed, report } = await broken('authorizer-allows');
    expect(failed.detail).toMatch(
      /refused it as not authenticated \(API Gateway answers 401\) for the fresh key key_\w+/,
    );
    expect(failed.fix).toMatch(/LATCHKEY_KEYS_TABLE and LATCHKEY_PEPPER_SECRET_ARN/);
    expect(check(report, 'cleanup').status).toBe('pass');
  });

  it('the authorizer fails (DynamoDB or Secrets Manager): a fault, not a refusal', async () => {
    world.invoke = async (): Promise<Invoked> => ({
      FunctionError: 'Unhandled',
      payload: { errorType: 'Error', errorMessage: 'Authorizer fault: the key could not be checked' },
    });
    const { failed, report } = await broken('authorizer-allows');
    expect(failed.detail).toMatch(/failed: Authorizer fault: the key could not be checked/);
    expect(failed.fix).toMatch(/\/aws\/lambda\/Latchkey-latchkey-ApiKeysAuthorizer.*AuthorizerErrors/);
    expect(check(report, 'authorizer-refuses-revoked').status).toBe('fail');
  });

  it('the authorizer still allows the key once it is revoked', async () => {
    world.invoke = cachedFirstAnswer();
    const { failed, report } = await broken('authorizer-refuses-revoked');
    expect(check(report, 'authorizer-allows').status).toBe('pass');
    expect(failed.detail).toMatch(/still allowed key_\w+ at the first request after it was revoked$/);
    expect(failed.fix).toMatch(/on the next request \(the hot-key cache is off\)/);
  });

  it('with the hot-key cache on, the revoked key must be refused within its bound', async () => {
    world.authorizerVariables.LATCHKEY_KEY_CACHE_SECONDS = '3';
    const { now, sleep, slept } = fakeClock();
    world.invoke = cachedFirstAnswer();
    const result = await doctorJson([], { now, sleep });
    expect(result.code).toBe(1);
    expect(check(result.report, 'authorizer-refuses-revoked')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/still allowed key_\w+ 3 s after it was revoked/),
      fix: expect.stringMatching(/within the hot-key cache's 3 s/),
    });
    expect(slept).toEqual([1000, 1000, 1000]);
    await expectCleanedUp();
  });

  it('with the hot-key cache on, a revoked key refused within the bound passes', async () => {
    world.authorizerVariables.LATCHKEY_KEY_CACHE_SECONDS = '3';
    const { now, sleep, slept } = fakeClock();
    // An instance that cached the key answers from its cache for 2 s after the revoke.
    let first: Invoked | undefined;
    let revokedAt: number | undefined;
    world.invoke = async (event, real) => {
      if (!first) {
        first = await real(event);
        return first;
      }
      revokedAt ??= now();
      return now() - revokedAt < 2000 ? first : real(event);
    };
    const result = await doctorJson([], { now, sleep });
    expect(result.code).toBe(0);
    expect(check(result.report, 'authorizer-refuses-revoked').detail).toMatch(
      /refused it as not authenticated \(API Gateway answers 401\) 2 s after the revoke \(hot-key cache bound: 3 s\)/,
    );
    expect(slept).toEqual([1000, 1000]);
  });

  it('the test event does not reach the topic (EventBridge cannot use the topic’s key)', async () => {
    world.putEvents = 'lost';
    const { failed } = await broken('events');
    expect(failed.detail).toMatch(
      /EventBridge accepted event [\w-]+, but it did not reach latchkey-notifications within 60 s/,
    );
    expect(failed.fix).toMatch(
      /events\.amazonaws\.com .*kms:GenerateDataKey\* and kms:Decrypt with encryption context aws:sns:topicArn/,
    );
    const { ReceiveMessageCommand } = await import('@aws-sdk/client-sqs');
    // The stand-in answers at once, so doctor polls its most times rather than waiting out the minute.
    expect(CLIENTS.sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(MAX_POLLS);
  });

  it('the bus refuses the test event (a deployment from before doctor)', async () => {
    world.putEvents = 'denied';
    const { failed } = await broken('events');
    expect(failed.detail).toMatch(
      /EventBridge refused the test event on latchkey-events: AccessDeniedException/,
    );
    expect(failed.fix).toMatch(/events:PutEvents on latchkey-events; if it has it, deploy the stack again/);
  });

  it('the stack has no rule for the test event: nothing is made, and the fix says to deploy', async () => {
    world.resources = world.resources.filter((r) => !r.LogicalResourceId?.startsWith('ApiKeysDoctorChecks'));
    const { failed } = await broken('events');
    expect(failed.detail).toMatch(/no rule for doctor's test event \(ApiKeysDoctorChecks\)/);
    expect(calls()).not.toContain('sqs.CreateQueueCommand');
  });

  it('the reminder rule is disabled, or the topic policy does not admit it', async () => {
    world.reminderState = 'DISABLED';
    expect((await broken('events')).failed.detail).toBe(`the reminder rule ${REMINDERS} is DISABLED`);
    world.reminderState = 'ENABLED';
    world.topicPolicySources = [ruleArn('Latchkey-latchkey-ApiKeysDoctorChecks-4D5E6F')];
    standIn(world);
    expect((await broken('events')).failed.detail).toMatch(
      /topic policy does not let EventBridge publish for the reminder rule/,
    );
  });

  it('the credentials are of another account than the stack: the queue could never hear from the topic', async () => {
    world.callerAccount = '999999999999';
    const { failed } = await broken('events');
    expect(failed.detail).toBe('your credentials are for account 999999999999, the stack is in 123456789012');
    expect(calls()).not.toContain('sns.SubscribeCommand');
  });

  it("the authorizer's role may not read the pepper", async () => {
    world.simulation = 'implicitDeny';
    const { failed } = await broken('pepper');
    expect(failed.detail).toMatch(
      /policy simulator answers implicitDeny for arn:aws:iam::123456789012:role\/.* secretsmanager:GetSecretValue/,
    );
    expect(failed.fix).toMatch(/grantRead/);
  });

  it('the authorizer reads another pepper than the stack’s', async () => {
    world.authorizerVariables.LATCHKEY_PEPPER_SECRET_ARN =
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:old-Pepper';
    const { failed } = await broken('pepper');
    expect(failed.detail).toMatch(/reads the pepper arn:.*old-Pepper, the stack's is arn:.*ApiKeysPepper/);
  });

  it('an alarm is in ALARM, and another is missing', async () => {
    world.alarms = world.alarms
      .filter((a) => a.AlarmName !== 'latchkey-KeysTableThrottled')
      .map((a) =>
        a.AlarmName === 'latchkey-AuthorizerErrors'
          ? { ...a, StateValue: 'ALARM', StateReason: 'Threshold Crossed: 1 datapoint [3.0] >= 1.0' }
          : a,
      );
    const { failed } = await broken('alarms');
    expect(failed.detail).toBe(
      `missing: ${ALARMS[2]}; in ALARM: latchkey-AuthorizerErrors (Threshold Crossed: 1 datapoint [3.0] >= 1.0)`,
    );
    expect(failed.fix).toMatch(/runbooks in docs\/operating\.md/);
    expect(failed.fix).toMatch(/deploy the stack again/);
  });

  it('an alarm no longer notifies the topic', async () => {
    world.alarms = world.alarms.map((a) =>
      a.AlarmName === 'latchkey-SweepFailed' ? { ...a, ActionsEnabled: false } : a,
    );
    expect((await broken('alarms')).failed.detail).toBe('not notifying the topic: latchkey-SweepFailed');
  });

  it('a usage plan does not answer GetUsage', async () => {
    world.usageFails = awsError('AccessDeniedException', 'not authorized to perform: apigateway:GET', 403);
    const { failed } = await broken('usage-plans');
    expect(failed.detail).toMatch(/usage plan plan01 did not answer: AccessDeniedException/);
    expect(failed.fix).toMatch(/apigateway:GET on arn:aws:apigateway:eu-west-1::\/usageplans\/plan01/);
  });

  it('a usage plan is on no stage, so it meters nothing', async () => {
    world.plan.apiStages = [];
    const { failed } = await broken('usage-plans');
    expect(failed.detail).toBe('on no API stage, so metering nothing: latchkey-free');
    expect(failed.fix).toMatch(/usagePlanStages|addUsagePlanStage/);
  });

  it('the stack is in UPDATE_ROLLBACK_FAILED', async () => {
    world.stackStatus = 'UPDATE_ROLLBACK_FAILED';
    const { failed } = await broken('stack');
    expect(failed.fix).toMatch(/describe-stack-events --stack-name Latchkey-latchkey/);
  });
});

describe('cleanup', () => {
  it('removes the key, the subscription and the queue even when every other link is broken', async () => {
    world.putEvents = 'lost';
    world.simulation = 'explicitDeny';
    world.invoke = async (): Promise<Invoked> => ({
      payload: { principalId: 'x', policyDocument: { Statement: [] }, context: {} },
    });
    const result = await doctorJson();
    expect(result.code).toBe(1);
    expect(check(result.report, 'cleanup')).toMatchObject({
      status: 'pass',
      detail: expect.stringMatching(
        /^removed: queue latchkey-doctor-[0-9a-f]{12}, subscription arn:aws:sns:\S+, test key key_\w+$/,
      ),
    });
    await expectCleanedUp();
  });

  it('says what it could not remove, and how to remove it by hand', async () => {
    world.deleteQueueFails = awsError('AccessDenied', 'not authorized to perform: sqs:DeleteQueue', 403);
    const result = await doctorJson();
    expect(result.code).toBe(1);
    const cleanup = check(result.report, 'cleanup');
    expect(cleanup.status).toBe('fail');
    expect(cleanup.detail).toMatch(
      /^left behind: queue latchkey-doctor-\w+ \(AccessDenied: not authorized to perform: sqs:DeleteQueue\)$/,
    );
    expect(cleanup.fix).toMatch(
      /^remove by hand: aws sqs delete-queue --queue-url https:\/\/sqs\.eu-west-1\.amazonaws\.com\/123456789012\/latchkey-doctor-\w+$/,
    );
    // The rest went.
    expect(world.subscriptions.size).toBe(0);
    for (const keyId of testKeys()) expect((await service.api('GET', `/v1/keys/${keyId}`)).status).toBe(404);
  });
});

describe('interrupted (Ctrl-C)', () => {
  it('stops waiting, and still removes what it made before the checklist ends', async () => {
    // Nothing else in this worker listens for SIGINT: the signal below reaches doctor's listener only.
    expect(process.listenerCount('SIGINT')).toBe(0);
    world.putEvents = 'lost';
    let interrupted = false;
    world.onReceive = () => {
      if (interrupted) return;
      interrupted = true;
      process.emit('SIGINT');
    };
    const { report } = await doctorJson([], { sleep: async () => {} });
    expect(interrupted).toBe(true);
    expect(process.listenerCount('SIGINT')).toBe(0);
    expect(check(report, 'events')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/within 60 s \(interrupted\)$/),
    });
    const { ReceiveMessageCommand } = await import('@aws-sdk/client-sqs');
    expect(CLIENTS.sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(1);
    expect(check(report, 'cleanup').status).toBe('pass');
    await expectCleanedUp();
  });
});

describe('exit codes and output', () => {
  it('exits 3 when nothing answers at all (a network failure, not a verdict)', async () => {
    world.offline = true;
    world.apiAnswer = undefined;
    const result = await cli(['doctor', '--endpoint', 'http://127.0.0.1:9/stage', '--json'], {
      env: { AWS_REGION: REGION },
    });
    expect(result.code).toBe(3);
    const report = JSON.parse(result.stdout) as Report;
    expect(statuses(report)).toMatchObject({ api: 'fail', stack: 'fail' });
    expect(result.stderr).toMatch(
      /^2 of 9 checks failed: api, stack\n {2}check --endpoint, --region and your network\n$/,
    );
  });

  it('prints a checklist for people: a mark per link, what it saw, and the fix under a failure', async () => {
    world.simulation = 'implicitDeny';
    const result = await doctor();
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /\n✗ the authorizer's role can read the pepper\n {2}IAM's policy simulator answers implicitDeny .*\n {2}fix: the role lacks the grant/,
    );
    expect(result.stdout.match(/^✓ /gm)).toHaveLength(8);
    expect(result.stderr).toBe('1 of 9 checks failed: pepper\n');
  });

  it('needs a deployed endpoint and credentials: usage errors (exit 2) before anything is made', async () => {
    const local = await cli(['doctor'], { env: {} });
    expect(local.code).toBe(2);
    expect(local.stderr).toMatch(/^latchkey doctor checks a deployment: pass --endpoint with its stage URL/);
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'])
      vi.stubEnv(name, undefined);
    vi.stubEnv('AWS_CONTAINER_CREDENTIALS_FULL_URI', '');
    vi.stubEnv('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', '');
    const none = await doctor();
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^could not load AWS credentials/);
    expect(calls()).toEqual([]);
    expect(api.received).toEqual([]);
  });
});
