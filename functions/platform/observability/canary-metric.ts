import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { now } from '#config/clock.ts';
import type { KeyRecord } from '#domain/keys/key.ts';
import type { EventPublisher } from '#domain/shared/ports.ts';
import { type CanarySighting, canaryEvent } from '#domain/verify/canary.ts';
import { eventPublisher } from '#platform/aws/event-publisher.ts';
import { logger } from './logger.ts';
import { metrics } from './metrics.ts';

export type CanaryAlarm = (key: KeyRecord, sighting: Omit<CanarySighting, 'at'>) => void;

/**
 * The `CanaryTriggered` metric as its own EMF line (dimensions `service` and `code:
 * INVALID_SECRET`, as the authorizer's per-check line has them).
 */
export const canaryMetricLine = () =>
  metrics
    .singleMetric()
    .addDimension('code', 'INVALID_SECRET')
    .addMetric('CanaryTriggered', MetricUnit.Count, 1);

/** The authorizer's way: on the check's own EMF line, whose `code` dimension is INVALID_SECRET. */
export const canaryMetricOnCheckLine = () => {
  metrics.addMetric('CanaryTriggered', MetricUnit.Count, 1);
};

/**
 * What a named canary raises once the caller has been answered INVALID_SECRET: one WARN log line
 * with the key ID, and the "API Key Canary Triggered" event, after the answer (nothing of it is
 * awaited by the check). `count` runs at once: the authorizer adds the metric to the check's own
 * EMF line (no extra write, and it is out before Lambda can freeze the instance); elsewhere it is
 * its own line. The publisher (and its client) is made on the first canary.
 */
export function canaryAlarm(
  publisher: () => EventPublisher = eventPublisher,
  count: () => void = canaryMetricLine,
): CanaryAlarm {
  let bus: EventPublisher | undefined;
  return (key, sighting) => {
    const full = { ...sighting, at: now().toISOString() };
    count();
    setImmediate(() => {
      logger.warn('canary key presented', { keyId: key.keyId, route: full.route });
      bus ??= publisher();
      bus.publish([canaryEvent(key, full)]).catch((error: unknown) => {
        logger.error('canary event not published', { keyId: key.keyId, errorName: (error as Error)?.name });
      });
    });
  };
}
