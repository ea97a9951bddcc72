import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { expect } from 'vitest';
import type { TableId } from '../../functions/store/tables.ts';
import { ConsumerStack } from '../../infra/examples/consumer.ts';
import { LatchkeyStack } from '../../infra/latchkey-stack.ts';
import type { ApiKeyServiceProps } from '../../infra/service/props.ts';

/** Where the template tests deploy: no AWS account is ever asked. */
export const ENV = { account: '123456789012', region: 'eu-west-1' };

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are inspected freely
export type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };
export type Resources = Record<string, Resource>;
// biome-ignore lint/suspicious/noExplicitAny: policy statements are inspected freely
export type Statement = Record<string, any>;

/** An app whose stacks skip esbuild bundling: template tests need no code (one test bundles for real). */
export const testApp = () => new App({ context: { 'aws:cdk:bundling-stacks': [] } });

/** `app` with cdk-nag's AwsSolutions checks: its synthesis fails on an unacknowledged finding. */
export function withNag<T extends App>(app: T): T {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

/**
 * Latchkey's stack with `service` props (and the consumer example, with `consumer`), synthesized
 * under cdk-nag's AwsSolutions checks: an unacknowledged finding fails the synthesis.
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
  const stack = new LatchkeyStack(app, 'Latchkey', { env: ENV, service });
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

/** The function that runs `handler` in `template`, or undefined if the stack deploys none. */
export function functionOf(template: Template, handler: string): Resource | undefined {
  const functions = template.findResources('AWS::Lambda::Function') as Resources;
  const matching = Object.entries(functions).filter(([id]) =>
    new RegExp(`^ApiKeys${toId(handler)}[0-9A-F]{8}$`).test(id),
  );
  expect(matching.length, handler).toBeLessThanOrEqual(1);
  return matching[0]?.[1];
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
