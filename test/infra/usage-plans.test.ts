import { Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { LambdaIntegration, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { ApiKeyService, type ApiKeyServiceProps } from '../../infra/api-key-service.ts';
import { USAGE_PLAN_ACCESS } from '../../infra/service/usage-plans.ts';
import {
  ENV,
  functionOf,
  list,
  type Resources,
  serviceAlone,
  statementsOf,
  testApp,
  withNag,
  withPortalSite,
} from '../support/stack.ts';

const PLANS = {
  free: { rateLimit: 5, burstLimit: 10, quota: { limit: 1000, period: 'DAY' as const } },
  pro: { rateLimit: 100, burstLimit: 200 },
};

/** The service and a protected REST API in one stack (the usage plans name its stage). */
function build(props: ApiKeyServiceProps, nag = false) {
  const app = testApp();
  const stack = new Stack(app, 'Protected', { env: ENV });
  const api = new RestApi(stack, 'Orders', { cloudWatchRole: false, deploy: true });
  const service = new ApiKeyService(
    stack,
    'ApiKeys',
    withPortalSite({
      ...props,
      ...(props.plans ? { usagePlanStages: [{ api, stage: api.deploymentStage }] } : {}),
    }),
  );
  const backend = new LambdaFunction(stack, 'Backend', {
    runtime: Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: "{}" })'),
  });
  const authorizer = service.restAuthorizer(api);
  api.root.addResource('orders').addMethod('GET', new LambdaIntegration(backend), { authorizer });
  api.root.addMethod('GET', new LambdaIntegration(backend));
  // The protected API and its backend are the team's (see infra/examples/consumer.ts); Latchkey's part is checked.
  for (const [id, reason] of Object.entries({
    'AwsSolutions-APIG1': 'test API',
    'AwsSolutions-APIG2': 'test API',
    'AwsSolutions-APIG3': 'test API',
    'AwsSolutions-APIG4': 'test API: one method is left open on purpose',
    'AwsSolutions-APIG6': 'test API',
    'AwsSolutions-COG4': 'test API: the Latchkey authorizer, not Cognito',
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
      'test backend',
    'AwsSolutions-L1': 'test backend',
  })) {
    Validations.of(api).acknowledge({ id, reason });
    Validations.of(backend).acknowledge({ id, reason });
  }
  if (nag) withNag(app);
  app.synth();
  return { stack, service, template: Template.fromStack(stack) };
}

const fnEnv = (template: Template, handler: string) =>
  functionOf(template, handler)?.Properties.Environment.Variables as Record<string, unknown>;

const actionsOf = (template: Template, handler: string): string[] =>
  statementsOf(template, handler).flatMap((s) => list(s.Action));

