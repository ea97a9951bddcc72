import { emptyBody, keyPath } from '#domain/shared/schemas.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { keyService } from '#platform/wiring/management.ts';

const keys = keyService();

/** POST /v1/keys/{keyId}/revoke — immediate and final; revoking again answers the same key. */
export const handler = httpRoute({ body: emptyBody, path: keyPath }, async ({ path, ctx }) => ({
  status: 200,
  body: await keys.revoke(path.keyId, ctx),
}));
