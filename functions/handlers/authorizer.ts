import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { type AuthorizerEvent, createAuthorizer } from '#platform/authorizer.ts';
import { authorizerConfig } from '#platform/authorizer-config.ts';
import { metrics } from '#platform/metrics.ts';
import { logger } from '#platform/observability.ts';
import { usageSink, verifyDeps } from '#platform/verify-deps.ts';

/**
 * The Lambda authorizer API Gateway calls on every request of a protected API.
 *
 * The hot path is kept to what a check needs: it is a plain handler (no middy stack), and its
 * one structured line per check is the Powertools Metrics EMF document itself: the `code`
 * dimension, the `Checks` count, and `keyId` as metadata, which CloudWatch Logs Insights
 * queries like any JSON log. Faults add `AuthorizerFault` and one ERROR line from the logger
 * (the error's name and the key ID). Never a secret.
 */
/**
 * Where usage goes. `logs` (what the CDK construct sets): nowhere from here; each check's EMF
 * line carries `usage` and `keyId`, and a log subscription counts them, so the authorizer only
 * reads. `direct` (local mode): this instance's counter, flushed off the check path.
 */
const usage = process.env.LATCHKEY_USAGE_SOURCE === 'logs' ? undefined : usageSink();

const authorize = createAuthorizer(
  {
    ...verifyDeps(),
    record: usage ? (keyId, allowed) => usage.record(keyId, allowed) : undefined,
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
        const refused = metrics.singleMetric();
        refused.addMetric('Refused', MetricUnit.Count, 1);
      }
    },
    fault(error, keyId) {
      metrics.addMetric('AuthorizerFault', MetricUnit.Count, 1);
      // The one fault line, through the logger so it is written locally too (where metrics are
      // off) and follows the log level: the error's name and the key ID, never the secret.
      logger.error('authorizer fault: failing closed', {
        errorName: (error as Error)?.name ?? 'Error',
        ...(keyId ? { keyId } : {}),
      });
    },
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