describe('usage plans in the template', () => {
  it('makes one usage plan per plan, with its throttle and quota, on the named stage', () => {
    const { template } = build({ plans: PLANS });
    template.resourceCountIs('AWS::ApiGateway::UsagePlan', 2);
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      UsagePlanName: 'latchkey-free',
      Throttle: { RateLimit: 5, BurstLimit: 10 },
      Quota: { Limit: 1000, Period: 'DAY' },
      ApiStages: [
        {
          ApiId: { Ref: Match.stringLikeRegexp('^Orders') },
          Stage: { Ref: Match.stringLikeRegexp('^OrdersDeploymentStage') },
        },
      ],
    });
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      UsagePlanName: 'latchkey-pro',
      Throttle: { RateLimit: 100, BurstLimit: 200 },
      Quota: Match.absent(),
    });
  });

  it('has the protected API take its key from the authorizer, and every method behind it require one', () => {
    const { template } = build({ plans: PLANS });
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { ApiKeySourceType: 'AUTHORIZER' });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      AuthorizationType: 'CUSTOM',
      ApiKeyRequired: true,
    });
    // A method without the authorizer is the team's own business.
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      AuthorizationType: 'NONE',
      ApiKeyRequired: Match.absent(),
    });
  });

  it('shared: one API key per plan, its value generated into Secrets Manager, read only by the authorizer', () => {
    const { template } = build({ plans: PLANS });
    template.resourceCountIs('AWS::ApiGateway::ApiKey', 2);
    template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 2);
    const keys = template.findResources('AWS::ApiGateway::ApiKey') as Resources;
    for (const key of Object.values(keys)) {
      // A dynamic reference: resolved by CloudFormation at deploy, never in the template.
      expect(JSON.stringify(key.Properties.Value)).toMatch(/resolve:secretsmanager:/);
      expect(key.Properties.Enabled).toBe(true);
    }
    const authorizerEnv = fnEnv(template, 'authorizer');
    const settings = JSON.stringify(authorizerEnv.LATCHKEY_USAGE_PLANS);
    expect(settings).toContain('shared');
    expect(settings).toContain('valueSecretArn');
    expect(actionsOf(template, 'authorizer')).toContain('secretsmanager:GetSecretValue');
    // Shared mode: no function makes or deletes API keys.
    for (const handler of Object.keys(USAGE_PLAN_ACCESS)) {
      expect(actionsOf(template, handler), handler).not.toContain('apigateway:POST');
      expect(actionsOf(template, handler), handler).not.toContain('apigateway:DELETE');
    }
    expect(actionsOf(template, 'keys-quota')).toContain('apigateway:GET');
    // The sweep reads the usage for the quota threshold events, and the live keys with a plan.
    expect(actionsOf(template, 'sweep-scheduled')).toEqual(
      expect.arrayContaining(['apigateway:GET', 'dynamodb:Query']),
    );
    expect(fnEnv(template, 'keys-create').LATCHKEY_PLANS).toBe(JSON.stringify(PLANS));
  });

  it('perKey: no API keys in the template; the key lifecycle and the sweep may make, attach, list and delete them', () => {
    const { template } = build({ plans: PLANS, usagePlanMode: 'perKey' });
    template.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 0);
    for (const handler of ['keys-create', 'keys-update', 'keys-revoke', 'keys-rotate']) {
      expect(actionsOf(template, handler), handler).toEqual(
        expect.arrayContaining(['apigateway:POST', 'apigateway:DELETE']),
      );
      expect(actionsOf(template, handler), handler).not.toContain('apigateway:GET');
    }
    // The key lifecycle writes the API key to the record after a fresh read; so does the sweep's repair.
    for (const handler of ['keys-create', 'sweep-scheduled', 'rotation-sweep'])
      expect(actionsOf(template, handler), handler).toEqual(
        expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:UpdateItem']),
      );
    expect(actionsOf(template, 'keys-delete')).toContain('apigateway:DELETE');
    expect(actionsOf(template, 'keys-delete')).not.toContain('apigateway:POST');
    expect(actionsOf(template, 'sweep-scheduled')).toEqual(
      expect.arrayContaining(['apigateway:POST', 'apigateway:DELETE', 'apigateway:GET']),
    );
    // The authorizer never calls API Gateway, and reads no plan secret.
    expect(actionsOf(template, 'authorizer').filter((a) => a.startsWith('apigateway:'))).toEqual([]);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'apigateway:POST',
            Resource: Match.arrayWith([
              {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':apigateway:eu-west-1::/usageplans/',
                    Match.anyValue(),
                    '/keys',
                  ],
                ],
              },
            ]),
          }),
        ]),
      },
    });
    expect(JSON.stringify(fnEnv(template, 'keys-create').LATCHKEY_USAGE_PLANS)).toContain('perKey');
  });

  it('without plans: no usage plans, and the protected API is left as it was', () => {
    const { template } = build({});
    template.resourceCountIs('AWS::ApiGateway::UsagePlan', 0);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Name: 'Orders',
      ApiKeySourceType: Match.absent(),
    });
    expect(fnEnv(template, 'authorizer').LATCHKEY_USAGE_PLANS).toBeUndefined();
  });

  it('passes cdk-nag in both modes', () => {
    expect(() => build({ plans: PLANS }, true)).not.toThrow();
    expect(() => build({ plans: PLANS, usagePlanMode: 'perKey' }, true)).not.toThrow();
  });

  it('reports bad plans clearly, every field named, with the other bad props', () => {
    const make = (props: ApiKeyServiceProps) => () => serviceAlone(props);
    expect(
      make({
        // biome-ignore lint/suspicious/noExplicitAny: a wrong shape on purpose
        plans: { Free: { rateLimit: 0, burstLimit: 1, quota: { limit: 10, period: 'YEAR' } } } as any,
        // biome-ignore lint/suspicious/noExplicitAny: a wrong value on purpose
        usagePlanMode: 'each' as any,
        maxActiveKeysPerOwner: 0,
      }),
    ).toThrow(
      /4 bad props|plans\.Free: must be lower-case[\s\S]*plans\.Free\.rateLimit: must be more than 0[\s\S]*plans\.Free\.quota\.period: must be DAY, WEEK or MONTH[\s\S]*usagePlanMode must be "shared" or "perKey"/,
    );
  });
});
