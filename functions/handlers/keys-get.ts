import { keyPath } from '#domain/shared/schemas.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { keyService } from '#platform/wiring/management.ts';

const keys = keyService();

/** GET /v1/keys/{keyId} — with the version as an ETag, for If-Match. */
export const handler = httpRoute({ path: keyPath }, async ({ path }) => {
  const key = await keys.get(path.keyId);
  return { status: 200, body: key, headers: { etag: `"${key.version}"` } };
});
