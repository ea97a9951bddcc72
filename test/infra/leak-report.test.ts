import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_ACCESS } from '../../infra/api-key-service.ts';
import type { ApiKeyServiceProps } from '../../infra/service/props.ts';
import { type Resources, synthStack } from '../support/stack.ts';

/** The leak report endpoint in the template: public, throttled apart, least privilege, alarmed. */

const synth = (service: ApiKeyServiceProps = {}) => synthStack(service).template;

let template: Template;
beforeAll(() => {
  template = synth();
});

/** The resource ID of the API Gateway resource at `path` (e.g. `/v1/leaks/github`). */
function resourceAt(t: Template, path: string): string {
  const resources = t.findResources('AWS::ApiGateway::Resource') as Resources;
  const parts = path.split('/').filter(Boolean);
  let parent: unknown;
  let id: string | undefined;
  for (const part of parts) {
    id = Object.entries(resources).find(
      ([, r]) =>
        r.Properties.PathPart === part &&
        (parent === undefined
          ? r.Properties.ParentId['Fn::GetAtt']?.[1] === 'RootResourceId'
          : r.Properties.ParentId.Ref === parent),
    )?.[0];
    expect(id, path).toBeDefined();
    parent = id;
  }
  return id as string;
}

const methodAt = (t: Template, path: string, verb: string) =>
  Object.values(t.findResources('AWS::ApiGateway::Method') as Resources).find(
    (m) => m.Properties.ResourceId.Ref === resourceAt(t, path) && m.Properties.HttpMethod === verb,
  );

describe('POST /v1/leaks/github', () => {
  it('is a public method (no IAM), on its own function; POST /v1/leaks stays IAM-signed', () => {
    const github = methodAt(template, '/v1/leaks/github', 'POST');
    expect(github?.Properties.AuthorizationType).toBe('NONE');
    expect(JSON.stringify(github?.Properties.Integration)).toMatch(/ApiKeysLeaksGithub[0-9A-F]{8}/);
    const operator = methodAt(template, '/v1/leaks', 'POST');
    expect(operator?.Properties.AuthorizationType).toBe('AWS_IAM');
    expect(JSON.stringify(operator?.Properties.Integration)).toMatch(/ApiKeysLeaksReport[0-9A-F]{8}/);
  });

  it('is throttled on its own, well below the management API', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([
        Match.objectLike({ HttpMethod: '*', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }),
        Match.objectLike({
          ResourcePath: '/~1v1~1leaks~1github',
          HttpMethod: 'POST',
          ThrottlingRateLimit: 5,
          ThrottlingBurstLimit: 10,
        }),
      ]),
    });
    const custom = synth({ leakReport: { throttling: { rateLimit: 1, burstLimit: 2 } } });
    custom.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([
        Match.objectLike({ HttpMethod: 'POST', ThrottlingRateLimit: 1, ThrottlingBurstLimit: 2 }),
      ]),
    });
  });

  it('gives its function the key list URL and the action, and 25 s for a large report', () => {
    const custom = synth({ leakReport: { action: 'disable', keysUrl: 'https://keys.example.com/list' } });
    custom.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 25,
      Environment: {
        Variables: Match.objectLike({
          LATCHKEY_LEAK_ACTION: 'disable',
          LATCHKEY_LEAK_KEYS_URL: 'https://keys.example.com/list',
        }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 25,
      Environment: { Variables: Match.objectLike({ LATCHKEY_LEAK_ACTION: 'revoke' }) },
    });
  });

  it('may revoke and disable keys, read the pepper and publish events, and nothing else', () => {
    const write = {
      keys: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      owners: ['dynamodb:UpdateItem'],
      roles: ['dynamodb:UpdateItem'],
      audit: ['dynamodb:PutItem'],
    };
    for (const handler of ['leaks-github', 'leaks-report']) {
      expect(FUNCTION_ACCESS[handler], handler).toEqual({ tables: write, pepper: true, events: true });
    }
  });

  it('raises an alarm to the notification topic on the first leak found', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm') as Resources);
    const leak = alarms.find((a) => a.Properties.MetricName === 'LeaksFound');
    expect(leak?.Properties).toMatchObject({
      AlarmName: 'latchkey-LeakReported',
      Namespace: 'Latchkey',
      Dimensions: [{ Name: 'service', Value: 'latchkey' }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    const topic = Object.keys(template.findResources('AWS::SNS::Topic'))[0];
    expect(leak?.Properties.AlarmActions).toEqual([{ Ref: topic }]);
    // The topic's key lets CloudWatch publish for this alarm too.
    expect(JSON.stringify(template.findResources('AWS::KMS::Key'))).toContain('alarm:latchkey-LeakReported');
  });

  it('refuses bad leak report props in one error', () => {
    expect(() =>
      synth({
        leakReport: {
          action: 'delete' as 'revoke',
          keysUrl: 'http://insecure.example.com',
          throttling: { rateLimit: 0, burstLimit: 1 },
        },
      }),
    ).toThrow(/3 bad props[\s\S]*action must be revoke or disable[\s\S]*https URL[\s\S]*positive integers/);
  });
});
