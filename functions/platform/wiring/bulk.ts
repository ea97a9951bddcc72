import { now } from '#config/clock.ts';
import { settings, tableName } from '#config/settings.ts';
import { BulkService } from '#domain/bulk/bulk-service.ts';
import { dynamoDocument } from '#platform/aws/clients.ts';
import { eventPublisher } from '#platform/aws/event-publisher.ts';
import { pepperProvider } from '#platform/aws/pepper-provider.ts';
import { logger } from '#platform/observability/logger.ts';
import { DynamoBulkStore } from '#store/dynamo-bulk.ts';
import { keyStore, usagePlanKeys } from './management.ts';

/**
 * The kill switch: runs kept in the idempotency table, keys read through the index that serves
 * the filter, LATCHKEY_BULK_BUDGET_SECONDS (default 20) of work per call, confirm tokens signed
 * under the pepper, and in usage plan mode `perKey` each changed key's API Gateway key kept in line.
 */
export function bulkService(): BulkService {
  const keys = keyStore();
  const store = new DynamoBulkStore(dynamoDocument(), keys, {
    keys: tableName('keys'),
    runs: tableName('idempotency'),
  });
  return new BulkService({
    keys: store,
    runs: store,
    getKey: (keyId) => keys.getKey(keyId),
    peppers: pepperProvider(),
    events: eventPublisher(),
    now,
    budgetMs: settings().LATCHKEY_BULK_BUDGET_SECONDS * 1000,
    onEventError: (error) => logger.error('event not published', { errorName: (error as Error)?.name }),
    usageKeys: usagePlanKeys(),
  });
}
