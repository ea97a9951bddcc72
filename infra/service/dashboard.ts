import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Dashboard, GraphWidget, type Metric, SingleValueWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { REFUSALS } from '../../functions/domain/verify/verify.ts';
import type { LatchkeyFunction } from '../latchkey-function.ts';
import { leaksFound } from './leak-report.ts';
import { checksByCode } from './metrics.ts';

export interface DashboardSettings {
  readonly name: string;
  readonly api: RestApi;
  /** @default undefined (no portal) */
  readonly portalApi?: RestApi;
  readonly authorizer: LatchkeyFunction;
  readonly refused: Metric;
  readonly faults: Metric;
}

/** Checks by decision, the authorizer's health and the management and portal APIs' errors, on one page. */
export function createDashboard(scope: Construct, s: DashboardSettings) {
  const dashboard = new Dashboard(scope, 'Dashboard', { dashboardName: `${s.name}-api-keys` });
  dashboard.addWidgets(
    new GraphWidget({
      title: 'Checks by decision',
      left: ['VALID', ...REFUSALS].map(checksByCode),
      width: 12,
    }),
    new GraphWidget({
      title: 'Authorizer',
      left: [
        s.authorizer.metricInvocations(),
        s.faults.with({ label: 'AuthorizerFault (DynamoDB or Secrets Manager failed)' }),
        s.authorizer.metricThrottles(),
      ],
      right: [s.authorizer.metricDuration({ statistic: 'p99' })],
      width: 12,
    }),
    new SingleValueWidget({ title: 'Refused (5 min)', metrics: [s.refused], width: 6 }),
    new SingleValueWidget({ title: 'Leaked keys reported (5 min)', metrics: [leaksFound()], width: 6 }),
    new GraphWidget({
      title: 'Management API',
      left: [s.api.metricClientError(), s.api.metricServerError()],
      width: 12,
    }),
  );
  if (s.portalApi)
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Portal API',
        left: [s.portalApi.metricClientError(), s.portalApi.metricServerError()],
        right: [s.portalApi.metricCount()],
        width: 12,
      }),
    );
  return dashboard;
}
