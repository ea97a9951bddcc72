import { Duration, Validations } from 'aws-cdk-lib';
import type { Method, MethodDeploymentOptions } from 'aws-cdk-lib/aws-apigateway';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { RouteDef } from '../../functions/routes.ts';
import type { ServiceFunctionOptions } from './function-factory.ts';
import type { LeakReportOptions } from './props.ts';

export const LEAK_REPORT_THROTTLING = { rateLimit: 5, burstLimit: 10 } as const;
/** The OpenAPI document: a read anyone may make, apart from the management budget. */
export const PUBLIC_READ_THROTTLING = { rateLimit: 10, burstLimit: 20 } as const;

/** Stage method settings: each public route throttled on its own (`/v1/leaks/github/POST`). */
export function publicMethodOptions(
  routes: readonly RouteDef[],
  options: LeakReportOptions = {},
): Record<string, MethodDeploymentOptions> {
  const leaks = options.throttling ?? LEAK_REPORT_THROTTLING;
  return Object.fromEntries(
    routes
      .filter((r) => r.public && !r.localOnly)
      .map((r) => {
        // The reports (GitHub's and anyone's) share the leak report's limit; the document reads nothing.
        const throttling = r.handler === 'openapi' ? PUBLIC_READ_THROTTLING : leaks;
        return [
          `${r.path}/${r.method}`,
          { throttlingRateLimit: throttling.rateLimit, throttlingBurstLimit: throttling.burstLimit },
        ];
      }),
  );
}

/** What every function that acts on a leaked key is told to do with it: revoke (the default) or disable. */
export const leakActionEnvironment = (options: LeakReportOptions = {}) => ({
  LATCHKEY_LEAK_ACTION: options.action ?? 'revoke',
});

/** What the leak functions read beyond the service's environment. */
export function leakFunctionOptions(
  handler: string,
  options: LeakReportOptions = {},
): ServiceFunctionOptions | undefined {
  const action = leakActionEnvironment(options);
  if (handler === 'leaks-report') return { handler, environment: action };
  if (handler !== 'leaks-github') return undefined;
  return {
    handler,
    environment: {
      ...action,
      ...(options.keysUrl ? { LATCHKEY_LEAK_KEYS_URL: options.keysUrl } : {}),
    },
    // A report may hold many matches; API Gateway gives up on it after 29 s.
    timeout: Duration.seconds(25),
  };
}

/** cdk-nag: a public method is public on purpose, for the reason its route states. */
export function acknowledgePublicMethod(method: Method, route: RouteDef) {
  if (!route.public) return;
  Validations.of(method).acknowledge({
    id: 'AwsSolutions-APIG4',
    reason: `${route.method} ${route.path} takes no IAM signature: ${route.publicBecause}`,
  });
}

/** Leaked keys reported (true positives), from the leak functions' EMF lines. */
export const leaksFound = () =>
  new Metric({
    namespace: 'Latchkey',
    metricName: 'LeaksFound',
    dimensionsMap: { service: 'latchkey' },
    statistic: 'Sum',
    period: Duration.minutes(5),
  });

/** Every problem with the leak report props. */
export function checkLeakReport(options: LeakReportOptions | undefined): string[] {
  if (!options) return [];
  const problems: string[] = [];
  if (options.action !== undefined && !['revoke', 'disable'].includes(options.action))
    problems.push('leakReport.action must be revoke or disable');
  if (options.keysUrl !== undefined && !/^https:\/\/[^\s/]+/.test(options.keysUrl))
    problems.push('leakReport.keysUrl must be an https URL');
  const t = options.throttling;
  if (
    t &&
    (!Number.isInteger(t.rateLimit) || t.rateLimit < 1 || !Number.isInteger(t.burstLimit) || t.burstLimit < 1)
  )
    problems.push('leakReport.throttling rateLimit and burstLimit must be positive integers');
  return problems;
}
