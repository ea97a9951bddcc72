import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { logger } from '#platform/observability/logger.ts';
import { metrics } from '#platform/observability/metrics.ts';
import { reportingUndoFailures } from '#platform/observability/sweep-failures.ts';
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
    const counts = {
      flagged: result.flagged.length,
      reminded: result.reminded.length,
      expiringSoon: result.expiringSoon.length,
      unused: result.unused.length,
      reconciled: result.reconciled.length,
      unusual: result.unusual.length,
      failed: result.failed,
      pages: result.reads.pages,
      itemsRead: result.reads.items,
    };
    for (const [name, value] of Object.entries(counts))
      metrics.addMetric(`Sweep${name[0]?.toUpperCase()}${name.slice(1)}`, MetricUnit.Count, value);
    logger.info('rotation sweep done', { ...counts, flaggedKeys: result.flagged.map((e) => e.keyId) });
    if (result.failed > 0) throw new Error(`rotation sweep: ${result.failed} events could not be published`);
    return counts;
  });
