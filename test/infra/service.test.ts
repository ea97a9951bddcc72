import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MANAGEMENT_ROUTES } from '../../functions/routes.ts';
import { TABLES } from '../../functions/store/tables.ts';
import { type ApiKeyServiceProps, FUNCTION_ACCESS } from '../../infra/api-key-service.ts';
import { LatchkeyFunction } from '../../infra/latchkey-function.ts';
import {
  ENV,
  latchkeyFunctions,
  latchkeyStack,
  type Resources,
  serviceAlone,
  synthStack,
  testApp,
  toId,
  withNag,
} from '../support/stack.ts';

const build = (props: ApiKeyServiceProps = {}) => synthStack(props, { consumer: true });

let built: ReturnType<typeof build>;
beforeAll(() => {
  built = build({ alarmEmail: 'ops@example.com', routePermissions: { 'GET /orders/*': 'orders:read' } });
});

describe('cdk-nag', () => {
  it('finds no unacknowledged AwsSolutions errors in the stack or the consumer example', () => {
    expect(() => build()).not.toThrow();
  });

  it('does run: an unencrypted queue without a DLQ fails synthesis', () => {
    const a = withNag(testApp());
    const stack = new Stack(a, 'Bad', { env: ENV });
    new Queue(stack, 'Plain');
    expect(() => a.synth()).toThrow(/AwsSolutions-SQS/);
  });
});

describe('tables', () => {
  it('are keyed as the local server keys them, with TTL, PITR, deletion protection, encryption and RETAIN', () => {
    const tables = built.template.findResources('AWS::DynamoDB::GlobalTable') as Resources;
    expect(Object.keys(tables)).toHaveLength(Object.values(TABLES).filter((t) => !t.localOnly).length);
    for (const def of Object.values(TABLES)) {
      if (def.localOnly) continue;
      const schema = [
        { AttributeName: def.partitionKey, KeyType: 'HASH' },
        ...(def.sortKey ? [{ AttributeName: def.sortKey, KeyType: 'RANGE' }] : []),
      ];
      const matching = Object.values(tables).filter(
        (t) => JSON.stringify(t.Properties.KeySchema) === JSON.stringify(schema),
      );
      expect(matching, def.id).toHaveLength(1);
      const table = matching[0];
      expect(table?.DeletionPolicy).toBe('Retain');
      expect(table?.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true },
        Replicas: [
          expect.objectContaining({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ],
      });
      if (def.ttlAttribute)
        expect(table?.Properties.TimeToLiveSpecification).toEqual({
          AttributeName: def.ttlAttribute,
          Enabled: true,
        });
      expect(
        (table?.Properties.GlobalSecondaryIndexes ?? [])
          .map((i: { IndexName: string }) => i.IndexName)
          .sort(),
      ).toEqual(def.indexes.map((i) => i.name).sort());
    }
  });

  it('index usage by day with only the two counts, for the overview', () => {
    const tables = Object.values(built.template.findResources('AWS::DynamoDB::GlobalTable') as Resources);
    const usage = tables.find(
      (t) =>
        t.Properties.KeySchema[0].AttributeName === 'keyId' &&
        t.Properties.KeySchema[1]?.AttributeName === 'day',
    );
    expect(usage?.Properties.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'byDay',
        KeySchema: [
          { AttributeName: 'day', KeyType: 'HASH' },
          { AttributeName: 'keyId', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['allowed', 'refused'] },
      },
    ]);
  });
});

