import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { now } from '#config/clock.ts';
import { settings, tableName } from '#config/settings.ts';
import { type LeakAction, LeakService } from '#domain/leak/leak-service.ts';
import {
  PUBLIC_REPORT_ACTOR,
  PublicReports,
  type ReportBatch,
  type ReportQueue,
} from '#domain/leak/public-report.ts';
import { checkRecord, routeOf, sightingOf } from '#domain/usage/check-record.ts';
import { dynamoDocument } from '#platform/aws/clients.ts';
import { eventPublisher } from '#platform/aws/event-publisher.ts';
import { pepperProvider } from '#platform/aws/pepper-provider.ts';
import { InProcessReportQueue, LambdaReportQueue, lambdaClient } from '#platform/aws/report-queue.ts';
import { GITHUB_KEYS_URL, SigningKeySource } from '#platform/http/github-keys.ts';
import { canaryAlarm } from '#platform/observability/canary-metric.ts';
import { logger } from '#platform/observability/logger.ts';
import { singleMetrics } from '#platform/observability/metrics.ts';
import { readKey } from '#store/read-key.ts';
import { canaryTripCounter } from './check.ts';
import { keyService } from './management.ts';

let reports: PublicReports | undefined;
const REPORT_ROUTE = { method: 'POST', path: '/v1/credentials/revoke' } as const;

/** The check behind POST /v1/credentials/revoke: the leak service's action, a canary's trip. */
export function publicReports(): PublicReports {
  if (reports) return reports;
  const doc = dynamoDocument();
  const keysTable = tableName('keys');
  const alarm = canaryAlarm();
  const trip = canaryTripCounter();
  reports = new PublicReports({
    getKey: (keyId) => readKey(doc, keysTable, keyId),
    leaks: leakService(),
    canary: (key, sighting) => {
      alarm(key, { ...sighting, route: routeOf(REPORT_ROUTE) });
      const request = { ...REPORT_ROUTE, sourceIp: sighting.sourceIp ?? null };
      // The report's check runs after its answer: no request waited on it, so it has no latency.
      trip(checkRecord(key.keyId, now(), 'INVALID_SECRET', request, 0), sightingOf(request));
    },
    action: leakAction(),
  });
  return reports;
}

/** Runs one report's check, and says what it found (LeaksFound and a line per key; never the strings). */
export async function checkReport(batch: ReportBatch, requestId: string): Promise<void> {
  const result = await publicReports().check(batch, { actor: PUBLIC_REPORT_ACTOR, requestId });
  const found = [...result.revoked, ...result.disabled];
  for (const keyId of found) logger.warn('leaked key reported', { keyId, reporter: PUBLIC_REPORT_ACTOR });
  if (found.length) singleMetrics.addMetric('LeaksFound', MetricUnit.Count, found.length);
}

let queue: ReportQueue | undefined;
let local: InProcessReportQueue | undefined;

/** Where POST /v1/credentials/revoke hands its candidates: LATCHKEY_REPORT_WORKER in AWS, this process locally. */
export function reportQueue(): ReportQueue {
  if (queue) return queue;
  const worker = settings().LATCHKEY_REPORT_WORKER;
  if (worker) queue = new LambdaReportQueue(lambdaClient(), worker);
  else {
    local = new InProcessReportQueue(
      (batch) => checkReport(batch, `report-${Date.now()}`),
      (error) => logger.error('credential report not checked', { errorName: (error as Error)?.name }),
    );
    queue = local;
  }
  return queue;
}

/** Locally: waits for every report handed over so far to be checked. */
export const reportsSettled = async () => local?.settled();

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
