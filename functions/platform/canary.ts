import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { type CanarySighting, canaryEvent } from '#domain/canary.ts';
import type { KeyRecord } from '#domain/key.ts';
import type { EventPublisher } from '#domain/ports.ts';
import { eventPublisher } from './events.ts';
import { logger } from './logger.ts';
import { metrics } from './metrics.ts';

export type CanaryAlarm = (key: KeyRecord, sighting: Omit<CanarySighting, 'at'>) => void;

/**
 * What a presented canary raises, off the check's path (the caller is answered NOT_FOUND without
 * waiting for any of it): the `CanaryTriggered` metric (alarmed on in AWS), one WARN log line with
 * the key ID, and the "API Key Canary Triggered" event. The publisher (and its client) is made on
 * the first canary.
 */
export function canaryAlarm(
  publisher: () => EventPublisher = eventPublisher,
  count: () => void = () => metrics.singleMetric().addMetric('CanaryTriggered', MetricUnit.Count, 1),
): CanaryAlarm {
  let bus: EventPublisher | undefined;
  return (key, sighting) => {
    const full = { ...sighting, at: new Date().toISOString() };
    // After the refusal has been answered: nothing of this is on the check's path.
    setImmediate(() => {
      count();
      logger.warn('canary key presented', { keyId: key.keyId, route: full.route });
      bus ??= publisher();
      bus.publish([canaryEvent(key, full)]).catch((error: unknown) => {
        logger.error('canary event not published', { keyId: key.keyId, errorName: (error as Error)?.name });
      });
    });
  };
}
