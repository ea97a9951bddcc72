import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { expect } from 'vitest';
import type { TableId } from '../../functions/store/tables.ts';
import { ApiKeyService } from '../../infra/api-key-service.ts';
import { ConsumerStack } from '../../infra/examples/consumer.ts';
import { LatchkeyStack } from '../../infra/latchkey-stack.ts';
import type { ApiKeyServiceProps } from '../../infra/service/props.ts';
import { PORTAL_SITE } from './portal-site.ts';

/** Where the template tests deploy: no AWS account is ever asked. */
export const ENV = { account: '123456789012', region: 'eu-west-1' };

export type Resource = {
  Type: string;
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are inspected freely
  Properties: Record<string, any>;
  DeletionPolicy?: string;
  DependsOn?: string | string[];
};
export type Resources = Record<string, Resource>;
// biome-ignore lint/suspicious/noExplicitAny: policy statements are inspected freely
export type Statement = Record<string, any>;

/** An app whose stacks skip esbuild bundling: template tests need no code (one test bundles for real). */
export const testApp = () => new App({ context: { 'aws:cdk:bundling-stacks': [] } });

/**
 * `service` props whose portal deploys the small built site of test/fixtures (unless they name assets
 * of their own): template tests never build web/dist. Every service a template test makes takes them.
 */
export const withPortalSite = (service: ApiKeyServiceProps = {}): ApiKeyServiceProps => ({
  ...service,
  portal: { assets: PORTAL_SITE, ...service.portal },
});

/** `app` with cdk-nag's AwsSolutions checks: its synthesis fails on an unacknowledged finding. */
export function withNag<T extends App>(app: T): T {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

/** Latchkey's stack in `app`, with `service` props (`withPortalSite`): not synthesized yet. */
export const latchkeyStack = (app: App, service: ApiKeyServiceProps = {}, id = 'Latchkey') =>
  new LatchkeyStack(app, id, { env: ENV, service: withPortalSite(service) });

/** Latchkey's construct alone in a stack of a test app (`withPortalSite`), not synthesized: what tests of its props make. */
export const serviceAlone = (service: ApiKeyServiceProps = {}) =>
  new ApiKeyService(new Stack(testApp(), 'S', { env: ENV }), 'Keys', withPortalSite(service));

/**
 * Latchkey's stack with `service` props (`withPortalSite`) and the consumer example, with `consumer`,
 * synthesized under cdk-nag's AwsSolutions checks: an unacknowledged finding fails the synthesis.
 */
export function synthStack(service?: ApiKeyServiceProps): Synthesized;
export function synthStack(
  service: ApiKeyServiceProps,
  options: { consumer: true },
): Synthesized & { consumer: Template };
export function synthStack(
  service: ApiKeyServiceProps = {},
  options: { consumer?: boolean } = {},
): Synthesized {
  const app = withNag(testApp());
  const stack = latchkeyStack(app, service);
  const consumer = options.consumer
    ? new ConsumerStack(app, 'Consumer', { env: ENV, service: stack.service })
    : undefined;
  app.synth();
  return {
    app,
    stack,
    template: Template.fromStack(stack),
    consumer: consumer && Template.fromStack(consumer),
  };
}

interface Synthesized {
  app: App;
  stack: LatchkeyStack;
  template: Template;
  consumer?: Template;
}

/** `keys-create` → `KeysCreate`: a function's (or a table's) construct ID. */
export const toId = (name: string) =>
  name
    .split('-')
    .map((p) => `${p[0]?.toUpperCase()}${p.slice(1)}`)
    .join('');

/** A value or a list, as CloudFormation writes an Action or a Resource, as a list. */
export const list = <T>(value: T | T[]) => (Array.isArray(value) ? value : [value]);

/**
 * Latchkey's functions in `template`, by logical ID: not CDK's own, which uploads the portal's built
 * app and runs no Latchkey code.
 */
export const latchkeyFunctions = (template: Template): Resources =>
  Object.fromEntries(
    Object.entries(template.findResources('AWS::Lambda::Function') as Resources).filter(
      ([id]) => !id.startsWith('CustomCDKBucketDeployment'),
    ),
  );

/** The logical ID of the function that runs `handler` in `template`, or undefined if the stack deploys none. */
export function functionIdOf(template: Template, handler: string): string | undefined {
  const matching = Object.keys(template.findResources('AWS::Lambda::Function')).filter((id) =>
    new RegExp(`^ApiKeys${toId(handler)}[0-9A-F]{8}$`).test(id),
  );
  expect(matching.length, handler).toBeLessThanOrEqual(1);
  return matching[0];
}

/** The function that runs `handler` in `template`, or undefined if the stack deploys none. */
export function functionOf(template: Template, handler: string): Resource | undefined {
  const id = functionIdOf(template, handler);
  return id === undefined ? undefined : (template.findResources('AWS::Lambda::Function') as Resources)[id];
}

/** The logical ID of the role of the function that runs `handler`, or undefined if the stack deploys none. */
export const roleOf = (template: Template, handler: string): string | undefined =>
  functionOf(template, handler)?.Properties.Role['Fn::GetAtt'][0];

/** Every IAM statement granted to the role of the function that runs `handler` (it must exist). */
export function statementsOf(template: Template, handler: string): Statement[] {
  const role = roleOf(template, handler);
  expect(role, handler).toBeDefined();
  return Object.values(template.findResources('AWS::IAM::Policy') as Resources)
    .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

/** A table's ARN as the template refers to it. */
export function tableArn(template: Template, table: TableId) {
  const id = Object.keys(template.findResources('AWS::DynamoDB::GlobalTable')).find((t) =>
    t.startsWith(`ApiKeys${toId(table)}Table`),
  );
  expect(id, table).toMatch(/Table/);
  return { 'Fn::GetAtt': [id, 'Arn'] };
}
