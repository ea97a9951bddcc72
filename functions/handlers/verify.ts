import { toApiKey } from '#domain/keys/key.ts';
import { verifyBody } from '#domain/shared/schemas.ts';
import { verify } from '#domain/verify/verify.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { verificationRecorder, verifyDeps } from '#platform/wiring/check.ts';

const deps = verifyDeps();
const record = verificationRecorder();

/**
 * POST /v1/verify — the authorizer's decision for callers that are not API Gateway. The key is
 * shown only once the secret is proven; never for NOT_FOUND or INVALID_SECRET.
 */
export const handler = httpRoute({ body: verifyBody }, async ({ body, headers }) => {
  const started = performance.now();
  const decision = await verify(
    {
      secret: body.key,
      sourceIp: body.sourceIp,
      workspaceId: body.workspaceId,
      required: body.permission ? [body.permission] : [],
    },
    deps,
  );
  record(
    decision,
    { sourceIp: body.sourceIp, userAgent: headers['user-agent'] },
    performance.now() - started,
  );
  return {
    status: 200,
    body: {
      valid: decision.valid,
      code: decision.code,
      ...(decision.key ? { key: toApiKey(decision.key, deps.now()), permissions: decision.permissions } : {}),
    },
  };
});
