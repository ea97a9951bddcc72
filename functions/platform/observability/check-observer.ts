import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { TripSighting } from '#domain/shared/ports.ts';
import { boundedSighting } from '#domain/usage/usage-window.ts';
import type { AuthorizerDeps } from '#platform/http/authorizer-events.ts';
import { logger } from './logger.ts';
import { metrics, singleMetrics } from './metrics.ts';

/**
 * What the authorizer says about each check: one EMF line per check — the `code` dimension,
 * `Checks`, `CheckLatency`, `keyId` as metadata, `usage` once the secret was proven (which
 * usage-ingest counts) — and for a fault `AuthorizerFault` plus one ERROR line from the logger
 * (written locally too, where metrics are off): the error's name and the key ID, never the secret.
 */
export const checkObserver = (): Pick<AuthorizerDeps, 'observe' | 'fault'> => ({
  observe(decision, durationMs) {
    metrics.addDimension('code', decision.code);
    metrics.addMetric('Checks', MetricUnit.Count, 1);
    metrics.addMetric('CheckLatency', MetricUnit.Milliseconds, durationMs);
    const keyId = decision.key?.keyId ?? (decision.valid ? undefined : decision.keyId);
    if (keyId) metrics.addMetadata('keyId', keyId);
    // Counted against the key only once its secret was proven (see usage-ingest).
    if (decision.key) metrics.addMetadata('usage', decision.valid ? 'allowed' : 'refused');
    if (!decision.valid) {
      // Without the code dimension too, so one alarm watches every kind of refusal.
      singleMetrics.addMetric('Refused', MetricUnit.Count, 1);
    }
  },
  fault(error, keyId) {
    metrics.addMetric('AuthorizerFault', MetricUnit.Count, 1);
    logger.error('authorizer fault: failing closed', {
      errorName: (error as Error)?.name ?? 'Error',
      ...(keyId ? { keyId } : {}),
    });
  },
});

/**
 * A tripped canary on the check's own EMF line (`usage: "tripped"`, `sourceIp`, `route`), which
 * usage-ingest adds to the canary's trips: no write on the check's path, as for usage.
 */
export function tripOnCheckLine(keyId: string, sighting: TripSighting): void {
  const { sourceIp, route } = boundedSighting(sighting);
  metrics.addMetadata('keyId', keyId);
  metrics.addMetadata('usage', 'tripped');
  metrics.addMetadata('route', route);
  if (sourceIp) metrics.addMetadata('sourceIp', sourceIp);
}
