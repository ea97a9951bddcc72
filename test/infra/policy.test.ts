import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiKeyServiceProps } from '../../infra/api-key-service.ts';
import { latchkeyFunctions, latchkeyStack, type Resources, serviceAlone, testApp } from '../support/stack.ts';

const policy = {
  maxLifetimeDays: 90,
  requireExpiry: true,
  personalKeysMayNotHold: ['admin'],
  maxKeysPerOwner: 25,
};

let template: Template;
beforeAll(() => {
  template = Template.fromStack(latchkeyStack(testApp(), { policy, unusedDays: 60 }));
}, 60_000);

describe('the compliance policy and report in the construct', () => {
  it('passes the policy, the owner limit it sets and the unused threshold to every function', () => {
    const functions = Object.values(latchkeyFunctions(template));
    expect(functions.length).toBeGreaterThan(10);
    for (const fn of functions) {
      expect(fn.Properties.Environment.Variables).toMatchObject({
        LATCHKEY_POLICY: JSON.stringify(policy),
        LATCHKEY_MAX_ACTIVE_KEYS_PER_OWNER: '25',
        LATCHKEY_UNUSED_DAYS: '60',
        LATCHKEY_EXPIRING_SOON_DAYS: '14',
      });
    }
  });

  it('gives the report its own function, reading only the status index and the pepper', () => {
    const [id, fn] = Object.entries(template.findResources('AWS::Lambda::Function') as Resources).find(
      ([name]) => /^ApiKeysReportsCompliance[0-9A-F]{8}$/.test(name),
    ) as [string, Resources[string]];
    expect(id).toBeDefined();
    expect(fn.Properties).toMatchObject({ Timeout: 29, MemorySize: 1024 });
    const role = fn.Properties.Role['Fn::GetAtt'][0];
    const statements = Object.values(template.findResources('AWS::IAM::Policy') as Resources)
      .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    const dynamo = statements.filter((s: { Action: string | string[] }) =>
      JSON.stringify(s.Action).includes('dynamodb:'),
    );
    expect(dynamo).toEqual([
      {
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: {
          'Fn::Join': [
            '',
            [{ 'Fn::GetAtt': [expect.stringMatching(/^ApiKeysKeysTable/), 'Arn'] }, '/index/byStatus'],
          ],
        },
      },
    ]);
    expect(JSON.stringify(statements)).toContain('secretsmanager:GetSecretValue');
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'compliance' });
  });

  it('adds the sparse unusedSweep index, which the sweep may query', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({
          IndexName: 'unusedSweep',
          KeySchema: [
            { AttributeName: 'unusedShard', KeyType: 'HASH' },
            { AttributeName: 'unusedSweepAt', KeyType: 'RANGE' },
          ],
        }),
      ]),
    });
    expect(JSON.stringify(template.toJSON())).toContain('/index/unusedSweep');
  });

  it('refuses a bad policy naming each field, and an owner limit set twice with different values', () => {
    const make = (props: ApiKeyServiceProps) => () => serviceAlone(props);
    const bad = make({ policy: { maxLifetimeDays: 0, requireExpiry: 'yes', extra: 1 } as never });
    expect(bad).toThrow(/policy\.maxLifetimeDays: /);
    expect(bad).toThrow(/policy\.requireExpiry: /);
    expect(bad).toThrow(/policy\.extra: is not a policy field/);
    expect(make({ policy: { maxKeysPerOwner: 5 }, maxActiveKeysPerOwner: 7 })).toThrow(
      /policy\.maxKeysPerOwner \(5\) and maxActiveKeysPerOwner \(7\) disagree/,
    );
    expect(make({ policy: { maxKeysPerOwner: 5 }, maxActiveKeysPerOwner: 5 })).not.toThrow();
    expect(make({ unusedDays: 0 })).toThrow(/unusedDays must be an integer from 1 to 3650/);
  });
});
