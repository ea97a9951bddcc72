import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { LambdaIntegration, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_OPTIONS } from '../../bench/bundle.ts';
import {
  AUTHORIZER_CHECK_DEADLINE_MS,
  AUTHORIZER_CLIENT_BOUNDS,
  worstCaseCallMs,
} from '../../functions/config/authorizer-bounds.ts';
import { ConsumerStack } from '../../infra/examples/consumer.ts';
import { DOCTOR_DETAIL_TYPE } from '../../infra/service/event-bus.ts';
import { ENV, latchkeyStack, type Resources, type Statement, synthStack, testApp } from '../support/stack.ts';

let template: Template;
beforeAll(() => {
  ({ template } = synthStack({ alarmEmail: 'ops@example.com' }, { consumer: true }));
});

const only = (type: string) => {
  const found = Object.values(template.findResources(type) as Resources);
  expect(found, type).toHaveLength(1);
  return found[0] as Resources[string];
};
const logicalId = (type: string, startsWith: string) =>
  Object.keys(template.findResources(type)).find((id) => id.startsWith(startsWith)) as string;
const json = (value: unknown) => JSON.stringify(value);

describe('alarms and reminders reach the SNS topic', () => {
  it('encrypts the topic with a customer managed key that rotates', () => {
    const key = only('AWS::KMS::Key');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const topic = only('AWS::SNS::Topic');
    expect(topic.Properties.KmsMasterKeyId).toEqual({
      'Fn::GetAtt': [logicalId('AWS::KMS::Key', 'ApiKeysNotificationsKey'), 'Arn'],
    });
    expect(json(topic)).not.toContain('alias/aws/sns');
  });

  it('lets EventBridge and CloudWatch use the key for this topic only, CloudWatch from this account and these alarms', () => {
    const statements = only('AWS::KMS::Key').Properties.KeyPolicy.Statement as Statement[];
    const forService = (service: string) => statements.filter((s) => s.Principal?.Service === service);
    for (const service of ['events.amazonaws.com', 'cloudwatch.amazonaws.com']) {
      const granted = forService(service);
      expect(granted, service).toHaveLength(1);
      const [statement] = granted as [Statement];
      expect(statement.Effect).toBe('Allow');
      expect([statement.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
      expect(json(statement.Condition.StringEquals['kms:EncryptionContext:aws:sns:topicArn'])).toContain(
        ':latchkey-notifications',
      );
    }
    // EventBridge's KMS requests for SNS carry no source keys: a condition on them would drop every reminder.
    const [events] = forService('events.amazonaws.com') as [Statement];
    expect(Object.keys(events.Condition)).toEqual(['StringEquals']);
    expect(Object.keys(events.Condition.StringEquals)).toEqual(['kms:EncryptionContext:aws:sns:topicArn']);
    const [cloudwatch] = forService('cloudwatch.amazonaws.com') as [Statement];
    expect(cloudwatch.Condition.StringEquals['aws:SourceAccount']).toBe('123456789012');
    const alarmArns = [cloudwatch.Condition.ArnEquals['aws:SourceArn']].flat();
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm') as Resources);
    expect(alarmArns).toHaveLength(alarms.length);
    for (const alarm of alarms) expect(json(alarmArns)).toContain(`:alarm:${alarm.Properties.AlarmName}`);
    // Nobody else is granted the key outside the account's own administration statement.
    const others = statements.filter((s) => !s.Principal?.Service && !json(s.Principal).includes(':root'));
    expect(others).toEqual([]);
  });

  it('admits the alarms and the reminder rule in the topic policy, and nothing unconditioned', () => {
    const policy = only('AWS::SNS::TopicPolicy');
    const statements = policy.Properties.PolicyDocument.Statement as Statement[];
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows.map((s) => s.Principal.Service).sort()).toEqual([
      'cloudwatch.amazonaws.com',
      'events.amazonaws.com',
    ]);
    for (const statement of allows) {
      expect(statement.Action).toBe('sns:Publish');
      expect(statement.Condition.StringEquals).toEqual({ 'aws:SourceAccount': '123456789012' });
      expect(statement.Condition.ArnEquals['aws:SourceArn']).toBeDefined();
    }
    const rule = allows.find((s) => s.Principal.Service === 'events.amazonaws.com') as Statement;
    expect(rule.Condition.ArnEquals['aws:SourceArn']).toEqual([
      { 'Fn::GetAtt': [logicalId('AWS::Events::Rule', 'ApiKeysRotationReminders'), 'Arn'] },
      { 'Fn::GetAtt': [logicalId('AWS::Events::Rule', 'ApiKeysDoctorChecks'), 'Arn'] },
    ]);
    const alarms = allows.find((s) => s.Principal.Service === 'cloudwatch.amazonaws.com') as Statement;
    expect([alarms.Condition.ArnEquals['aws:SourceArn']].flat()).toHaveLength(
      Object.keys(template.findResources('AWS::CloudWatch::Alarm')).length,
    );
    // The SSL-only deny stays.
    expect(statements.some((s) => s.Effect === 'Deny' && json(s).includes('aws:SecureTransport'))).toBe(true);
  });
});

describe("latchkey doctor's test event", () => {
  it('reaches the topic by a rule of its own that sends a fixed text and the event ID, never the event', () => {
    const rule =
      template.findResources('AWS::Events::Rule')[logicalId('AWS::Events::Rule', 'ApiKeysDoctorChecks')];
    expect(rule?.Properties.EventPattern).toEqual({
      source: ['latchkey'],
      'detail-type': [DOCTOR_DETAIL_TYPE],
    });
    expect(rule?.Properties.EventBusName).toEqual({
      Ref: logicalId('AWS::Events::EventBus', 'ApiKeysEvents'),
    });
    const [target] = (rule as Resources[string]).Properties.Targets as Statement[];
    expect(target?.Arn).toEqual({ Ref: logicalId('AWS::SNS::Topic', 'ApiKeysNotifications') });
    expect(target?.InputTransformer.InputPathsMap).toEqual({ id: '$.id', time: '$.time' });
    const text = JSON.parse(target?.InputTransformer.InputTemplate.replace(/<(id|time)>/g, '"x"'));
    expect(Object.keys(text).sort()).toEqual(['doctor', 'message', 'time']);
    // The reminders keep the event as it was published.
    const reminders =
      template.findResources('AWS::Events::Rule')[logicalId('AWS::Events::Rule', 'ApiKeysRotationReminders')];
    expect(reminders?.Properties.Targets[0].InputTransformer).toBeUndefined();
    expect(reminders?.Properties.EventPattern['detail-type']).not.toContain(DOCTOR_DETAIL_TYPE);
  });
});

describe('the authorizer alarm', () => {
  it('watches the AuthorizerFault metric, not Lambda Errors (a 401 is a thrown Unauthorized)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('authorizer failed'),
      Namespace: 'Latchkey',
      MetricName: 'AuthorizerFault',
      Dimensions: [{ Name: 'service', Value: 'latchkey' }],
      Threshold: 1,
    });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm') as Resources);
    const onErrors = alarms.filter(
      (a) => a.Properties.MetricName === 'Errors' && json(a).includes('ApiKeysAuthorizer'),
    );
    expect(onErrors).toEqual([]);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Refused', Threshold: 100 });
  });

  it('shows AuthorizerFault on the dashboard', () => {
    const body = json(only('AWS::CloudWatch::Dashboard').Properties.DashboardBody);
    expect(body).toContain('AuthorizerFault');
  });
});