describe('functions', () => {
  const functions = () => latchkeyFunctions(built.template);

  it('are all Node.js 22 on ARM64, traced, with source maps and their own log group', () => {
    const all = Object.values(functions());
    expect(all.length).toBe(Object.keys(FUNCTION_ACCESS).length);
    for (const fn of all) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        Environment: { Variables: expect.objectContaining({ NODE_OPTIONS: '--enable-source-maps' }) },
        LoggingConfig: { LogGroup: expect.anything() },
      });
    }
  });

  it('get exactly the DynamoDB actions their code uses, and only the hashing ones read the pepper', () => {
    const template = built.template;
    const fns = functions();
    const policies = template.findResources('AWS::IAM::Policy') as Resources;
    for (const [handler, access] of Object.entries(FUNCTION_ACCESS)) {
      const id = toId(handler);
      const [logicalId, fn] =
        Object.entries(fns).find(([key]) => new RegExp(`^ApiKeys${id}[0-9A-F]{8}$`).test(key)) ?? [];
      const role = fn?.Properties.Role['Fn::GetAtt'][0];
      expect(role, `${handler} has a role of its own`).toMatch(new RegExp(`^ApiKeys${id}ServiceRole`));
      const statements = Object.values(policies)
        .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
        .flatMap(
          (p) =>
            p.Properties.PolicyDocument.Statement as { Action: string | string[]; Condition?: unknown }[],
        );
      const actions = new Set(statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
      const dynamo = [...actions].filter((a) => a.startsWith('dynamodb:')).sort();
      const expected = [
        ...new Set([
          ...Object.values(access.tables).flat(),
          ...(access.lastUsedAt ? ['dynamodb:UpdateItem'] : []),
        ]),
      ].sort();
      const unconditionedKeyWrites = statements.filter(
        (st) =>
          !st.Condition &&
          JSON.stringify(st).includes('KeysTable') &&
          JSON.stringify(st.Action).includes('UpdateItem'),
      );
      if (access.lastUsedAt && !access.tables.keys?.includes('dynamodb:UpdateItem')) {
        expect(
          unconditionedKeyWrites,
          `${handler} writes keys only through the lastUsedAt condition`,
        ).toEqual([]);
      }
      expect(dynamo, `${handler} (${logicalId})`).toEqual(expected);
      expect(actions.has('secretsmanager:GetSecretValue'), handler).toBe(access.pepper === true);
      expect(actions.has('events:PutEvents'), handler).toBe(access.events === true);
    }
  });

  it("keeps the authorizer read-only: usage comes from its log, and only lastUsedAt and a canary's trips are written to keys", () => {
    expect(FUNCTION_ACCESS.authorizer?.tables).toEqual({
      keys: ['dynamodb:GetItem'],
      roles: ['dynamodb:BatchGetItem'],
    });
    built.template.hasResourceProperties('AWS::Logs::SubscriptionFilter', {
      FilterPattern: '{ $.usage = "*" }',
      DestinationArn: Match.anyValue(),
    });
    built.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ LATCHKEY_USAGE_SOURCE: 'logs' }) },
    });
    built.template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'dynamodb:UpdateItem',
            Condition: {
              'ForAllValues:StringEquals': {
                'dynamodb:Attributes': [
                  'keyId',
                  'lastUsedAt',
                  'tripCount',
                  'firstTrippedAt',
                  'lastTrippedAt',
                  'lastTripSourceIp',
                  'lastTripRoute',
                ],
              },
            },
          }),
        ]),
      },
    });
  });

  it('bundle as ESM for Node 22 with the SDK inside', () => {
    const a = new App();
    const stack = new Stack(a, 'Bundled', { env: ENV });
    new LatchkeyFunction(stack, 'Health', { handler: 'healthz' });
    const out = a.synth();
    const dir = readdirSync(out.directory).find(
      (d) => d.startsWith('asset.') && existsSync(join(out.directory, d, 'index.mjs')),
    );
    expect(dir).toMatch(/^asset\.[0-9a-f]{64}$/);
    const code = readFileSync(join(out.directory, dir as string, 'index.mjs'), 'utf8');
    expect(code.startsWith("import{createRequire}from'module'")).toBe(true);
    expect(code).toMatch(/export\s*\{[^}]*handler/);
  }, 60_000);
});

