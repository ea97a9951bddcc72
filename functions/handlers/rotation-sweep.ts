import { sweepBody } from '#domain/shared/schemas.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { metrics } from '#platform/observability/metrics.ts';
import { reportingUndoFailures } from '#platform/observability/sweep-report.ts';
import { rotationSweep } from '#platform/wiring/management.ts';

const sweep = rotationSweep();

/**
 * POST /v1/rotation/sweep — run the sweep now, or preview it (`dryRun`) as of another time
 * (`asOf`). A run that writes as of a later time runs its expiry pass as of now (see RotationSweep).
 */
export const handler = httpRoute({ body: sweepBody }, async ({ body, ctx }) => {
  try {
    const result = await reportingUndoFailures(() =>
      sweep.run({ asOf: body.asOf ? new Date(body.asOf) : undefined, dryRun: body.dryRun }, ctx),
    );
    return { status: 200, body: result };
  } finally {
    // Only a failed undo adds a metric; flushing an empty buffer would only log Powertools' warning.
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  }
});
