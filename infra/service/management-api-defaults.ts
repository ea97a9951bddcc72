import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  EndpointType,
  MethodLoggingLevel,
  type RestApiProps,
  type StageOptions,
} from 'aws-cdk-lib/aws-apigateway';

/** Management API stage throttling unless `managementThrottling` says otherwise. */
export const MANAGEMENT_THROTTLING = { rateLimit: 50, burstLimit: 100 } as const;

/** A regional endpoint; the CloudWatch role API Gateway logs with outlives the stack. */
export const MANAGEMENT_API_DEFAULTS: Pick<
  RestApiProps,
  'endpointConfiguration' | 'cloudWatchRole' | 'cloudWatchRoleRemovalPolicy'
> = {
  endpointConfiguration: { types: [EndpointType.REGIONAL] },
  cloudWatchRole: true,
  cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
};

/**
 * The stage: JSON access logs, error-level execution logs without request or response bodies
 * (they carry secrets), X-Ray tracing and metrics.
 */
export const MANAGEMENT_STAGE_DEFAULTS = {
  stageName: 'v1',
  accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
  loggingLevel: MethodLoggingLevel.ERROR,
  dataTraceEnabled: false,
  tracingEnabled: true,
  metricsEnabled: true,
} as const satisfies StageOptions;
