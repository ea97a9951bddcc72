import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { z } from 'zod';
import { toApiKey } from '#domain/key.ts';
import { permission } from '#domain/schemas.ts';
import { verify } from '#domain/verify.ts';
import { httpRoute } from '#platform/http.ts';
import { metrics } from '#platform/metrics.ts';
import { usageSink, verifyDeps } from '#platform/verify-deps.ts';

const deps = verifyDeps();
/**
 * Where usage goes, as in the authorizer. `logs` (what the CDK construct sets): each check's EMF
 * line carries `keyId` and `usage`, and the log subscription to usage-ingest counts it, so counts
 * outlive the instance. `direct` (local mode): this instance's counter, flushed off the request.
 */
const usage = process.env.LATCHKEY_USAGE_SOURCE === 'logs' ? undefined : usageSink();

const verifyBody = z.strictObject({
  key: z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters'),
  permission: permission.optional(),
  workspaceId: z.string().min(1).max(128).optional(),
  sourceIp: z.string().min(1).max(64).optional(),
});

/**
 * POST /v1/verify — the authorizer's decision for callers that are not API Gateway. The key is
 * shown only once the secret is proven; never for NOT_FOUND or INVALID_SECRET.
 */
export const handler = httpRoute({ body: verifyBody }, async ({ body }) => {
  const decision = await verify(
    {
      secret: body.key,
      sourceIp: body.sourceIp,
      workspaceId: body.workspaceId,
      required: body.permission ? [body.permission] : [],
    },
    deps,
  );
  if (decision.key) {
    if (usage) usage.record(decision.key.keyId, decision.valid);
    else {
      metrics.addDimension('code', decision.code);
      metrics.addMetric('Verifications', MetricUnit.Count, 1);
      metrics.addMetadata('keyId', decision.key.keyId);
      metrics.addMetadata('usage', decision.valid ? 'allowed' : 'refused');
      metrics.publishStoredMetrics();
    }
  }
  return {
    status: 200,
    body: {
      valid: decision.valid,
      code: decision.code,
      ...(decision.key ? { key: toApiKey(decision.key, deps.now()), permissions: decision.permissions } : {}),
    },
  };
});
