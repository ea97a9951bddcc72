import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionIdOf, functionOf, statementsOf, synthStack } from '../support/stack.ts';

/**
 * Incident response in the template: the grace check on a 5-minute schedule, the public report
 * handing its check to a second function (asynchronously, retried, with a failure queue), the
 * kill switch's time, the new events to the notification topic; cdk-nag clean.
 */
let template: Template;

beforeAll(() => {
  // With the portal deployed (its fixture site), under cdk-nag: an unacknowledged finding fails here.
  template = synthStack().template;
}, 60_000);

/** The logical ID of the function that runs `handler` (the stack must deploy it). */
function fn(handler: string): string {
  const id = functionIdOf(template, handler);
  expect(id, handler).toBeDefined();
  return id as string;
}

describe('incident response in AWS', () => {
  it('runs the "still in use" check every 5 minutes, retried', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [fn('grace-check'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 2 },
        }),
      ],
    });
  });

  it('hands a public report to its check asynchronously: that function only, retried twice, then a failure queue', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ LATCHKEY_REPORT_WORKER: { Ref: fn('credentials-check') } }),
      },
    });
    const invokes = statementsOf(template, 'credentials-revoke').filter(
      (s) => s.Action === 'lambda:InvokeFunction',
    );
    expect(invokes).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [fn('credentials-check'), 'Arn'] },
      }),
    ]);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fn('credentials-check') },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    // A canary's trip in the check's log reaches the key, as the authorizer's do.
    template.hasResourceProperties('AWS::Logs::SubscriptionFilter', {
      FilterPattern: '{ $.usage = "*" }',
      DestinationArn: { 'Fn::GetAtt': [fn('usage-ingest'), 'Arn'] },
      LogGroupName: { Ref: Match.stringLikeRegexp('^ApiKeysCredentialsCheckLogs') },
    });
    expect(Object.keys(template.findResources('AWS::Logs::SubscriptionFilter'))).toHaveLength(3);
  });

  it('serves POST /v1/credentials/revoke without IAM and gives the kill switch API Gateway’s 29 seconds', () => {
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      AuthorizationType: 'NONE',
      Integration: Match.objectLike({
        Uri: Match.objectLike({
          'Fn::Join': Match.arrayWith([
            Match.arrayWith([{ 'Fn::GetAtt': [fn('credentials-revoke'), 'Arn'] }]),
          ]),
        }),
      }),
    });
    expect(functionOf(template, 'keys-bulk')?.Properties.Timeout).toBe(29);
  });

  it('sends "API Key Disabled (Unused)" and "API Key Still In Use" to the notification topic', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['latchkey'],
        'detail-type': Match.arrayWith(['API Key Disabled (Unused)', 'API Key Still In Use']),
      },
    });
  });
});
