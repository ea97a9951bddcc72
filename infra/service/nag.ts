import { Stack, Validations } from 'aws-cdk-lib';
import type { Method } from 'aws-cdk-lib/aws-apigateway';
import type { CfnPolicy } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** The managed policy every Lambda function's role gets, as cdk-nag names it. */
export const BASIC_EXECUTION_ROLE =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

/** cdk-nag findings the service accepts, each with its reason. */
export function suppressNagFindings(service: Construct, healthMethod: Method, wafEnabled: boolean) {
  const acknowledge = (scope: Construct, id: string, reason: string) =>
    Validations.of(scope).acknowledge({ id, reason });
  acknowledge(
    service,
    BASIC_EXECUTION_ROLE,
    'The AWS-managed basic execution role is the minimum for a function to write its logs.',
  );
  acknowledge(
    service,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
    'API Gateway needs this AWS-managed role to write execution logs.',
  );
  acknowledge(
    service,
    'AwsSolutions-IAM5[Resource::*]',
    'X-Ray tracing (PutTraceSegments, PutTelemetryRecords) takes no resource-level permission.',
  );
  acknowledge(
    service,
    'AwsSolutions-L1',
    'Node.js 22 is the runtime Latchkey is built and tested for; moving to a newer one is a tested change, not a default.',
  );
  // With the web ACL on (the default) the stage is associated with it and APIG3 holds as it is.
  if (!wafEnabled)
    acknowledge(
      service,
      'AwsSolutions-APIG3',
      "The web ACL is turned off (waf.enabled: false) by the deployment's choice: the management API takes only IAM-signed requests (GitHub-signed ones on the public leak report method, which has its own lower throttling), the portal API only portal sessions and one-time links, and each is throttled per stage, but one caller can then use up a public method's throttling for everyone.",
    );
  acknowledge(
    service,
    'AwsSolutions-COG4',
    "The management API is authorized with IAM (SigV4): the operator's AWS identity is the actor; the leak report method is authorized by GitHub's ECDSA signature. There are no Cognito users.",
  );
  acknowledge(
    service,
    'AwsSolutions-SQS3',
    'This queue is itself the dead-letter queue of the rotation sweep.',
  );
  acknowledge(
    healthMethod,
    'AwsSolutions-APIG4',
    '/healthz is the readiness probe and returns only {"status":"ok"}; it takes no auth by design.',
  );
}

/**
 * cdk-nag's AwsSolutions-IAM5 findings for `policy` as it stands: one per wildcard action or
 * resource of its Allow statements, named as cdk-nag names them (references flattened to
 * `<LogicalId>` and `<LogicalId.Attribute>`), so that exactly these can be acknowledged.
 */
export function wildcardFindings(policy: CfnPolicy): string[] {
  const document = Stack.of(policy).resolve(policy.policyDocument) as {
    Statement?: Record<string, unknown>[];
  };
  const list = (value: unknown) => (Array.isArray(value) ? value : [value]);
  const findings = new Set<string>();
  for (const statement of document.Statement ?? []) {
    if (statement.Effect !== 'Allow') continue;
    for (const action of list(statement.Action) as string[])
      if (action.includes('*')) findings.add(`AwsSolutions-IAM5[Action::${action}]`);
    for (const resource of list(statement.Resource).map(flatten))
      if (resource.includes('*')) findings.add(`AwsSolutions-IAM5[Resource::${resource}]`);
  }
  return [...findings];
}

function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
  const value = node as Record<string, unknown>;
  if (value['Fn::Join']) {
    const [delimiter, items] = value['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if (value['Fn::Sub']) return flatten(value['Fn::Sub']);
  if (value['Fn::GetAtt']) {
    const [resource, attribute] = value['Fn::GetAtt'] as [unknown, unknown];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (value.Ref) return `<${flatten(value.Ref)}>`;
  return JSON.stringify(node);
}
