import { createKeyBody } from '#domain/shared/schemas.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { keyService } from '#platform/wiring/management.ts';

const keys = keyService();

/** POST /v1/keys — the only answer, with rotate, that ever carries a secret. */
export const handler = httpRoute({ body: createKeyBody }, async ({ body, ctx }) => {
  const created = await keys.create(body, ctx);
  return {
    status: 201,
    body: created,
    headers: { location: `/v1/keys/${created.key.keyId}`, etag: `"${created.key.version}"` },
  };
});
