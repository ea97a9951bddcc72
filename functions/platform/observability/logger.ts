import { Logger } from '@aws-lambda-powertools/logger';
import { settings } from '#config/settings.ts';

/** Structured JSON logs. Log calls carry key IDs, never a secret or a hash. */
export const logger = new Logger({ serviceName: settings().POWERTOOLS_SERVICE_NAME });
