import { keyPath } from '#domain/shared/schemas.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { keyService } from '#platform/wiring/management.ts';

const keys = keyService();

/** DELETE /v1/keys/{keyId} — removes the record; its owner slot is given back. */
export const handler = httpRoute({ path: keyPath }, async ({ path, ctx }) => {
  await keys.delete(path.keyId, ctx);
  return { status: 204 };
});
