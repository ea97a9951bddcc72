import { keyPath } from '#domain/shared/schemas.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { graceWatch } from '#platform/wiring/grace.ts';

const grace = graceWatch();

/** GET /v1/keys/{keyId} — with the version as an ETag, for If-Match, and `graceUsage` during a rotation's grace. */
export const handler = httpRoute({ path: keyPath }, async ({ path }) => {
  const key = await grace.get(path.keyId);
  return { status: 200, body: key, headers: { etag: `"${key.version}"` } };
});
