import { Annotations, Stack } from 'aws-cdk-lib';
import { EventBus, type IEventBus } from 'aws-cdk-lib/aws-events';
import { AnyPrincipal, Effect, type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { LatchkeyEvent } from '../../functions/domain/events.ts';

/** The `source` of every Latchkey event, as the functions publish it. */
export const EVENT_SOURCE: LatchkeyEvent['source'] = 'latchkey';

/**
 * The bus lifecycle events go to: `given` (the `eventBus` prop), or one of Latchkey's own. On the
 * account's default bus any principal allowed `events:PutEvents` could publish "API Key Leaked"
 * or "API Key Rotation Due" and have the notification topic mail it as Latchkey's.
 */
export function serviceEventBus(scope: Construct, name: string, given?: IEventBus) {
  if (given) return { bus: given, owned: false };
  const bus = new EventBus(scope, 'Events', {
    eventBusName: `${name}-events`,
    description: `${name}: Latchkey's lifecycle events; only its own functions may publish here.`,
  });
  return { bus, owned: true };
}

/**
 * Only `publishers` (the roles of the functions whose access rules publish events) may put
 * events: on Latchkey's own bus, any event; on a bus of yours, events with source "latchkey"
 * (others keep publishing theirs). A Deny, because within the account an identity policy alone
 * would otherwise be enough to publish. A bus this stack cannot change (imported, or in another
 * stack) gets no policy, and synth warns.
 */
export function admitOnlyPublishers(
  scope: Construct,
  { bus, owned }: { bus: IEventBus; owned: boolean },
  publishers: readonly IRole[],
) {
  if (!(bus instanceof EventBus) || Stack.of(bus) !== Stack.of(scope)) {
    Annotations.of(scope).addWarning(
      `Latchkey publishes lifecycle events to an imported event bus (or one in another stack), whose resource policy it cannot set: any principal allowed events:PutEvents on it can forge Latchkey's events (source "${EVENT_SOURCE}"), and the notification topic mails "API Key Leaked" and "API Key Rotation Due" as they come. Deny events:PutEvents with events:source "${EVENT_SOURCE}" on that bus to everyone but Latchkey's function roles, or leave out eventBus so Latchkey makes a bus of its own.`,
    );
    return;
  }
  bus.addToResourcePolicy(
    new PolicyStatement({
      sid: 'OnlyLatchkeyFunctionsPublish',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['events:PutEvents'],
      resources: [bus.eventBusArn],
      conditions: {
        ...(owned ? {} : { StringEquals: { 'events:source': EVENT_SOURCE } }),
        ArnNotEquals: { 'aws:PrincipalArn': publishers.map((role) => role.roleArn) },
      },
    }),
  );
}
