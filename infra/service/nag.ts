import { Validations } from 'aws-cdk-lib';
import type { Method } from 'aws-cdk-lib/aws-apigateway';
import type { Construct } from 'constructs';

/** cdk-nag findings the service accepts, each with its reason. */
export function suppressNagFindings(service: Construct, healthMethod: Method, wafEnabled: boolean) {
  const acknowledge = (scope: Construct, id: string, reason: string) =>
    Validations.of(scope).acknowledge({ id, reason });
  acknowledge(
    service,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
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
      "The web ACL is turned off (waf.enabled: false) by the deployment's choice: the management API takes only IAM-signed requests (GitHub-signed ones on the public leak report method, which has its own lower throttling) and is throttled per stage, but one caller can then use up a public method's throttling for everyone.",
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
