import type { ApiKeyService } from '@latchkey/cdk';
import { Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  LambdaIntegration,
  LogGroupLogDestination,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

export interface ConsumerStackProps extends StackProps {
  readonly service: ApiKeyService;
}

/**
 * How a team protects its own APIs with Latchkey: a REST API (REQUEST authorizer, refusal codes
 * in gateway responses) and an HTTP API route (simple responses), both calling the same
 * authorizer. The backend echoes what the authorizer passed on.
 */
export class ConsumerStack extends Stack {
  constructor(scope: Construct, id: string, props: ConsumerStackProps) {
    super(scope, id, props);
    const backend = new LambdaFunction(this, 'Orders', {
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: Code.fromInline(
        'exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ caller: event.requestContext.authorizer }) });',
      ),
    });

    const rest = new RestApi(this, 'OrdersRestApi', {
      deployOptions: {
        accessLogDestination: new LogGroupLogDestination(new LogGroup(this, 'OrdersAccessLogs')),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        tracingEnabled: true,
      },
      cloudWatchRole: false,
    });
    const authorizer = props.service.restAuthorizer(rest, { type: 'REQUEST' });
    const orders = rest.root.addResource('orders');
    orders.addMethod('GET', new LambdaIntegration(backend), { authorizer });
    orders.addResource('{orderId}').addMethod('POST', new LambdaIntegration(backend), { authorizer });

    const http = new HttpApi(this, 'OrdersHttpApi');
    http.addRoutes({
      path: '/orders',
      methods: [HttpMethod.GET],
      integration: new HttpLambdaIntegration('OrdersIntegration', backend),
      authorizer: props.service.httpAuthorizer(this),
    });

    const reasons: Record<string, string> = {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
        'Example backend: the AWS-managed basic execution role.',
      'AwsSolutions-L1': 'Example backend pinned to the runtime Latchkey targets.',
      'AwsSolutions-APIG2': 'Example: the backend validates its own input.',
      'AwsSolutions-APIG3': 'Example: attach your WAF web ACL to your own API.',
      'AwsSolutions-APIG6': "Example: execution logging is the consumer's choice; access logs are on.",
      'AwsSolutions-COG4': 'These routes are authorized by the Latchkey Lambda authorizer, not Cognito.',
      'AwsSolutions-APIG1': 'Example HTTP API: add access logging on your own stage.',
    };
    for (const [id, reason] of Object.entries(reasons)) Validations.of(this).acknowledge({ id, reason });
  }
}
