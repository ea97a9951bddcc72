import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { findDeployment } from '../../cli/src/lib/doctor/deployment.ts';
import { DOCTOR_DETAIL_TYPE as CLI_DETAIL_TYPE, SWEEP_DETAIL_TYPE } from '../../cli/src/lib/doctor/events.ts';
import { DETAIL_TYPES } from '../../functions/domain/events/lifecycle-events.ts';
import { ApiKeyService } from '../../infra/api-key-service.ts';
import { DOCTOR_DETAIL_TYPE } from '../../infra/service/event-bus.ts';
import { ENV, latchkeyStack, type Resources, testApp, withPortalSite } from '../support/stack.ts';

/**
 * `latchkey doctor` finds a deployment's parts through CloudFormation, by resource type and the
 * construct's own IDs. These tests feed it the resources of the real synthesized stack, so a
 * renamed construct ID or a new resource of the same type breaks here, not in an operator's account.
 */
const ENDPOINT = 'https://abc123defg.execute-api.eu-west-1.amazonaws.com/v1';
const cfn = mockClient(CloudFormationClient);

/** The stack's resources as ListStackResources lists them once deployed (physical IDs made up, shaped as AWS makes them). */
function deployed(template: Template): StackResourceSummary[] {
  return Object.entries(template.toJSON().Resources as Resources).map(([logicalId, r]) => ({
    LogicalResourceId: logicalId,
    ResourceType: r.Type,
    ResourceStatus: 'CREATE_COMPLETE',
    LastUpdatedTimestamp: new Date(0),
    PhysicalResourceId:
      r.Type === 'AWS::ApiGateway::RestApi' && logicalId.includes('ManagementApi')
        ? 'abc123defg'
        : r.Type === 'AWS::Events::Rule' && r.Properties.EventBusName
          ? `latchkey-events|${logicalId}-rule`
          : r.Type === 'AWS::CloudWatch::Alarm'
            ? r.Properties.AlarmName
            : `${logicalId}-physical`,
  }));
}

function answer(stackName: string, resources: StackResourceSummary[]) {
  cfn.reset();
  cfn.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: stackName,
        StackId: `arn:aws:cloudformation:eu-west-1:123456789012:stack/${stackName}/1`,
        StackStatus: 'CREATE_COMPLETE',
        CreationTime: new Date(0),
        Outputs: [{ OutputKey: 'ApiKeysManagementApiEndpoint22429C60', OutputValue: `${ENDPOINT}/` }],
      },
    ],
  });
  cfn.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: resources });
}

let template: Template;
beforeAll(() => {
  const stack = latchkeyStack(
    testApp(),
    {
      plans: {
        free: { rateLimit: 5, burstLimit: 5, quota: { limit: 1000, period: 'DAY' } },
        pro: { rateLimit: 50, burstLimit: 100 },
      },
    },
    'Latchkey-latchkey',
  );
  template = Template.fromStack(stack);
});

describe('latchkey doctor reads the stack the construct makes', () => {
  it('finds the management API, the authorizer, the pepper, the topic, both rules, every alarm and every plan', async () => {
    const resources = deployed(template);
    answer('Latchkey-latchkey', resources);
    const found = await findDeployment(
      new CloudFormationClient({ region: 'eu-west-1' }),
      ENDPOINT,
      'eu-west-1',
    );
    expect(found.check.status).toBe('pass');
    if (!('deployment' in found)) throw new Error('no deployment');
    const d = found.deployment;
    const physical = (type: string, prefix: string) =>
      resources.find((r) => r.ResourceType === type && r.LogicalResourceId?.startsWith(prefix))
        ?.PhysicalResourceId;
    expect(d).toMatchObject({
      stackName: 'Latchkey-latchkey',
      account: '123456789012',
      partition: 'aws',
      restApiId: 'abc123defg',
      prefix: 'ApiKeys',
      authorizer: physical('AWS::Lambda::Function', 'ApiKeysAuthorizer'),
      pepper: physical('AWS::SecretsManager::Secret', 'ApiKeysPepper'),
      topic: physical('AWS::SNS::Topic', 'ApiKeysNotifications'),
    });
    // Not the usage-ingest function, nor a plan key's secret: the construct's own IDs, exactly.
    expect(d.authorizer).toMatch(/^ApiKeysAuthorizer[0-9A-F]{8}-physical$/);
    expect(d.pepper).toMatch(/^ApiKeysPepper[0-9A-F]{8}-physical$/);
    expect(d.reminders?.name).toMatch(/^ApiKeysRotationReminders[0-9A-F]{8}-rule$/);
    expect(d.doctorRule?.name).toMatch(/^ApiKeysDoctorChecks[0-9A-F]{8}-rule$/);
    expect(d.reminders?.bus).toBe('latchkey-events');
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm') as Resources);
    expect([...d.alarms].sort()).toEqual(alarms.map((a) => a.Properties.AlarmName).sort());
    expect(d.usagePlans).toHaveLength(2);
  });

  it('finds the construct in a stack of yours, by the management API the endpoint names', async () => {
    const stack = new Stack(testApp(), 'Team', { env: ENV });
    new ApiKeyService(stack, 'Keys', withPortalSite());
    const resources = deployed(Template.fromStack(stack));
    answer('Team', resources);
    const found = await findDeployment(
      new CloudFormationClient({ region: 'eu-west-1' }),
      ENDPOINT,
      'eu-west-1',
      'Team',
    );
    if (!('deployment' in found)) throw new Error(found.check.detail);
    expect(found.deployment.prefix).toBe('Keys');
    expect(found.deployment.authorizer).toMatch(/^KeysAuthorizer[0-9A-F]{8}-physical$/);
    expect(found.deployment.usagePlans).toEqual([]);
  });

  it("sends the test event the construct's rule routes, and matches the field the rule sends", () => {
    expect(CLI_DETAIL_TYPE).toBe(DOCTOR_DETAIL_TYPE);
    const rule = Object.entries(template.findResources('AWS::Events::Rule') as Resources).find(([id]) =>
      id.startsWith('ApiKeysDoctorChecks'),
    )?.[1];
    const transformer = rule?.Properties.Targets[0].InputTransformer;
    // doctor compares the delivered body's `doctor` with PutEvents' EventId.
    expect(transformer.InputPathsMap.id).toBe('$.id');
    expect(transformer.InputTemplate).toMatch(/"doctor":<id>/);
  });

  it("checks the reminder rule with the sweep's own rotation-due event, one the construct's rule routes", () => {
    expect(SWEEP_DETAIL_TYPE).toBe(DETAIL_TYPES.rotationDue);
    const rule = Object.entries(template.findResources('AWS::Events::Rule') as Resources).find(([id]) =>
      id.startsWith('ApiKeysRotationReminders'),
    )?.[1];
    expect(rule?.Properties.EventPattern['detail-type']).toContain(SWEEP_DETAIL_TYPE);
  });
});
