import { Annotations, Stack } from 'aws-cdk-lib';
import { CfnEventBus, CfnEventBusPolicy, EventBus, type IEventBus } from 'aws-cdk-lib/aws-events';
import { AnyPrincipal, Effect, type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { LatchkeyEvent } from '../../functions/domain/events/lifecycle-events.ts';

/** The `source` of every Latchkey event, as the functions publish it. */
export const EVENT_SOURCE: LatchkeyEvent['source'] = 'latchkey';

/**
 * The detail type of `latchkey doctor`'s test event (cli/src/lib/doctor/): the one event that an
 * operator, not a Latchkey function, puts on the bus, to prove EventBridge delivers to the topic.
 */
export const DOCTOR_DETAIL_TYPE = 'Latchkey Doctor Check';

/**
 * The bus lifecycle events go to: `given` (the `eventBus` prop), or one of Latchkey's own. On the
 * account's default bus any principal allowed `events:PutEvents` could publish "API Key Leaked"
 * or "API Key Rotation Due" and have the notification topic mail it as Latchkey's.
 */
export function serviceEventBus(scope: Construct, name: string, given?: IEventBus): ServiceEventBus {
  if (given) return { bus: given };
  const ownName = `${name}-events`;
  const bus = new EventBus(scope, 'Events', {
    eventBusName: ownName,
    description: `${name}: Latchkey's lifecycle events; only its own functions may publish here.`,
  });
  return { bus, ownName };
}

export interface ServiceEventBus {
  readonly bus: IEventBus;
  /** The name of Latchkey's own bus, as text; undefined for the `eventBus` prop's. */
  readonly ownName?: string;
}

/**
 * Only `publishers` (the roles of the functions whose access rules publish events) may put
 * events: on Latchkey's own bus, any event; on a bus of yours, events with source "latchkey"
 * (others keep publishing theirs). A Deny, because within the account an identity policy alone
 * would otherwise be enough to publish. A bus this stack cannot change (imported, or in another
 * stack) gets no policy, and synth warns. `latchkey doctor`'s test event is let through: its rule
 * mails a fixed text (see createOperations), so a forged one cannot say anything.
 */
export function admitOnlyPublishers(
  scope: Construct,
  { bus, ownName }: ServiceEventBus,
  publishers: readonly IRole[],
) {
  if (!(bus instanceof EventBus) || Stack.of(bus) !== Stack.of(scope)) {
    Annotations.of(scope).addWarning(
      `Latchkey publishes lifecycle events to an imported event bus (or one in another stack), whose resource policy it cannot set: any principal allowed events:PutEvents on it can forge Latchkey's events (source "${EVENT_SOURCE}"), and the notification topic mails "API Key Leaked" and "API Key Rotation Due" as they come. Deny events:PutEvents with events:source "${EVENT_SOURCE}" on that bus to everyone but Latchkey's function roles, or leave out eventBus so Latchkey makes a bus of its own.`,
    );
    return;
  }
  const sid = 'OnlyLatchkeyFunctionsPublish';
  const statement = new PolicyStatement({
    sid,
    effect: Effect.DENY,
    principals: [new AnyPrincipal()],
    actions: ['events:PutEvents'],
    // A bus's own policy cannot refer to the bus (a cycle): Latchkey's is named by ARN text.
    resources: [
      ownName
        ? Stack.of(bus).formatArn({ service: 'events', resource: 'event-bus', resourceName: ownName })
        : bus.eventBusArn,
    ],
    conditions: {
      ...(ownName ? {} : { StringEquals: { 'events:source': EVENT_SOURCE } }),
      StringNotEquals: { 'events:detail-type': DOCTOR_DETAIL_TYPE },
      ArnNotEquals: { 'aws:PrincipalArn': publishers.map((role) => role.roleArn) },
    },
  }).toJSON();
  // Latchkey's own bus carries the policy itself; an AWS::Events::EventBusPolicy (which a bus of
  // yours may have more of) makes every synth print a deprecation warning for a property it never sets.
  const resource = bus.node.defaultChild;
  if (ownName && resource instanceof CfnEventBus)
    resource.policy = { Version: '2012-10-17', Statement: [statement] };
  else new CfnEventBusPolicy(scope, sid, { eventBusName: bus.eventBusName, statementId: sid, statement });
}
