import { keyPath, updateKeyBody } from '#domain/shared/schemas.ts';
import { httpRoute, parseIfMatch } from '#platform/http/http-route.ts';
import { keyService } from '#platform/wiring/management.ts';

const keys = keyService();

/** PATCH /v1/keys/{keyId} */
export const handler = httpRoute(
  { path: keyPath, body: updateKeyBody },
  async ({ path, body, headers, ctx }) => {
    const key = await keys.update(path.keyId, body, parseIfMatch(headers['if-match']), ctx);
    return { status: 200, body: key, headers: { etag: `"${key.version}"` } };
  },
);
