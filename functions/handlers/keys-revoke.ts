import { emptyBody, keyPath } from '#domain/schemas.ts';
import { keyService } from '#platform/deps.ts';
import { httpRoute } from '#platform/http.ts';

const keys = keyService();

/** POST /v1/keys/{keyId}/revoke — immediate and final; revoking again answers the same key. */
export const handler = httpRoute({ body: emptyBody, path: keyPath }, async ({ path, ctx }) => ({
  status: 200,
  body: await keys.revoke(path.keyId, ctx),
}));
