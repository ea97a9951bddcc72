import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { logger } from '#platform/observability/logger.ts';
import { metrics } from '#platform/observability/metrics.ts';
import { reportingUndoFailures, reportSweep } from '#platform/observability/sweep-report.ts';
import { scheduledSweep } from '#platform/wiring/management.ts';

const sweep = scheduledSweep();

/**
 * The scheduled sweep (EventBridge). Its counts go to logs and metrics; a run with events it
 * could not publish fails, so the function's on-failure destination and alarm see it (the
 * changes were undone, so the next run retries them).
 */
export const handler = middy<ScheduledEvent, unknown, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event, context) => {
    const result = await reportingUndoFailures(() =>
      sweep.run({}, { actor: 'latchkey-rotation-schedule', requestId: context.awsRequestId ?? event.id }),
    );
    return reportSweep(result);
  });
