import { keyPath, rotateBody } from '#domain/shared/schemas.ts';
import { rotateIdempotently } from '#platform/aws/idempotent-rotation.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { keyService } from '#platform/wiring/management.ts';

const keys = keyService();

/**
 * POST /v1/keys/{keyId}/rotate — `{ gracePeriodSeconds }`, optional `Idempotency-Key` header
 * (Powertools idempotency, see platform/aws/idempotent-rotation.ts).
 */
export const handler = httpRoute(
  { path: keyPath, body: rotateBody },
  async ({ path, body, headers, ctx, context }) => {
    const idempotencyKey = headers['idempotency-key'];
    if (idempotencyKey !== undefined) return rotateIdempotently(path, body, idempotencyKey, ctx, context);
    const rotated = await keys.rotate(path.keyId, body.gracePeriodSeconds, ctx);
    return { status: 201, body: rotated, headers: { location: `/v1/keys/${rotated.key.keyId}` } };
  },
);
