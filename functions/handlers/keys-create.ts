import { createKeyBody } from '#domain/schemas.ts';
import { keyService } from '#platform/deps.ts';
import { httpRoute } from '#platform/http.ts';

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
