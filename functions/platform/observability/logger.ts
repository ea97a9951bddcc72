import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs. Log calls carry key IDs, never a secret or a hash. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'latchkey' });
