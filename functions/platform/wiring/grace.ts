import { now } from '#config/clock.ts';
import { GraceWatch } from '#domain/rotation/grace-watch.ts';
import { eventPublisher } from '#platform/aws/event-publisher.ts';
import { logger } from '#platform/observability/logger.ts';
import { keyStore, usageStore } from './management.ts';

/** Rotation that watches the old key: grace usage, the "still in use" check, extend-grace. */
export function graceWatch(): GraceWatch {
  const store = keyStore();
  return new GraceWatch({
    store,
    index: store,
    usage: usageStore(),
    events: eventPublisher(),
    now,
    onError: (error) =>
      logger.error('grace check: event not published; undone for the next run', {
        errorName: (error as Error)?.name,
      }),
  });
}