describe('authorizer faults are reported before the Lambda times out', () => {
  it('bounds every DynamoDB and Secrets Manager call of the authorizer well inside its 5 s', () => {
    const fn = Object.values(template.findResources('AWS::Lambda::Function') as Resources).find(
      (f) => f.Properties.Environment.Variables.LATCHKEY_ROUTE_PERMISSIONS !== undefined,
    );
    expect(fn?.Properties.Timeout).toBe(5);
    expect(fn?.Properties.Environment.Variables).toMatchObject({
      LATCHKEY_AWS_CONNECTION_TIMEOUT_MS: String(AUTHORIZER_CLIENT_BOUNDS.connectionTimeoutMs),
      LATCHKEY_DYNAMODB_TIMEOUT_MS: String(AUTHORIZER_CLIENT_BOUNDS.requestTimeoutMs),
      LATCHKEY_DYNAMODB_MAX_ATTEMPTS: String(AUTHORIZER_CLIENT_BOUNDS.maxAttempts),
    });
    expect(AUTHORIZER_CLIENT_BOUNDS).toEqual({
      connectionTimeoutMs: 250,
      requestTimeoutMs: 600,
      maxAttempts: 2,
    });
    // One call whose every attempt times out ends inside the check's deadline; any number of slow
    // calls in a row end at the deadline, and 1.5 s are left to log, count and answer.
    expect(worstCaseCallMs(AUTHORIZER_CLIENT_BOUNDS)).toBeLessThanOrEqual(AUTHORIZER_CHECK_DEADLINE_MS);
    expect(AUTHORIZER_CHECK_DEADLINE_MS).toBe(3_500);
    expect(fn?.Properties.Environment.Variables.LATCHKEY_CHECK_DEADLINE_MS).toBe('3500');
  });
});

