import { toApiKey } from '#domain/keys/key.ts';
import { verifyBody } from '#domain/shared/schemas.ts';
import { verify } from '#domain/verify/verify.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { canaryAlarm } from '#platform/observability/canary-metric.ts';
import { canaryTripCounter, verificationCounter, verifyDeps } from '#platform/wiring/check.ts';

const deps = verifyDeps();
const count = verificationCounter();
const canary = canaryAlarm();
const trip = canaryTripCounter();

/**
 * POST /v1/verify — the authorizer's decision for callers that are not API Gateway. The key is
 * shown only once the secret is proven; never for NOT_FOUND or INVALID_SECRET.
 */
export const handler = httpRoute({ body: verifyBody }, async ({ body, headers }) => {
  const decision = await verify(
    {
      secret: body.key,
      sourceIp: body.sourceIp,
      workspaceId: body.workspaceId,
      required: body.permission ? [body.permission] : [],
    },
    deps,
  );
  if (decision.key) count(decision.key.keyId, decision.code, decision.valid);
  if (!decision.valid && decision.canary) {
    canary(decision.canary, {
      sourceIp: body.sourceIp,
      userAgent: headers['user-agent'],
      route: 'POST /v1/verify',
    });
    trip(decision.canary.keyId, decision.code, {
      route: 'POST /v1/verify',
      ...(body.sourceIp ? { sourceIp: body.sourceIp } : {}),
    });
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
