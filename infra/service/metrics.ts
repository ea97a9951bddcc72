import { Duration } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';

/** Refused checks, every refusal code together. */
export const refusedChecks = () =>
  new Metric({
    namespace: 'Latchkey',
    metricName: 'Refused',
    dimensionsMap: { service: 'latchkey' },
    statistic: 'Sum',
    period: Duration.minutes(5),
  });

/** A wrong key is a thrown Unauthorized, which Lambda counts in Errors: faults are the project's own metric. */
export const authorizerFaults = () =>
  new Metric({
    namespace: 'Latchkey',
    metricName: 'AuthorizerFault',
    dimensionsMap: { service: 'latchkey' },
    statistic: 'Sum',
    period: Duration.minutes(1),
  });

/** One decision code's count of checks, for the dashboard. */
export const checksByCode = (code: string) =>
  new Metric({
    namespace: 'Latchkey',
    metricName: 'Checks',
    dimensionsMap: { service: 'latchkey', code },
    statistic: 'Sum',
    label: code,
  });

/** A planted canary key was presented (by the authorizer or POST /v1/verify); refused as NOT_FOUND. */
export const canaryTriggered = () =>
  new Metric({
    namespace: 'Latchkey',
    metricName: 'CanaryTriggered',
    dimensionsMap: { service: 'latchkey', code: 'NOT_FOUND' },
    statistic: 'Sum',
    period: Duration.minutes(1),
  });
