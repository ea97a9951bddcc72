import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { now } from '#config/clock.ts';
import { settings, tableName } from '#config/settings.ts';
import type { TripSighting } from '#domain/shared/ports.ts';
import {
  type CheckedRequest,
  type CheckRecord,
  checkRecord,
  routeOf,
  sightingOf,
} from '#domain/usage/check-record.ts';
import type { Decision, DecisionCode, VerifyDeps } from '#domain/verify/verify.ts';
import { dynamoDocument } from '#platform/aws/clients.ts';
import { pepperProvider } from '#platform/aws/pepper-provider.ts';
import { cachedKeyReader, keyCacheSettings } from '#platform/cache/key-cache.ts';
import { roleCache } from '#platform/cache/role-cache.ts';
import { canaryAlarm } from '#platform/observability/canary-metric.ts';
import { requestOnCheckLine, tripOnCheckLine } from '#platform/observability/check-observer.ts';
import { logger } from '#platform/observability/logger.ts';
import { metrics } from '#platform/observability/metrics.ts';
import { type UsageSink, usageRecorder } from '#platform/observability/usage-counter.ts';
import { DynamoRequestLog } from '#store/dynamo-requests.ts';
import { DynamoUsageStore } from '#store/dynamo-usage.ts';
import { readKey } from '#store/read-key.ts';
import { readRoles } from '#store/read-roles.ts';

/**
 * What a check needs: the one read by key ID (through the hot-key cache when
 * LATCHKEY_KEY_CACHE_SECONDS is set: see key-cache.ts), the pepper, the clock, and custom roles
 * through a per-instance cache (LATCHKEY_ROLE_CACHE_SECONDS, default 30: the bound on how long a
 * role change takes to reach a check).
 */
export function verifyDeps(): VerifyDeps {
  const doc = dynamoDocument();
  const keysTable = tableName('keys');
  const rolesTable = tableName('roles');
  const cache = keyCacheSettings(settings());
  if (cache.revocationBoundSeconds > 0) {
    logger.info(
      `revocation takes effect within ${cache.revocationBoundSeconds} s: key cache ${cache.seconds} s + API Gateway authorizer cache ${cache.authorizerCacheSeconds} s`,
      {
        keyCacheSeconds: cache.seconds,
        keyCacheEntries: cache.maxEntries,
        authorizerCacheSeconds: cache.authorizerCacheSeconds,
        revocationBoundSeconds: cache.revocationBoundSeconds,
      },
    );
  }
  return {
    getKey: cachedKeyReader((keyId) => readKey(doc, keysTable, keyId), {
      ttlMs: cache.seconds * 1000,
      maxEntries: cache.maxEntries,
    }),
    peppers: pepperProvider(),
    now,
    customRoles: roleCache(
      (names) => readRoles(doc, rolesTable, names),
      settings().LATCHKEY_ROLE_CACHE_SECONDS * 1000,
    ),
  };
}

let sink: UsageSink | undefined;

/** This instance's usage counter (one per process), flushed off the check's path. */
export function usageSink(): UsageSink {
  sink ??= usageRecorder(
    {
      usage: new DynamoUsageStore(dynamoDocument(), { usage: tableName('usage'), keys: tableName('keys') }),
      requests: new DynamoRequestLog(dynamoDocument(), tableName('requests')),
    },
    {
      flushMs: settings().LATCHKEY_USAGE_FLUSH_SECONDS * 1000,
      onError: (error) =>
        console.error(
          JSON.stringify({
            level: 'ERROR',
            message: 'usage flush failed',
            errorName: (error as Error)?.name,
          }),
        ),
    },
  );
  return sink;
}

/** What POST /v1/verify knows of the request it checked: the API route itself, and what the caller says. */
const verifyRequest = (seen: { sourceIp?: string; userAgent?: string }): CheckedRequest => ({
  method: 'POST',
  path: '/v1/verify',
  ...seen,
});

/**
 * How POST /v1/verify counts a verification of a key whose secret was proven, as the authorizer
 * does. `logs` (what the CDK construct sets): one EMF line with the decision's `code` dimension,
 * `keyId`, `usage` and the request, which the log subscription to usage-ingest counts, so counts
 * outlive the instance. `direct` (local mode): this instance's counter, flushed off the request.
 */
export function verificationCounter(): (check: CheckRecord, code: DecisionCode) => void {
  // A build-time constant in AWS (infra/bundling.ts `define`), so the bundle leaves the counter out.
  if (process.env.LATCHKEY_USAGE_SOURCE !== 'logs') {
    const usage = usageSink();
    return (check) => usage.record(check);
  }
  return (check, code) => {
    metrics.addDimension('code', code);
    metrics.addMetric('Verifications', MetricUnit.Count, 1);
    metrics.addMetadata('keyId', check.keyId);
    metrics.addMetadata('usage', code === 'VALID' ? 'allowed' : 'refused');
    requestOnCheckLine(check);
    metrics.publishStoredMetrics();
  };
}

/** How POST /v1/verify records a tripped canary, the way verificationCounter counts a check. */
export function canaryTripCounter(): (check: CheckRecord, sighting: TripSighting) => void {
  // A build-time constant in AWS (infra/bundling.ts `define`), so the bundle leaves the counter out.
  if (process.env.LATCHKEY_USAGE_SOURCE !== 'logs') {
    const usage = usageSink();
    return (check, sighting) => usage.trip(check, sighting);
  }
  return (check, sighting) => {
    metrics.addDimension('code', check.outcome);
    metrics.addMetric('Verifications', MetricUnit.Count, 1);
    tripOnCheckLine(check, sighting);
    requestOnCheckLine(check);
    metrics.publishStoredMetrics();
  };
}

/**
 * What POST /v1/verify does with a decision besides answering it: counts the check (with its
 * time, and the address and agent the caller gave), and for a named canary raises its alarm and
 * records the trip.
 */
export function verificationRecorder() {
  const count = verificationCounter();
  const canary = canaryAlarm();
  const trip = canaryTripCounter();
  return (decision: Decision, seen: { sourceIp?: string; userAgent?: string }, durationMs: number) => {
    const request = verifyRequest(seen);
    if (decision.key)
      count(checkRecord(decision.key.keyId, now(), decision.code, request, durationMs), decision.code);
    if (decision.valid || !decision.canary) return;
    canary(decision.canary, { sourceIp: seen.sourceIp, userAgent: seen.userAgent, route: routeOf(request) });
    trip(checkRecord(decision.canary.keyId, now(), decision.code, request, durationMs), sightingOf(request));
  };
}
