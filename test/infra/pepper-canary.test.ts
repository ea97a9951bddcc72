import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type { ApiKeyServiceProps } from '../../infra/api-key-service.ts';
import { type Resources, synthStack } from '../support/stack.ts';

const build = (service: ApiKeyServiceProps = {}) => synthStack(service).template;

describe('pepper rotation, import and canary keys in the construct', () => {
  const template = build({ pepperRotationDays: 30, importRotationDays: 14 });

  it("rotates the pepper on a Secrets Manager schedule through Latchkey's own rotation function", () => {
    const functions = template.findResources('AWS::Lambda::Function') as Resources;
    const [rotationId] = Object.keys(functions).filter((id) => /^ApiKeysPepperRotation[0-9A-F]{8}$/.test(id));
    expect(rotationId).toBeDefined();
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      SecretId: { Ref: Match.stringLikeRegexp('^ApiKeysPepper') },
      RotationLambdaARN: { 'Fn::GetAtt': [rotationId, 'Arn'] },
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
    // Secrets Manager may invoke it, and it may stage new secret versions.
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [rotationId, 'Arn'] },
      Principal: 'secretsmanager.amazonaws.com',
    });
    const policies = Object.values(template.findResources('AWS::IAM::Policy') as Resources);
    const role = functions[rotationId as string]?.Properties.Role['Fn::GetAtt'][0];
    const actions = policies
      .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .flatMap((s: { Action: string | string[] }) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions).toEqual(
      expect.arrayContaining([
        'secretsmanager:PutSecretValue',
        'secretsmanager:UpdateSecretVersionStage',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
      ]),
    );
  });

  it('defaults to a 90-day schedule, and refuses a bad period', () => {
    build().hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      RotationRules: { ScheduleExpression: 'rate(90 days)' },
    });
    expect(() => build({ pepperRotationDays: 0 })).toThrow(/pepperRotationDays must be an integer from 1/);
    expect(() => build({ importRotationDays: -1 })).toThrow(/importRotationDays must be an integer from 0/);
  });

  it('lets only the pepper routes write the pepper', () => {
    const functions = template.findResources('AWS::Lambda::Function') as Resources;
    const policies = Object.values(template.findResources('AWS::IAM::Policy') as Resources);
    const writers = Object.entries(functions)
      .filter(([, fn]) => {
        const role = fn.Properties.Role['Fn::GetAtt'][0];
        return policies
          .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
          .flatMap((p) => p.Properties.PolicyDocument.Statement)
          .some((s: { Action: string | string[] }) =>
            [s.Action].flat().includes('secretsmanager:PutSecretValue'),
          );
      })
      .map(([id]) => id.replace(/[0-9A-F]{8}$/, ''))
      .sort();
    expect(writers).toEqual(['ApiKeysPepperRetire', 'ApiKeysPepperRotate', 'ApiKeysPepperRotation']);
  });

  it('passes the import rotation period to the functions', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ LATCHKEY_IMPORT_ROTATION_DAYS: '14' }) },
    });
  });

  it('alarms on the CanaryTriggered metric at the first canary', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'CanaryTriggered',
      Namespace: 'Latchkey',
      Dimensions: [
        { Name: 'code', Value: 'INVALID_SECRET' },
        { Name: 'service', Value: 'latchkey' },
      ],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^ApiKeysNotifications') }],
    });
  });
});
