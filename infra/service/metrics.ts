import { Duration } from 'aws-cdk-lib';
import { type IMetric, MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { FUNCTION_ACCESS } from './function-access.ts';
import type { DeployedTableId } from './tables.ts';

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

/** A planted canary key was presented (by the authorizer or POST /v1/verify); refused as a live key's wrong secret (INVALID_SECRET). */
export const canaryTriggered = () =>
  new Metric({
    namespace: 'Latchkey',
    metricName: 'CanaryTriggered',
    dimensionsMap: { service: 'latchkey', code: 'INVALID_SECRET' },
    statistic: 'Sum',
    period: Duration.minutes(1),
  });

/** Fetches of the leak signing keys that failed (reports answer 503 meanwhile), from the leak functions' EMF lines. */
export const leakKeysFetchFailed = () =>
  new Metric({
    namespace: 'Latchkey',
    metricName: 'LeakKeysFetchFailed',
    dimensionsMap: { service: 'latchkey' },
    statistic: 'Sum',
    period: Duration.minutes(5),
  });

/**
 * `a + b + …` over sparse metrics: a series with no data point in a period counts as 0 there, so
 * one metric's count is not lost for want of another's (DynamoDB and Latchkey publish some of
 * these only when they are above 0).
 */
export const sumOf = (metrics: Record<string, IMetric>, period: Duration, label: string) =>
  new MathExpression({
    expression: Object.keys(metrics)
      .map((id) => `FILL(${id}, 0)`)
      .join(' + '),
    usingMetrics: metrics,
    period,
    label,
  });

const WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

/**
 * Requests DynamoDB throttled on one table, over every operation the functions make on it
 * (`FUNCTION_ACCESS`); a transaction's are counted under TransactWriteItems, so that is added
 * wherever the table is written.
 */
export function tableThrottles(table: TableV2, tableId: DeployedTableId): IMetric {
  const actions = new Set(Object.values(FUNCTION_ACCESS).flatMap((access) => access.tables[tableId] ?? []));
  const operations = [...actions].map((action) => action.replace(/^dynamodb:/, ''));
  if ([...actions].some((action) => WRITES.includes(action))) operations.push('TransactWriteItems');
  const period = Duration.minutes(5);
  return sumOf(
    Object.fromEntries(
      operations.map((operation) => [
        operation[0]?.toLowerCase() + operation.slice(1),
        table.metricThrottledRequestsForOperation(operation, { statistic: 'Sum', period }),
      ]),
    ),
    period,
    `${tableId} table: throttled requests`,
  );
}
