import { Metrics } from '@aws-lambda-powertools/metrics';

/** EMF metrics, in the `Latchkey` namespace by default. Apart from the logger, so the authorizer bundles only this. */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Latchkey',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'latchkey',
});