describe('the management API', () => {
  it('takes IAM auth on every method but the readiness probe and the public routes, with request validation', () => {
    const [api] = Object.entries(built.template.findResources('AWS::ApiGateway::RestApi') as Resources).find(
      ([, r]) => r.Properties.Name === 'latchkey-management',
    ) as [string, Resources[string]];
    const methods = Object.values(
      built.template.findResources('AWS::ApiGateway::Method') as Resources,
    ).filter((m) => JSON.stringify(m.Properties.RestApiId) === JSON.stringify({ Ref: api }));
    const served = MANAGEMENT_ROUTES.filter((r) => !r.localOnly);
    expect(methods).toHaveLength(served.length + 1);
    const open = methods.filter((m) => m.Properties.AuthorizationType !== 'AWS_IAM');
    expect(open).toHaveLength(1 + served.filter((r) => r.public).length);
    expect(open.map((m) => m.Properties)).toContainEqual(
      expect.objectContaining({ HttpMethod: 'GET', AuthorizationType: 'NONE' }),
    );
    const [validator, ...others] = Object.keys(
      built.template.findResources('AWS::ApiGateway::RequestValidator', {
        Properties: { RestApiId: { Ref: api } },
      }),
    );
    expect(others).toEqual([]);
    built.template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      RestApiId: { Ref: api },
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
    for (const m of methods.filter((x) => x.Properties.AuthorizationType === 'AWS_IAM')) {
      expect(m.Properties.RequestValidatorId).toEqual({ Ref: validator });
    }
    built.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      MethodSettings: Match.arrayWith([
        Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }),
      ]),
    });
  });

  it('grants execute-api:Invoke on exactly the routes of each seed permission', () => {
    const stack = latchkeyStack(testApp(), {}, 'Granting');
    const viewer = new Role(stack, 'Viewer', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    stack.service.grantKeyView(viewer);
    const template = Template.fromStack(stack);
    const policy = Object.values(template.findResources('AWS::IAM::Policy') as Resources).find((p) =>
      p.Properties.Roles.some((r: { Ref: string }) => r.Ref.startsWith('Viewer')),
    );
    const statement = policy?.Properties.PolicyDocument.Statement[0];
    expect(statement.Action).toBe('execute-api:Invoke');
    const resources = JSON.stringify(statement.Resource);
    const views = MANAGEMENT_ROUTES.filter((r) => r.permission === 'api.key.view' && !r.localOnly);
    expect(statement.Resource).toHaveLength(views.length);
    for (const r of views) expect(resources).toContain(`/${r.method}${r.path.replace(/\{[^}]+\}/g, '*')}`);
    for (const r of MANAGEMENT_ROUTES.filter((x) => x.permission !== 'api.key.view')) {
      expect(resources).not.toContain(`/${r.method}${r.path.replace(/\{[^}]+\}/g, '*')}"`);
    }
  });
});

describe('the authorizer for consumer APIs', () => {
  it('has result caching off by default, on REST and HTTP APIs', () => {
    // No identity source: API Gateway calls the authorizer for every request, whichever header carries the key.
    built.consumer.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      AuthorizerResultTtlInSeconds: 0,
      IdentitySource: '',
    });
    built.consumer.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      AuthorizerResultTtlInSeconds: 0,
      IdentitySource: [],
    });
    built.consumer.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'ACCESS_DENIED',
      ResponseTemplates: { 'application/json': Match.stringLikeRegexp('\\$context\\.authorizer\\.code') },
    });
  });

  it('adds the caller IP and route to the cache key when caching is on', () => {
    const cached = build({
      authorizerResultsCacheTtl: Duration.seconds(60),
      workspaceSource: 'header:x-workspace-id',
    });
    cached.consumer.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      AuthorizerResultTtlInSeconds: 60,
      IdentitySource: Match.stringLikeRegexp(
        'context\\.identity\\.sourceIp.*method\\.request\\.header\\.x-workspace-id',
      ),
    });
  });

  it('carries the route map and workspace source to the function', () => {
    built.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ LATCHKEY_ROUTE_PERMISSIONS: '{"GET /orders/*":"orders:read"}' }),
      },
    });
  });
});

