import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/** Structured JSON logs and EMF metrics. Log calls carry key IDs, never a secret or a hash. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'latchkey' });
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Latchkey',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'latchkey',
});
