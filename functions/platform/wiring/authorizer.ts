import { authorizerConfig } from '#config/authorizer.ts';
import { createAuthorizer } from '#platform/http/authorizer-events.ts';
import { canaryAlarm, canaryMetricOnCheckLine } from '#platform/observability/canary-metric.ts';
import { checkObserver, tripOnCheckLine } from '#platform/observability/check-observer.ts';
import { usageSink, verifyDeps } from './check.ts';
import { usageIdentifier } from './usage-identifier.ts';

/**
 * The authorizer, wired. Where usage goes (and a tripped canary's trips): in AWS (`logs`) nowhere
 * from here: the per-check EMF line carries `usage` and `keyId` and a log subscription counts them,
 * so the authorizer only reads. Locally (`direct`): this instance's counter, flushed off the check path.
 */
export function authorizerWiring() {
  // A build-time constant in AWS (infra/bundling.ts `define`), so the bundle leaves the counter out.
  const usage = process.env.LATCHKEY_USAGE_SOURCE === 'logs' ? undefined : usageSink();
  const authorize = createAuthorizer(
    {
      ...verifyDeps(),
      ...checkObserver(),
      record: usage ? (check) => usage.record(check) : undefined,
      usageIdentifier: usageIdentifier(),
      canary: canaryAlarm(undefined, canaryMetricOnCheckLine),
      trip: usage ? (check, sighting) => usage.trip(check, sighting) : tripOnCheckLine,
    },
    authorizerConfig(),
  );
  return { authorize, flushUsage: async () => usage?.flush() };
}
