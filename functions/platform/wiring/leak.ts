import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { now } from '#config/clock.ts';
import { settings, tableName } from '#config/settings.ts';
import { type LeakAction, LeakService } from '#domain/leak/leak-service.ts';
import { dynamoDocument } from '#platform/aws/clients.ts';
import { eventPublisher } from '#platform/aws/event-publisher.ts';
import { pepperProvider } from '#platform/aws/pepper-provider.ts';
import { GITHUB_KEYS_URL, SigningKeySource } from '#platform/http/github-keys.ts';
import { logger } from '#platform/observability/logger.ts';
import { singleMetrics } from '#platform/observability/metrics.ts';
import { readKey } from '#store/read-key.ts';
import { keyService } from './management.ts';

/** LATCHKEY_LEAK_ACTION: what a leaked key gets, `revoke` (default) or `disable`. */
export const leakAction = (): LeakAction => settings().LATCHKEY_LEAK_ACTION;

/** The leak service: the key service's revoke and disable, under the configured action. */
export function leakService(): LeakService {
  const doc = dynamoDocument();
  const keysTable = tableName('keys');
  return new LeakService({
    getKey: (keyId) => readKey(doc, keysTable, keyId),
    peppers: pepperProvider(),
    keys: keyService(),
    events: eventPublisher(),
    now,
    action: leakAction(),
    onEventError: (error) => logger.error('leak event not published', { errorName: (error as Error)?.name }),
  });
}

/**
 * GitHub's signing keys, from LATCHKEY_LEAK_KEYS_URL (default GitHub's own), kept
 * LATCHKEY_LEAK_KEYS_MAX_AGE_SECONDS (default 3600) and fetched again for an unknown key
 * identifier at most every LATCHKEY_LEAK_KEYS_MIN_REFETCH_SECONDS (default 10).
 */
export function signingKeySource(): SigningKeySource {
  const config = settings();
  const url = config.LATCHKEY_LEAK_KEYS_URL ?? GITHUB_KEYS_URL;
  const maxAge = config.LATCHKEY_LEAK_KEYS_MAX_AGE_SECONDS;
  const minRefetch = Math.min(config.LATCHKEY_LEAK_KEYS_MIN_REFETCH_SECONDS, maxAge);
  return new SigningKeySource({
    url,
    maxAgeMs: maxAge * 1000,
    minRefetchMs: minRefetch * 1000,
    timeoutMs: config.LATCHKEY_LEAK_KEYS_TIMEOUT_MS,
    // Logged, and counted for the LeakReportFailed alarm: reports cannot be checked meanwhile.
    onError: (error) => {
      logger.error('leak report: signing keys not fetched', {
        url,
        errorName: (error as Error)?.name,
        errorMessage: (error as Error)?.message,
      });
      singleMetrics.addMetric('LeakKeysFetchFailed', MetricUnit.Count, 1);
    },
  });
}