describe('least privilege for the sweep', () => {
  it('lets both sweep functions query only the three sweep indexes, read keys by ID and update only the table; only the schedule scans (the key migration)', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy') as Resources);
    const fns = template.findResources('AWS::Lambda::Function') as Resources;
    for (const name of ['ApiKeysRotationSweep', 'ApiKeysSweepScheduled']) {
      const [, fn] = Object.entries(fns).find(([id]) => id.startsWith(name)) ?? [];
      const role = fn?.Properties.Role['Fn::GetAtt'][0];
      const statements = policies
        .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
        .filter((s) => json(s.Action).includes('dynamodb:'));
      const keysTable = logicalId('AWS::DynamoDB::GlobalTable', 'ApiKeysKeysTable');
      const onKeys = statements.filter((s) => json(s.Resource).includes(keysTable));
      const grants = onKeys.flatMap((s) =>
        [s.Action].flat().flatMap((action: string) =>
          [s.Resource].flat().map((resource: unknown) => {
            const text = json(resource);
            const index = /\/index\/([A-Za-z]+)/.exec(text)?.[1];
            return `${action} ${index ? `index/${index}` : 'table'}`;
          }),
        ),
      );
      expect(grants.sort(), name).toEqual([
        'dynamodb:BatchGetItem table',
        'dynamodb:GetItem table',
        'dynamodb:Query index/expirySweep',
        'dynamodb:Query index/rotationSweep',
        'dynamodb:Query index/unusedSweep',
        ...(name === 'ApiKeysSweepScheduled' ? ['dynamodb:Scan table'] : []),
        'dynamodb:UpdateItem table',
      ]);
    }
  });
});

describe('usage from POST /v1/verify', () => {
  it('reaches usage-ingest through the verify log, like the authorizer: verify writes no usage itself', () => {
    const filters = Object.values(template.findResources('AWS::Logs::SubscriptionFilter') as Resources);
    const groups = filters.filter((f) => f.Properties.FilterPattern === '{ $.usage = "*" }');
    expect(json(groups.map((f) => f.Properties.LogGroupName))).toContain('ApiKeysVerifyLogs');
    expect(json(groups.map((f) => f.Properties.LogGroupName))).toContain('ApiKeysAuthorizerLogs');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Environment: {
        Variables: Match.objectLike({
          LATCHKEY_USAGE_SOURCE: 'logs',
          LATCHKEY_ROUTE_PERMISSIONS: Match.absent(),
        }),
      },
    });
  });
});

describe('authorizer helpers', () => {
  const consumer = () => {
    const a = testApp();
    const latchkey = latchkeyStack(a);
    const stack = new Stack(a, 'Apis', { env: ENV });
    const backend = new LambdaFunction(stack, 'Backend', {
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: Code.fromInline('exports.handler = async () => ({ statusCode: 200 })'),
    });
    return { a, service: latchkey.service, stack, backend };
  };

  it('restAuthorizer() twice on one REST API returns the same authorizer', () => {
    const { service, stack, backend } = consumer();
    const api = new RestApi(stack, 'Orders', { cloudWatchRole: false });
    const first = service.restAuthorizer(api);
    const second = service.restAuthorizer(api);
    expect(second).toBe(first);
    api.root.addResource('a').addMethod('GET', new LambdaIntegration(backend), { authorizer: first });
    api.root.addResource('b').addMethod('GET', new LambdaIntegration(backend), { authorizer: second });
    const other = new RestApi(stack, 'Billing', { cloudWatchRole: false });
    const third = service.restAuthorizer(other);
    expect(third).not.toBe(first);
    other.root.addMethod('GET', new LambdaIntegration(backend), { authorizer: third });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::ApiGateway::Authorizer', 2);
    t.resourceCountIs('AWS::ApiGateway::GatewayResponse', 4);
  });

  it('httpAuthorizer() twice with its default ID returns the same authorizer; two HTTP APIs take two IDs', () => {
    const { service, stack, backend } = consumer();
    const api = new HttpApi(stack, 'Orders');
    const first = service.httpAuthorizer(stack);
    const second = service.httpAuthorizer(stack);
    expect(second).toBe(first);
    const integration = new HttpLambdaIntegration('Backend', backend);
    api.addRoutes({ path: '/a', methods: [HttpMethod.GET], integration, authorizer: first });
    api.addRoutes({ path: '/b', methods: [HttpMethod.GET], integration, authorizer: second });
    const billing = new HttpApi(stack, 'Billing');
    billing.addRoutes({
      path: '/c',
      methods: [HttpMethod.GET],
      integration: new HttpLambdaIntegration('Billing', backend),
      authorizer: service.httpAuthorizer(stack, 'BillingAuthorizer'),
    });
    Template.fromStack(stack).resourceCountIs('AWS::ApiGatewayV2::Authorizer', 2);
  });
});

