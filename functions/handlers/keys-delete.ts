import { keyPath } from '#domain/schemas.ts';
import { keyService } from '#platform/deps.ts';
import { httpRoute } from '#platform/http.ts';

const keys = keyService();

/** DELETE /v1/keys/{keyId} — removes the record; its owner slot is given back. */
export const handler = httpRoute({ path: keyPath }, async ({ path, ctx }) => {
  await keys.delete(path.keyId, ctx);
  return { status: 204 };
});