describe('rotation, events and operations', () => {
  it('runs the sweep daily with retries, a dead-letter queue and an on-failure destination', () => {
    built.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 day)',
      Targets: [
        Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 2 }, DeadLetterConfig: Match.anyValue() }),
      ],
    });
    built.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    built.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['latchkey'],
        'detail-type': [
          'API Key Rotation Due',
          'API Key Expiring',
          'API Key Unused',
          'API Key Unusual Activity',
          'API Key Leaked',
        ],
      },
    });
  });

  it('has alarms for authorizer errors, throttles, a failed-auth spike, sweep failures, management and portal API 5XX, leak reports, pepper rotation and throttled tables, an e-mail topic and a dashboard', () => {
    const alarms = Object.values(built.template.findResources('AWS::CloudWatch::Alarm') as Resources);
    expect(alarms.map((a) => a.Properties.AlarmDescription)).toEqual([
      expect.stringMatching(/authorizer failed/),
      expect.stringMatching(/throttled/),
      expect.stringMatching(/refused API keys/i),
      expect.stringMatching(/canary/i),
      expect.stringMatching(/sweep failed/),
      expect.stringMatching(/Usage counting failed/),
      expect.stringMatching(/leaked API key was reported/),
      expect.stringMatching(/management API answered 5XX/),
      expect.stringMatching(/portal API answered 5XX/),
      expect.stringMatching(/leak report could not be handled/),
      expect.stringMatching(/pepper rotation failed/),
      ...Object.values(TABLES)
        .filter((t) => !t.localOnly)
        .map((t) => expect.stringMatching(new RegExp(`throttled requests to the ${t.id} table`))),
    ]);
    built.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Refused',
      Namespace: 'Latchkey',
      Threshold: 100,
    });
    built.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    built.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('generates the pepper in Secrets Manager', () => {
    built.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({
        GenerateStringKey: 'pepper',
        SecretStringTemplate: '{"version":"1"}',
      }),
    });
  });
});

describe('bad props', () => {
  const make = (props: ApiKeyServiceProps) => () => serviceAlone(props);
  it('throw a clear error', () => {
    expect(make({ authorizerResultsCacheTtl: Duration.hours(2) })).toThrow(
      /authorizerResultsCacheTtl must be from 0 to 3600/,
    );
    expect(make({ authorizerResultsCacheTtl: Duration.seconds(30), workspaceSource: 'path:ws' })).toThrow(
      /path workspace source/,
    );
    expect(make({ maxActiveKeysPerOwner: 0 })).toThrow(/maxActiveKeysPerOwner must be an integer/);
    expect(make({ alarmEmail: 'ops' })).toThrow(/alarmEmail must be an e-mail address/);
    expect(make({ routePermissions: { 'FETCH /x': 'a:b' } })).toThrow(/"FETCH \/x" must be "METHOD \/path"/);
    expect(make({ workspaceSource: 'cookie:ws' as never })).toThrow(/LATCHKEY_WORKSPACE_SOURCE/);
    expect(make({ expiringSoonDays: -1 })).toThrow(/expiringSoonDays/);
    expect(make({ unusualActivity: { factor: 0 } })).toThrow(/unusualActivity.factor must be an integer/);
    expect(make({ unusualActivity: { minRequests: 1.5 } })).toThrow(/unusualActivity.minRequests/);
  });

  it('are all reported in one error', () => {
    const several = make({
      maxActiveKeysPerOwner: 0,
      alarmEmail: 'ops',
      routePermissions: { 'FETCH /x': 'a:b' },
      authorizerResultsCacheTtl: Duration.hours(2),
    });
    expect(several).toThrow(/4 bad props/);
    expect(several).toThrow(/maxActiveKeysPerOwner must be an integer from 1 to 1000000/);
    expect(several).toThrow(/alarmEmail must be an e-mail address/);
    expect(several).toThrow(/"FETCH \/x" must be "METHOD \/path"/);
    expect(several).toThrow(/authorizerResultsCacheTtl must be from 0 to 3600/);
  });
});
