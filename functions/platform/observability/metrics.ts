import { Metrics } from '@aws-lambda-powertools/metrics';
import { settings } from '#config/settings.ts';

const options = {
  namespace: settings().POWERTOOLS_METRICS_NAMESPACE,
  serviceName: settings().POWERTOOLS_SERVICE_NAME,
};

/** EMF metrics, in the `Latchkey` namespace by default. Apart from the logger, so the authorizer bundles only this. */
export const metrics = new Metrics(options);

/**
 * Metrics published one by one at once, without the per-check dimensions (e.g. `Refused` for one
 * alarm over every code). Made once: `metrics.singleMetric()` builds a new Metrics (and a new
 * Console) per call, which was the largest share of a refused check's CPU under load.
 */
export const singleMetrics = new Metrics({ ...options, singleMetric: true });
