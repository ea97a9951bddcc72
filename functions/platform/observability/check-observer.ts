import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { TripSighting } from '#domain/shared/ports.ts';
import {
  boundedRequest,
  boundedSighting,
  type CheckRecord,
  roundLatency,
} from '#domain/usage/check-record.ts';
import type { AuthorizerDeps } from '#platform/http/authorizer-events.ts';
import { logger } from './logger.ts';
import { metrics, singleMetrics } from './metrics.ts';

/**
 * The request half of a check on its EMF line, written as it was bounded (check-record.ts):
 * `method`, `path` (the route's resource path), `sourceIp`, `userAgent` (cut to 128 bytes),
 * `region`, and `latencyMs` (to two decimals); what usage-ingest counts per key and day, keeps as
 * the key's recent requests, and sends to the verification log.
 */
export function requestOnCheckLine(
  check: Pick<CheckRecord, 'method' | 'path' | 'sourceIp' | 'userAgent' | 'region' | 'latencyMs'>,
): void {
  const { method, path, sourceIp, userAgent, region, latencyMs } = check;
  metrics.addMetadata('method', method);
  metrics.addMetadata('path', path);
  if (sourceIp) metrics.addMetadata('sourceIp', sourceIp);
  if (userAgent) metrics.addMetadata('userAgent', userAgent);
  if (region) metrics.addMetadata('region', region);
  metrics.addMetadata('latencyMs', String(latencyMs));
}

/**
 * What the authorizer says about each check: one EMF line per check — the `code` dimension,
 * `Checks`, `CheckLatency`, the request (requestOnCheckLine), `keyId` as metadata, `usage` once
 * the secret was proven (which usage-ingest counts) — and for a fault `AuthorizerFault` plus one
 * ERROR line from the logger (written locally too, where metrics are off): the error's name and
 * the key ID, never the secret.
 */
export const checkObserver = (): Pick<AuthorizerDeps, 'observe' | 'fault'> => ({
  observe(decision, durationMs, request) {
    metrics.addDimension('code', decision.code);
    metrics.addMetric('Checks', MetricUnit.Count, 1);
    metrics.addMetric('CheckLatency', MetricUnit.Milliseconds, durationMs);
    requestOnCheckLine({ ...boundedRequest(request), latencyMs: roundLatency(durationMs) });
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
export function tripOnCheckLine(check: Pick<CheckRecord, 'keyId'>, sighting: TripSighting): void {
  const { sourceIp, route } = boundedSighting(sighting);
  metrics.addMetadata('keyId', check.keyId);
  metrics.addMetadata('usage', 'tripped');
  metrics.addMetadata('route', route);
  if (sourceIp) metrics.addMetadata('sourceIp', sourceIp);
}
