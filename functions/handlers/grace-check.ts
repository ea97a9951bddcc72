import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { GRACE_CHECK_ACTOR } from '#domain/rotation/grace-watch.ts';
import { logger } from '#platform/observability/logger.ts';
import { graceWatch } from '#platform/wiring/grace.ts';

const grace = graceWatch();

/**
 * The "still in use" checks that are due (EventBridge, every 5 minutes; locally the server's
 * timer). A run with events it could not publish fails, so the next run retries (they were undone).
 */
export const handler = middy<ScheduledEvent, unknown, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event, context) => {
    const result = await grace.run({ actor: GRACE_CHECK_ACTOR, requestId: context.awsRequestId ?? event.id });
    if (result.stillInUse.length || result.failed) logger.info('grace checks', { ...result });
    if (result.failed)
      throw new Error(`grace check: ${result.failed} events not published; retried next run`);
    return result;
  });
