import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { UsageError } from '../errors.ts';

/** The AWS APIs doctor reads a deployment through, all in the deployment's region. */
export interface DoctorClients {
  readonly cloudFormation: CloudFormationClient;
  readonly lambda: LambdaClient;
  readonly eventBridge: EventBridgeClient;
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  readonly iam: IAMClient;
  readonly cloudWatch: CloudWatchClient;
  readonly apiGateway: APIGatewayClient;
}

export function doctorClients(region: string, credentials: AwsCredentialIdentityProvider): DoctorClients {
  const config = { region, credentials };
  return {
    cloudFormation: new CloudFormationClient(config),
    lambda: new LambdaClient(config),
    eventBridge: new EventBridgeClient(config),
    sns: new SNSClient(config),
    sqs: new SQSClient(config),
    iam: new IAMClient(config),
    cloudWatch: new CloudWatchClient(config),
    apiGateway: new APIGatewayClient(config),
  };
}

export function destroyClients(clients: DoctorClients): void {
  for (const client of Object.values(clients)) client.destroy();
}

/** An AWS SDK failure, in words, with whether it was a refusal of permission or no answer at all. */
export interface AwsProblem {
  readonly text: string;
  readonly denied: boolean;
  readonly unreachable: boolean;
}

export function awsProblem(error: unknown): AwsProblem {
  const e = error as Error & { code?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name || e.code || 'Error';
  return {
    text: `${name}: ${e.message}`,
    denied: /AccessDenied|AuthorizationError|UnauthorizedOperation|NotAuthorized/i.test(name),
    // The SDK names the HTTP status of every answer; a failure without one never got an answer,
    // unless it is missing credentials (which the operator's credentials report as a UsageError).
    unreachable: e.$metadata?.httpStatusCode === undefined && !(error instanceof UsageError),
  };
}

/** The parts of an ARN: `arn:partition:service:region:account:resource`. */
export function arnParts(arn: string) {
  const [, partition = 'aws', service = '', region = '', account = '', ...resource] = arn.split(':');
  return { partition, service, region, account, resource: resource.join(':') };
}
