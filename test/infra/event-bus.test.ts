import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyService, FUNCTION_ACCESS } from '../../infra/api-key-service.ts';
import { DOCTOR_DETAIL_TYPE } from '../../infra/service/event-bus.ts';
import {
  ENV,
  latchkeyFunctions,
  type Resources,
  roleOf,
  type Statement,
  synthStack,
  testApp,
  withNag,
  withPortalSite,
} from '../support/stack.ts';

/**
 * Lifecycle events on a bus of Latchkey's own, which only Latchkey's publishing functions may put
 * events on: nobody else in the account can forge "API Key Leaked" or "Rotation Due" mail.
 */

let template: Template;
beforeAll(() => {
  ({ template } = synthStack());
});

/** The role logical IDs of the deployed functions whose access rules let them publish events, and of the others. */
function publisherRoles(t: Template) {
  const publishing = new Set<string>();
  const others = new Set<string>();
  for (const [handler, access] of Object.entries(FUNCTION_ACCESS)) {
    const role = roleOf(t, handler);
    if (!role) continue;
    (access.events ? publishing : others).add(role);
  }
  return { publishing, others };
}

/** The bus policy statements: on a bus itself, or in AWS::Events::EventBusPolicy resources. */
const statements = (t: Template) => [
  ...Object.values(t.findResources('AWS::Events::EventBus') as Resources).flatMap(
    (b) => (b.Properties.Policy?.Statement ?? []) as Statement[],
  ),
  ...Object.values(t.findResources('AWS::Events::EventBusPolicy') as Resources).map(
    (p) => p.Properties.Statement as Statement,
  ),
];
const roleIds = (value: unknown) =>
  [value].flat().map((arn) => (arn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]);

describe("Latchkey's own event bus", () => {
  it('is made, and every function publishes to it', () => {
    const buses = Object.entries(template.findResources('AWS::Events::EventBus') as Resources);
    expect(buses).toHaveLength(1);
    const [busId, bus] = buses[0] as [string, Resources[string]];
    expect(bus.Properties.Name).toBe('latchkey-events');
    const functions = Object.entries(latchkeyFunctions(template));
    expect(functions.length).toBeGreaterThan(10);
    for (const [id, fn] of functions)
      expect(fn.Properties.Environment.Variables.LATCHKEY_EVENT_BUS_NAME, id).toEqual({ Ref: busId });
  });

  it('denies PutEvents to every principal but the roles of the functions that publish', () => {
    const { publishing, others } = publisherRoles(template);
    expect(publishing.size).toBeGreaterThanOrEqual(10);
    const all = statements(template);
    expect(all).toHaveLength(1);
    const [deny] = all as [Statement];
    expect(deny).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'events:PutEvents',
      // The bus's ARN, as text (its own policy cannot refer to it).
      Resource: {
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':events:eu-west-1:123456789012:event-bus/latchkey-events'],
        ],
      },
    });
    expect(Object.keys(deny.Condition).sort()).toEqual(['ArnNotEquals', 'StringNotEquals']);
    // latchkey doctor's test event alone gets through; its rule mails a fixed text.
    expect(deny.Condition.StringNotEquals).toEqual({ 'events:detail-type': DOCTOR_DETAIL_TYPE });
    const admitted = new Set(roleIds(deny.Condition.ArnNotEquals['aws:PrincipalArn']));
    expect(admitted).toEqual(publishing);
    for (const role of others) expect(admitted.has(role)).toBe(false);
  });

  it('lets each publishing function PutEvents on this bus alone, in its own policy', () => {
    const [busId] = Object.keys(template.findResources('AWS::Events::EventBus'));
    const putEvents = Object.values(template.findResources('AWS::IAM::Policy') as Resources)
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
      .filter((s) => [s.Action].flat().includes('events:PutEvents'));
    expect(putEvents.length).toBeGreaterThan(0);
    for (const s of putEvents) expect(s.Resource).toEqual({ 'Fn::GetAtt': [busId, 'Arn'] });
  });

  it('carries the reminder rule', () => {
    const [busId] = Object.keys(template.findResources('AWS::Events::EventBus'));
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: busId },
      EventPattern: Match.objectLike({ source: ['latchkey'] }),
    });
  });
});

describe('an eventBus of your own (the prop)', () => {
  it('is used instead, and only Latchkey’s functions may put events with source "latchkey" on it', () => {
    const a = withNag(testApp());
    const stack = new Stack(a, 'Mine', { env: ENV });
    const bus = new EventBus(stack, 'Bus', { eventBusName: 'team-bus' });
    const service = new ApiKeyService(stack, 'ApiKeys', withPortalSite({ eventBus: bus }));
    expect(service.eventBus).toBe(bus);
    a.synth();
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Events::EventBus', 1);
    const [deny] = statements(t) as [Statement];
    expect(statements(t)).toHaveLength(1);
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'events:PutEvents' });
    // Other sources on a shared bus stay as they were.
    expect(deny.Condition.StringEquals).toEqual({ 'events:source': 'latchkey' });
    expect(deny.Condition.StringNotEquals).toEqual({ 'events:detail-type': DOCTOR_DETAIL_TYPE });
    expect(new Set(roleIds(deny.Condition.ArnNotEquals['aws:PrincipalArn']))).toEqual(
      publisherRoles(t).publishing,
    );
  });

  it('imported, it cannot be guarded: synth warns that others may forge Latchkey events on it', () => {
    const a = withNag(testApp());
    const stack = new Stack(a, 'Imported', { env: ENV });
    new ApiKeyService(
      stack,
      'ApiKeys',
      withPortalSite({ eventBus: EventBus.fromEventBusName(stack, 'Default', 'default') }),
    );
    a.synth();
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Events::EventBus', 0);
    t.resourceCountIs('AWS::Events::EventBusPolicy', 0);
    Annotations.fromStack(stack).hasWarning(
      '/Imported/ApiKeys',
      Match.stringLikeRegexp('imported event bus.*PutEvents.*forge'),
    );
  });
});
