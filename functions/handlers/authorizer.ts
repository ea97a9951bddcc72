import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { type AuthorizerEvent, type AuthorizerResult, createAuthorizer } from '#platform/authorizer.ts';
import { authorizerConfig } from '#platform/authorizer-config.ts';
import { verifyDeps } from '#platform/deps.ts';
import { logger, metrics } from '#platform/observability.ts';

export const authorize = createAuthorizer(
  {
    ...verifyDeps(),
    observe(decision) {
      const single = metrics.singleMetric();
      single.addDimension('code', decision.code);
      single.addMetric('Checks', MetricUnit.Count, 1);
      if (!decision.valid) {
        metrics.addMetric('Refused', MetricUnit.Count, 1);
        logger.info('key refused', { keyId: decision.key?.keyId ?? decision.keyId, code: decision.code });
      }
    },
    fault(error) {
      metrics.addMetric('AuthorizerFault', MetricUnit.Count, 1);
      logger.error('authorizer fault: failing closed', { errorName: (error as Error)?.name ?? 'Error' });
    },
  },
  authorizerConfig(),
);

/** The Lambda authorizer API Gateway calls on every request of a protected API. */
export const handler = middy<AuthorizerEvent, AuthorizerResult>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler((event) => authorize(event));
