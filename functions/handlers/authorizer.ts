import { authorizerConfig } from '#config/authorizer.ts';
import { type AuthorizerEvent, createAuthorizer } from '#platform/http/authorizer-events.ts';
import { canaryAlarm, canaryMetricOnCheckLine } from '#platform/observability/canary-metric.ts';
import { checkObserver, tripOnCheckLine } from '#platform/observability/check-observer.ts';
import { metrics } from '#platform/observability/metrics.ts';
import { usageSink, verifyDeps } from '#platform/wiring/check.ts';
import { usageIdentifier } from '#platform/wiring/usage-identifier.ts';

/**
 * The Lambda authorizer API Gateway calls on every request of a protected API. The hot path is
 * what a check needs: a plain handler (no middy stack) whose one structured line per check is
 * the Powertools Metrics EMF document (see check-observer.ts). Never a secret.
 *
 * Where usage goes (and a tripped canary's trips): `logs` (what the CDK construct sets): nowhere
 * from here; the EMF line carries `usage` and `keyId` and a log subscription counts them, so the
 * authorizer only reads. `direct` (local mode): this instance's counter, flushed off the check path.
 */
// A build-time constant in AWS (infra/bundling.ts `define`), so the bundle leaves the counter out.
const usage = process.env.LATCHKEY_USAGE_SOURCE === 'logs' ? undefined : usageSink();

const authorize = createAuthorizer(
  {
    ...verifyDeps(),
    ...checkObserver(),
    record: usage ? (id, allowed) => usage.record(id, allowed) : undefined,
    usageIdentifier: usageIdentifier(),
    canary: canaryAlarm(undefined, canaryMetricOnCheckLine),
    trip: usage ? (id, sighting) => usage.trip(id, sighting) : tripOnCheckLine,
  },
  authorizerConfig(),
);

/** Writes this instance's pending usage counts now (the local server calls it on a timer and on stop). */
export const flushUsage = async () => usage?.flush();

export async function handler(event: AuthorizerEvent) {
  metrics.captureColdStartMetric();
  try {
    return await authorize(event);
  } finally {
    metrics.publishStoredMetrics();
  }
}
