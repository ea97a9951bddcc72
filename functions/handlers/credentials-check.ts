import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { ReportBatch } from '#domain/leak/public-report.ts';
import { logger } from '#platform/observability/logger.ts';
import { metrics } from '#platform/observability/metrics.ts';
import { checkReport } from '#platform/wiring/leak.ts';

/**
 * The check behind POST /v1/credentials/revoke, in AWS: invoked asynchronously with a report's
 * candidates (key IDs and hashes, never the strings). A failure is retried by Lambda, then kept
 * in the failure queue; acting twice on a key changes nothing the second time.
 */
export const handler = middy<ReportBatch, void, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (batch, context) => {
    await checkReport(batch, context.awsRequestId);
  });