describe('HTTP API authorizer caching', () => {
  it('keys cached answers on the request (method and path), since they are decided on it, not on the route', () => {
    const a = testApp();
    const latchkey = latchkeyStack(a, { authorizerResultsCacheTtl: Duration.seconds(60) });
    const consumer = new ConsumerStack(a, 'Consumer', { env: ENV, service: latchkey.service });
    Template.fromStack(consumer).hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerResultTtlInSeconds: 60,
      IdentitySource: [
        '$request.header.Authorization',
        '$context.httpMethod',
        '$context.path',
        '$context.identity.sourceIp',
      ],
    });
  });

  it('can make the key header an identity source, so a missing key is a 401 from API Gateway', () => {
    const a = testApp();
    const latchkey = latchkeyStack(a, { keyHeader: 'x-api-key' });
    const stack = new Stack(a, 'Apis', { env: ENV });
    const backend = new LambdaFunction(stack, 'Backend', {
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: Code.fromInline('exports.handler = async () => ({ statusCode: 200 })'),
    });
    new HttpApi(stack, 'Orders').addRoutes({
      path: '/a',
      methods: [HttpMethod.GET],
      integration: new HttpLambdaIntegration('Backend', backend),
      authorizer: latchkey.service.httpAuthorizer(stack, 'Strict', { requireKeyHeader: true }),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      IdentitySource: ['$request.header.x-api-key'],
    });
    Template.fromStack(latchkey).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ LATCHKEY_KEY_HEADER: 'x-api-key' }) },
    });
  });
});

describe('the AWS bundles', () => {
  it('carry only what AWS runs: no in-process usage counter in the authorizer or verify', async () => {
    for (const handler of ['authorizer', 'verify']) {
      const result = await build({
        ...BUNDLE_OPTIONS,
        entryPoints: [fileURLToPath(new URL(`../../functions/handlers/${handler}.ts`, import.meta.url))],
        write: false,
        outdir: tmpdir(),
      });
      // What made it into the output (the metafile's inputs also list files tree-shaken away).
      const output = Object.values(result.metafile?.outputs ?? {}).find((o) => o.entryPoint);
      const inputs = Object.entries(output?.inputs ?? {})
        .filter(([, used]) => used.bytesInOutput > 0)
        .map(([file]) => file);
      expect(
        inputs.some((f) => f.endsWith(`functions/handlers/${handler}.ts`)),
        handler,
      ).toBe(true);
      // A module esbuild wraps for lazy init (the SDK, once an event client is bundled too) leaves
      // one `init_…();` call in each importer: a few bytes that are no code of the counter.
      const code = Object.entries(output?.inputs ?? {})
        .filter(([, used]) => used.bytesInOutput > 32)
        .map(([file]) => file);
      expect(
        code.filter((f) => /platform\/usage\.ts|store\/dynamo-usage\.ts/.test(f)),
        handler,
      ).toEqual([]);
    }
  }, 60_000);
});

describe('cdk synth with no AWS account', () => {
  it('bakes no account or region into the template: pseudo-parameters stand in', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const outdir = mkdtempSync(join(tmpdir(), 'latchkey-synth-'));
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:bundling-stacks': [] }),
    };
    for (const name of ['CDK_DEFAULT_ACCOUNT', 'CDK_DEFAULT_REGION', 'AWS_REGION', 'AWS_DEFAULT_REGION'])
      delete childEnv[name];
    const run = spawnSync(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), 'infra/app.ts'], {
      cwd: root,
      env: childEnv,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    const file = readdirSync(outdir).find((f) => f.endsWith('.template.json')) as string;
    const text = readFileSync(join(outdir, file), 'utf8');
    expect(text).not.toContain('000000000000');
    // (A region may appear in CDK's own metadata condition, never in an ARN.)
    expect(text).not.toMatch(/:(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d:/);
    expect(text).toMatch(/"Ref":\s*"AWS::AccountId"/);
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
    const stack = Object.values(
      manifest.artifacts as Record<string, { type: string; environment?: string }>,
    ).find((artifact) => artifact.type === 'aws:cloudformation:stack');
    expect(stack?.environment).toBe('aws://unknown-account/unknown-region');
  }, 60_000);
});
