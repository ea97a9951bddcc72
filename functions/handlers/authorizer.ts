import type { AuthorizerEvent } from '#platform/http/authorizer-events.ts';
import { metrics } from '#platform/observability/metrics.ts';
import { authorizerWiring } from '#platform/wiring/authorizer.ts';

/**
 * The Lambda authorizer API Gateway calls on every request of a protected API. The hot path is
 * what a check needs: a plain handler (no middy stack) whose one structured line per check is
 * the Powertools Metrics EMF document (see check-observer.ts). Never a secret.
 */
const { authorize, flushUsage: flush } = authorizerWiring();

/** Writes this instance's pending usage counts now (the local server calls it on a timer and on stop). */
export const flushUsage = flush;

export async function handler(event: AuthorizerEvent) {
  metrics.captureColdStartMetric();
  try {
    return await authorize(event);
  } finally {
    metrics.publishStoredMetrics();
  }
}
